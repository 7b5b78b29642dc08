/**
 * A big log of real text: the real Debian 6.1 dmesg (fixtures/traces/qemu-6.1, a boot plus
 * hibernation pm_test cycles) repeated with its stamps shifted past the previous copy, streamed
 * to a file — as fast as the disk takes it (one template, stamps rewritten per copy).
 */
import {createWriteStream, readFileSync, statSync} from 'node:fs';
import {once} from 'node:events';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
/** From dist/bench or bench/: the repository's fixtures. */
export const realLog61 = [path.join(here, '..', '..', 'fixtures'), path.join(here, '..', 'fixtures')]
	.map(dir => path.join(dir, 'traces', 'qemu-6.1', 'dmesg-6.1-boot-hibernate-pm_test-freezer-devices.log'))
	.find(file => {
		try {
			return statSync(file).isFile();
		} catch {
			return false;
		}
	})!;

/** The template split at each `[ seconds.micros]` stamp: text pieces and the stamps (µs) between them. */
function template(): {pieces: string[]; stamps: number[]; spanUs: number} {
	const text = readFileSync(realLog61, 'utf8');
	const pieces: string[] = [];
	const stamps: number[] = [];
	const stamp = /^\[ *(\d+)\.(\d{6})\]/gm;
	let last = 0;
	for (const m of text.matchAll(stamp)) {
		pieces.push(text.slice(last, m.index));
		stamps.push(Number(m[1]) * 1_000_000 + Number(m[2]));
		last = m.index + m[0].length;
	}

	pieces.push(text.slice(last));
	return {pieces, stamps, spanUs: Math.max(...stamps) + 60_000_000};
}

function formatStamp(us: number): string {
	const s = Math.floor(us / 1_000_000);
	return `[${String(s).padStart(5, ' ')}.${String(us % 1_000_000).padStart(6, '0')}]`;
}

/** Write at least `megabytes` MiB of repeated real log to `file`: its size in bytes and the copies of the template. */
export async function generateRealLog(file: string, megabytes: number): Promise<{bytes: number; copies: number}> {
	const {pieces, stamps, spanUs} = template();
	const out = createWriteStream(file, {highWaterMark: 4 << 20});
	const target = megabytes * 1024 * 1024;
	let written = 0;
	let copy = 0;
	while (written < target) {
		const parts: string[] = [];
		for (let k = 0; k < 32; k++, copy++) {
			const shift = copy * spanUs;
			for (let i = 0; i < stamps.length; i++) parts.push(pieces[i]!, formatStamp(stamps[i]! + shift));
			parts.push(pieces[stamps.length]!);
		}

		const chunk = parts.join('');
		written += Buffer.byteLength(chunk);
		if (!out.write(chunk)) await once(out, 'drain');
	}

	out.end();
	await once(out, 'finish');
	return {bytes: statSync(file).size, copies: copy};
}

// As a script: node dist/bench/real-log.js FILE MEGABYTES
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
	const {bytes, copies} = await generateRealLog(process.argv[2]!, Number(process.argv[3] ?? 64));
	console.log(`${process.argv[2]}: ${(bytes / 1024 / 1024).toFixed(1)} MiB, ${copies} copies`);
}
