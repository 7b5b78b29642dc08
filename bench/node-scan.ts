/**
 * Baseline of the replay bench: the least a Node program must do to read a kernel log — 1 MiB
 * chunks, split into lines, parse each `[seconds.micros]` stamp, test one combined PM regex, count.
 * Prints JSON {lines, matches, seconds, maxRssMb}.
 */
import {createReadStream} from 'node:fs';
import {performance} from 'node:perf_hooks';
import {StringDecoder} from 'node:string_decoder';

const pm = /PM:|Freezing|Restarting|returned|Filesystems/;
const stamp = /^\[\s*(\d+)\.(\d+)\]/;
const start = performance.now();
let lines = 0;
let matches = 0;
let lastUs = 0;
let rest = '';
const decoder = new StringDecoder('utf8');
const line = (text: string) => {
	lines++;
	const m = stamp.exec(text);
	if (m) lastUs = Number(m[1]) * 1_000_000 + Number(m[2]);
	if (pm.test(text)) matches++;
};

for await (const chunk of createReadStream(process.argv[2]!, {highWaterMark: 1 << 20})) {
	const text = rest + decoder.write(chunk as Buffer);
	let from = 0;
	for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', from)) {
		line(text.slice(from, nl));
		from = nl + 1;
	}

	rest = text.slice(from);
}

if (rest) line(rest);
console.log(JSON.stringify({lines, matches, lastUs, seconds: (performance.now() - start) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024}));
