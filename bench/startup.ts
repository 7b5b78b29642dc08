/**
 * Start-up figures: whole processes of the published bin (dist/bundle/cli.js), each as a ratio to
 * `node -e 0` run in turn with it (A B A B …, the median of the pairwise ratios, so a machine whose
 * speed drifts still compares like with like):
 *  - `sim --headless --scenario default`, `--help`, `scenarios`, `replay --summary` of a small log;
 *  - the first monitor frame in tmux: from starting the command to the status bar in capture-pane,
 *    against `node -e` printing a word, polled the same way;
 *  - `npm start` when the bundle is current, against the run it starts.
 */
import {spawnSync} from 'node:child_process';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {fixturesDir, packageRoot} from '../source/paths.js';

const root = packageRoot();
const cli = path.join(root, 'dist', 'bundle', 'cli.js');
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const env = {...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'CI')), NO_COLOR: '1'};

function wallMs(command: string, args: string[]): number {
	const start = performance.now();
	const result = spawnSync(command, args, {cwd: root, env, stdio: ['ignore', 'ignore', 'ignore']});
	if (result.error) throw result.error;
	return performance.now() - start;
}

/** Median of A, of B, and of A/B over pairs run in turn. */
function paired(a: () => number, b: () => number, runs: number): {a: number; b: number; ratio: number} {
	a();
	b(); // warm the file cache
	const as: number[] = [];
	const bs: number[] = [];
	const ratios: number[] = [];
	for (let i = 0; i < runs; i++) {
		const x = a();
		const y = b();
		as.push(x);
		bs.push(y);
		ratios.push(x / y);
	}

	return {a: median(as), b: median(bs), ratio: median(ratios)};
}

const nodeBare = () => wallMs('node', ['-e', '0']);

function row(label: string, figures: {a: number; b: number; ratio: number}, baseline: string, target: string): string {
	return `${label.padEnd(34)} ${figures.a.toFixed(0).padStart(5)} ms  ${figures.ratio.toFixed(2)}× ${baseline} (${figures.b.toFixed(0)} ms)  target ${target}`;
}

function hasTmux(): boolean {
	return spawnSync('tmux', ['-V']).status === 0;
}

/** Start `command` in a detached 120×40 tmux session; resolve with the ms until `marker` shows in capture-pane. */
async function tmuxUntil(command: string, marker: RegExp): Promise<number> {
	const session = `quiesce-bench-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
	const start = performance.now();
	spawnSync('tmux', ['new-session', '-d', '-s', session, '-x', '120', '-y', '40', `${command}; sleep 30`], {env: {...env, TERM: 'xterm-256color'}});
	try {
		for (;;) {
			const screen = spawnSync('tmux', ['capture-pane', '-p', '-t', session], {encoding: 'utf8'}).stdout ?? '';
			if (marker.test(screen)) return performance.now() - start;
			if (performance.now() - start > 20_000) throw new Error(`no ${marker} in tmux after 20 s: ${screen.slice(0, 200)}`);
			await new Promise(resolve => setTimeout(resolve, 5));
		}
	} finally {
		spawnSync('tmux', ['kill-session', '-t', session]);
	}
}

async function pairedAsync(a: () => Promise<number>, b: () => Promise<number>, runs: number): Promise<{a: number; b: number; ratio: number}> {
	await a();
	await b();
	const as: number[] = [];
	const bs: number[] = [];
	const ratios: number[] = [];
	for (let i = 0; i < runs; i++) {
		const x = await a();
		const y = await b();
		as.push(x);
		bs.push(y);
		ratios.push(x / y);
	}

	return {a: median(as), b: median(bs), ratio: median(ratios)};
}

export async function benchStartup(runs = Number(process.env['BENCH_RUNS'] ?? 9)): Promise<void> {
	const smallLog = fixturesDir('traces', '01-hibernate-3.17-qemu-em28xx-full-cycle.log');
	const commands: Array<[string, string[]]> = [
		['start sim --headless default', ['sim', '--headless', '--scenario', 'default']],
		['start --help', ['--help']],
		['start scenarios', ['scenarios']],
		['start replay --summary (20 KB log)', ['replay', '--summary', smallLog]],
	];
	for (const [label, args] of commands) console.log(row(label, paired(() => wallMs('node', [cli, ...args]), nodeBare, runs), '`node -e 0`', '≤ 2×'));

	if (hasTmux()) {
		// The status bar's first word: the monitor's first frame is on the terminal.
		const frame = await pairedAsync(() => tmuxUntil(`node ${cli} sim`, /PLAYING|PAUSED/), () => tmuxUntil(`node -e "console.log('READY')"`, /READY/), Math.max(3, Math.ceil(runs / 2)));
		console.log(row('start first monitor frame (tmux)', frame, '`node -e` in tmux', '≤ 4×'));
	} else {
		console.log('start first monitor frame (tmux)   not measured: tmux is not installed');
	}

	// npm start when the bundle is current: npm itself and the up-to-date check, over the run they start.
	const npmStart = paired(() => wallMs('npm', ['start', '--silent', '--', '--headless']), () => wallMs('node', [cli, 'sim', '--headless']), Math.max(3, Math.ceil(runs / 2)));
	console.log(`${'start npm start (bundle current)'.padEnd(34)} ${npmStart.a.toFixed(0).padStart(5)} ms  ${((npmStart.a - npmStart.b) / 1000).toFixed(2)} s over the run itself (${npmStart.b.toFixed(0)} ms, ${npmStart.ratio.toFixed(2)}×)  target ≤ 1 s over it`);
}
