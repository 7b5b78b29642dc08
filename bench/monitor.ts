/**
 * Monitor row (issue 18): the interactive replay of a generated ~86 MB log of real text (the real
 * 6.1 dmesg repeated with shifted stamps) — peak RSS of a child that builds the monitor's player as
 * the CLI does and seeks to 20 random positions (bench/monitor-probe.ts), ms per seek (median and
 * worst) — against the minimal Node scan of the same file in the same invocation (bench/node-scan.ts).
 * BENCH_MONITOR_MB changes the size.
 */
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';
import {generateRealLog} from './real-log.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const probe = path.join(here, 'rss-probe.js');

async function child(script: string, file: string, dir: string, ...extra: string[]): Promise<{seconds: number; rssMb: number; stdout: string}> {
	const rssFile = path.join(dir, 'rss');
	const start = performance.now();
	const result = await execa('node', ['--import', probe, path.join(here, script), file, ...extra], {stdin: 'ignore', reject: false, env: {QUIESCE_RSS_FILE: rssFile}});
	if (result.exitCode !== 0) throw new Error(`${script} failed: ${result.stderr}`);
	return {seconds: (performance.now() - start) / 1000, rssMb: Number(readFileSync(rssFile, 'utf8')) / 1024, stdout: result.stdout};
}

export async function benchMonitor(): Promise<void> {
	const mb = Number(process.env['BENCH_MONITOR_MB'] ?? 86);
	const dir = mkdtempSync(path.join(os.tmpdir(), 'quiesce-bench-monitor-'));
	try {
		const file = path.join(dir, `real-${mb}.log`);
		const {bytes} = await generateRealLog(file, mb);
		const scan = await child('node-scan.js', file, dir);
		const size = `${(bytes / 1024 / 1024).toFixed(0)} MB`;
		for (const [store, label] of [['packed', 'packed events (issue 18)'], ['objects', 'events as objects (before)']] as const) {
			const monitor = await child('monitor-probe.js', file, dir, store);
			const {events, loadSeconds, seekMs} = JSON.parse(monitor.stdout) as {events: number; loadSeconds: number; seekMs: number[]};
			const sorted = [...seekMs].sort((a, b) => a - b);
			const median = sorted[Math.floor(sorted.length / 2)]!;
			console.log(
				`monitor replay ${size}, ${label}: ${monitor.rssMb.toFixed(0)} MB peak RSS (${(monitor.rssMb / scan.rssMb).toFixed(1)}× the minimal Node scan's ${scan.rssMb.toFixed(0)} MB), loaded in ${loadSeconds.toFixed(1)} s (${events} events); seek + frame queries ${median.toFixed(1)} ms median, ${sorted.at(-1)!.toFixed(1)} ms worst of ${seekMs.length}`,
			);
		}
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
}
