/**
 * Monitor figures, each against a baseline measured the same way:
 *  - what one big-box frame costs (bench/frames.tsx): mount and update in ms, and its Text nodes,
 *    against a one-line frame;
 *  - CPU used while playing big-box at 1× and in slow motion (from a second after its first frame),
 *    and while paused (the first frame's start-up cost is in bench/startup.ts).
 */
import {spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {execa} from 'execa';
import {frameCost} from './frames.js';
import {packageRoot} from '../source/paths.js';

const cli = path.join(packageRoot(), 'dist', 'bundle', 'cli.js');
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'CI'));

function cpuMs(pid: number): number {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
	return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
}

/**
 * CPU ms per second of a monitor playing big-box at `speed` — 1–3 s after its first frame (`playing`,
 * which still holds whatever the start-up left running) and 3–5 s after it (`later`) — then paused (space).
 */
async function cpuWhilePlayingAndPaused(speed: string): Promise<{paused: number; playing: number; later: number}> {
	const child = spawn('script', ['-qfec', `stty rows 40 cols 120; node ${cli} sim --scenario big-box --speed ${speed}`, '/dev/null'], {env, stdio: ['pipe', 'pipe', 'ignore']});
	// Measured from the monitor's first frame (it says PLAYING), so that the start-up (import,
	// simulation) never counts as playing, however loaded the machine is; at most 15 s of waiting.
	let seen = '';
	await new Promise<void>(resolve => {
		const done = setTimeout(resolve, 15_000);
		child.stdout.on('data', (chunk: Buffer) => {
			if (seen.includes('PLAYING')) return;
			seen = (seen + chunk.toString('utf8')).slice(-4096);
			if (seen.includes('PLAYING')) {
				clearTimeout(done);
				resolve();
			}
		});
	});
	await new Promise(resolve => setTimeout(resolve, 1000));
	const pid = Number((await execa('pgrep', ['-n', '-f', `^node ${cli} sim`], {reject: false})).stdout);
	const measure = async (seconds: number) => {
		const before = cpuMs(pid);
		await new Promise(resolve => setTimeout(resolve, seconds * 1000));
		return (cpuMs(pid) - before) / seconds;
	};

	try {
		const playing = await measure(2);
		const later = await measure(2);
		child.stdin.write(' ');
		await new Promise(resolve => setTimeout(resolve, 300));
		const paused = await measure(2);
		return {paused, playing, later};
	} finally {
		child.kill('SIGTERM');
		try {
			process.kill(pid, 'SIGTERM');
		} catch {
			// already gone
		}
	}
}

export async function benchUi(): Promise<void> {
	for (const scenario of ['default', 'big-box']) {
		const cost = await frameCost(scenario);
		console.log(`ui frame ${scenario.padEnd(8)} mount ${cost.mountMs.toFixed(2)} ms (${(cost.mountMs / cost.baselineMs).toFixed(0)}× a one-line frame, ${cost.baselineMs.toFixed(2)} ms); update ${cost.updateMs.toFixed(2)} ms (${(cost.updateMs / cost.baselineUpdateMs).toFixed(0)}× a one-line update, ${cost.baselineUpdateMs.toFixed(2)} ms); ${cost.nodes.text} Text nodes, ${cost.nodes.box} Box nodes; 120×40, median of ${cost.frames}; target ≤ 6 ms`);
	}

	for (const speed of ['1', '0.01']) {
		try {
			const cpu = await cpuWhilePlayingAndPaused(speed);
			console.log(`ui cpu big-box ${speed}×  playing ${(cpu.playing / 10).toFixed(1)} % of a core 1–3 s after the first frame, ${(cpu.later / 10).toFixed(1)} % 3–5 s after it, paused ${(cpu.paused / 10).toFixed(1)} %; target < 15 % playing`);
		} catch (error) {
			console.log(`ui cpu big-box ${speed}×  not measured: ${(error as Error).message}`);
		}
	}
}
