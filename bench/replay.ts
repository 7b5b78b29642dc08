/**
 * Replay rows (issue 18): `replay --summary` of generated logs of real text (the real 6.1 dmesg
 * repeated with shifted stamps) — 64 MB and 256 MB always, 1 GB with BENCH_REPLAY_1G=1 (it takes
 * minutes) — each as a ratio to baselines run in the same invocation on the same file:
 * `grep -cE 'PM:|Freezing|Restarting|returned|Filesystems'` (output to a file), a minimal Node scan
 * (bench/node-scan.ts), and lnav when installed; with the peak RSS of each child
 * (process.resourceUsage().maxRSS, reported by a preloaded probe). On a shared machine the wall
 * clock ratios move with the load (printed with each row): the ratio of CPU times (user + system,
 * from the same probe) against the Node scan is printed too, as the steadier figure.
 */
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';
import {generateRealLog} from './real-log.js';

const here = path.dirname(fileURLToPath(import.meta.url));
// The published bin (scripts/build.mjs), as users run it.
const cli = path.join(here, '..', 'bundle', 'cli.js');
const probe = path.join(here, 'rss-probe.js');

type Run = {seconds: number; rssMb?: number; cpuSeconds?: number};

async function run(command: string, args: string[], outFile: string, rss = false): Promise<Run> {
	const rssFile = `${outFile}.rss`;
	const cpuFile = `${outFile}.cpu`;
	const start = performance.now();
	await execa(command, args, {stdout: {file: outFile}, stderr: 'ignore', stdin: 'ignore', reject: false, env: rss ? {QUIESCE_RSS_FILE: rssFile, QUIESCE_CPU_FILE: cpuFile} : {}});
	const seconds = (performance.now() - start) / 1000;
	if (!rss) return {seconds};
	return {seconds, rssMb: Number(readFileSync(rssFile, 'utf8')) / 1024, cpuSeconds: Number(readFileSync(cpuFile, 'utf8')) / 1e6};
}

async function has(command: string): Promise<boolean> {
	return (await execa('sh', ['-c', `command -v ${command}`], {reject: false})).exitCode === 0;
}

export async function benchReplay(): Promise<void> {
	const sizes = [64, 256, ...(process.env['BENCH_REPLAY_1G'] === '1' ? [1024] : [])];
	const lnav = await has('lnav');
	const dir = mkdtempSync(path.join(os.tmpdir(), 'quiesce-bench-replay-'));
	try {
		for (const mb of sizes) {
			const file = path.join(dir, `real-${mb}.log`);
			const {bytes} = await generateRealLog(file, mb);
			const out = path.join(dir, 'out');
			const load = os.loadavg().map(l => l.toFixed(2)).join(' ');
			const grep = await run('grep', ['-cE', 'PM:|Freezing|Restarting|returned|Filesystems', file], out);
			const scan = await run('node', ['--import', probe, path.join(here, 'node-scan.js'), file], out, true);
			const replay = await run('node', ['--import', probe, cli, 'replay', file, '--summary'], out, true);
			const size = `${(bytes / 1024 / 1024).toFixed(0)} MB`.padStart(7);
			console.log(
				`replay --summary ${size} ${replay.seconds.toFixed(2)} s, ${replay.rssMb!.toFixed(0)} MB peak RSS: ${(replay.seconds / grep.seconds).toFixed(1)}× grep -cE (${grep.seconds.toFixed(3)} s), ${(replay.seconds / scan.seconds).toFixed(2)}× a minimal Node scan (${scan.seconds.toFixed(2)} s, ${scan.rssMb!.toFixed(0)} MB); CPU ${replay.cpuSeconds!.toFixed(2)} s = ${(replay.cpuSeconds! / scan.cpuSeconds!).toFixed(2)}× the scan's ${scan.cpuSeconds!.toFixed(2)} s; load average before ${load}`,
			);
			if (lnav) {
				const viewer = await run('lnav', ['-n', '-c', ';SELECT count(*) FROM all_logs', file], out);
				console.log(`replay --summary ${size} lnav -n ${viewer.seconds.toFixed(2)} s: replay takes ${(replay.seconds / viewer.seconds).toFixed(2)}× lnav's time`);
			}

			rmSync(file);
		}

		if (!lnav) console.log('replay --summary: lnav not installed (no lnav row)');
		if (!sizes.includes(1024)) console.log('replay --summary: 1 GB row skipped (BENCH_REPLAY_1G=1 runs it)');
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
}
