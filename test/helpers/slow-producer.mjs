// A slow log producer for the read-ahead tests (`node slow-producer.mjs FILE N RELEASE`): prints
// the first N lines of FILE at once, then waits until the file RELEASE exists (at most 60 s),
// then prints the rest a few lines at a time with short pauses, like `dmesg -w` on a live host.
import {existsSync, readFileSync} from 'node:fs';

const [file, first, release] = process.argv.slice(2);
const lines = readFileSync(file, 'utf8').split('\n');
if (lines.at(-1) === '') lines.pop();
process.stdout.on('error', () => process.exit(0)); // the reader quit (EPIPE)
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
const write = text => new Promise(resolve => process.stdout.write(text, resolve));

await write(lines.slice(0, Number(first)).map(l => l + '\n').join(''));
for (const deadline = Date.now() + 60_000; !existsSync(release) && Date.now() < deadline; ) await sleep(50);
for (let i = Number(first); i < lines.length; i += 40) {
	await write(lines.slice(i, i + 40).map(l => l + '\n').join(''));
	await sleep(20);
}
