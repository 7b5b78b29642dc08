/**
 * Trace figures: parse throughput of a large generated log (MB/s), as a
 * ratio to `wc -l` on the same file, and peak memory while replaying a log
 * of at least 1 GB (streaming: memory must not grow with the file).
 */
import {createWriteStream, statSync, unlinkSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {execa} from 'execa';

const block = (i: number) => {
	const base = 1000 + i * 30;
	const stamp = (s: number) => `[${String(Math.floor(s)).padStart(5, ' ')}.${String(Math.round((s % 1) * 1e6)).padStart(6, '0')}]`;
	return [
		`${stamp(base)} PM: suspend entry (deep)`,
		`${stamp(base + 0.01)} Filesystems sync: 0.004 seconds`,
		`${stamp(base + 0.02)} Freezing user space processes`,
		`${stamp(base + 0.025)} Freezing user space processes completed (elapsed 0.005 seconds)`,
		`${stamp(base + 0.026)} OOM killer disabled.`,
		`${stamp(base + 0.027)} Freezing remaining freezable tasks`,
		`${stamp(base + 0.029)} Freezing remaining freezable tasks completed (elapsed 0.002 seconds)`,
		`${stamp(base + 0.03)} printk: Suspending console(s) (use no_console_suspend to debug)`,
		...Array.from({length: 40}, (_, d) => `${stamp(base + 0.031 + d / 10_000)} nvme 0000:5${d % 10}:00.0: PM: calling pci_pm_suspend+0x0/0x160 @ 4242, parent: 0000:5d:00.0`),
		`${stamp(base + 0.2)} PM: suspend of devices complete after 170.102 msecs`,
		`${stamp(base + 0.21)} ACPI: PM: Preparing to enter system sleep state S3`,
		`${stamp(base + 5.2)} ACPI: PM: Waking up from system sleep state S3`,
		`${stamp(base + 5.4)} PM: resume of devices complete after 190.871 msecs`,
		`${stamp(base + 5.41)} OOM killer enabled.`,
		`${stamp(base + 5.42)} Restarting tasks ... done.`,
		`${stamp(base + 5.43)} PM: suspend exit`,
		...Array.from({length: 20}, (_, d) => `${stamp(base + 6 + d)} e1000e 0000:00:1f.6 eno1: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx`),
	].join('\n') + '\n';
};

async function generate(file: string, megabytes: number): Promise<number> {
	const out = createWriteStream(file);
	let written = 0;
	let i = 0;
	while (written < megabytes * 1024 * 1024) {
		const chunk = Array.from({length: 200}, () => block(i++)).join('');
		written += Buffer.byteLength(chunk);
		if (!out.write(chunk)) await new Promise<void>(resolve => out.once('drain', () => resolve()));
	}

	await new Promise<void>(resolve => out.end(() => resolve()));
	return statSync(file).size;
}

async function timed<T>(run: () => Promise<T>): Promise<{seconds: number; value: T}> {
	const start = performance.now();
	const value = await run();
	return {seconds: (performance.now() - start) / 1000, value};
}

export async function benchTrace(): Promise<void> {
	const parseChild = path.join(path.dirname(new URL(import.meta.url).pathname), 'parse-file.js');
	const small = path.join(os.tmpdir(), `quiesce-bench-${process.pid}-200.log`);
	const sizeMb = (await generate(small, Number(process.env['BENCH_LOG_MB'] ?? 200))) / 1024 / 1024;
	const wc = await timed(() => execa('wc', ['-l', small]));
	const parse = JSON.parse(String((await execa('node', [parseChild, small, 'parse-only'])).stdout)) as {seconds: number; lines: number};
	const replay = JSON.parse(String((await execa('node', [parseChild, small])).stdout)) as {seconds: number; cycles: number};
	console.log(`trace parse   ${(sizeMb / parse.seconds).toFixed(1)} MB/s (${sizeMb.toFixed(0)} MB, ${parse.lines} lines); wc -l ${(sizeMb / wc.seconds).toFixed(0)} MB/s: parsing takes ${(parse.seconds / wc.seconds).toFixed(1)}× the time of wc -l`);
	console.log(`trace replay  ${(sizeMb / replay.seconds).toFixed(1)} MB/s with the monitor reducer (${replay.cycles} cycles): ${(replay.seconds / wc.seconds).toFixed(1)}× wc -l`);
	unlinkSync(small);

	const bigMb = Number(process.env['BENCH_BIG_LOG_MB'] ?? 1100);
	if (bigMb <= 0) return;
	const big = path.join(os.tmpdir(), `quiesce-bench-${process.pid}-big.log`);
	try {
		const size = (await generate(big, bigMb)) / 1024 / 1024;
		const run = JSON.parse(String((await execa('node', [parseChild, big])).stdout)) as {seconds: number; maxRssMb: number; lines: number};
		const baseline = JSON.parse(String((await execa('node', ['-e', 'console.log(JSON.stringify({maxRssMb: process.resourceUsage().maxRSS / 1024}))'])).stdout)) as {maxRssMb: number};
		console.log(`trace memory  replaying ${size.toFixed(0)} MB (${run.lines} lines) peaks at ${run.maxRssMb.toFixed(0)} MB RSS (${(run.maxRssMb / baseline.maxRssMb).toFixed(1)}× a bare node process, ${(run.maxRssMb / size * 100).toFixed(1)} % of the file size) in ${run.seconds.toFixed(1)} s`);
	} finally {
		unlinkSync(big);
	}
}
