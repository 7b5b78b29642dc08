/**
 * Monitor figures, each against a baseline measured the same way:
 *  - time to first frame in a terminal (script(1) gives a pty), as a ratio
 *    to `node -e 0`;
 *  - CPU used while paused, against the same process while playing;
 *  - render cost of one big-box frame (full layout and output), against a
 *    one-line frame rendered the same way.
 */
import {spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {Text, renderToString} from 'ink';
import {execa} from 'execa';
import {Player} from '../source/player/player.js';
import {loadScenario} from '../source/sim/scenario.js';
import {Simulation} from '../source/sim/simulation.js';
import {App} from '../source/ui/app.js';
import {packageRoot} from '../source/paths.js';

const cli = path.join(packageRoot(), 'dist', 'source', 'cli.js');
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'CI'));

/** Start a command under a pty; resolve when `marker` appears on its output. */
function timeTo(command: string, marker: RegExp | undefined): Promise<number> {
	return new Promise((resolve, reject) => {
		const start = performance.now();
		const child = spawn('script', ['-qfec', command, '/dev/null'], {env: {...env, COLUMNS: '120', LINES: '40'}});
		let output = '';
		const done = () => {
			resolve(performance.now() - start);
			child.kill('SIGTERM');
		};

		child.stdout.on('data', (chunk: Buffer) => {
			output += chunk.toString();
			if (marker?.test(output)) done();
		});
		child.on('exit', () => (marker ? reject(new Error(`no first frame: ${output.slice(0, 200)}`)) : done()));
		child.on('error', reject);
	});
}

function cpuMs(pid: number): number {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
	return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
}

async function cpuWhilePausedAndPlaying(): Promise<{paused: number; playing: number}> {
	const child = spawn('script', ['-qfec', `stty rows 40 cols 120; node ${cli} sim --scenario big-box --speed 0.01`, '/dev/null'], {env, stdio: ['pipe', 'pipe', 'ignore']});
	child.stdout.resume();
	await new Promise(resolve => setTimeout(resolve, 2500));
	const pid = Number((await execa('pgrep', ['-n', '-f', `^node ${cli} sim`], {reject: false})).stdout);
	const measure = async () => {
		const before = cpuMs(pid);
		await new Promise(resolve => setTimeout(resolve, 3000));
		return (cpuMs(pid) - before) / 3;
	};

	const playing = await measure();
	child.stdin.write(' ');
	await new Promise(resolve => setTimeout(resolve, 300));
	const paused = await measure();
	child.kill('SIGTERM');
	process.kill(pid, 'SIGTERM');
	return {paused, playing};
}

function renderCost(): {frameMs: number; baselineMs: number; nodes: number} {
	const sim = new Simulation(loadScenario('big-box'), {seed: 1}).run();
	const player = new Player(sim.timeline);
	const positions = Array.from({length: 40}, (_, i) => player.startUs + ((player.endUs - player.startUs) * i) / 39);
	const frameTimes = positions.map(t => {
		player.seek(t);
		const start = performance.now();
		renderToString(<App player={player} source="big-box" autoplay={false} />, {columns: 120});
		return performance.now() - start;
	});
	const baseline = Array.from({length: 40}, () => {
		const start = performance.now();
		renderToString(<Text>quiesce</Text>, {columns: 120});
		return performance.now() - start;
	});
	return {frameMs: median(frameTimes), baselineMs: median(baseline), nodes: player.timeline.length};
}

export async function benchUi(): Promise<void> {
	const firstFrame: number[] = [];
	const bare: number[] = [];
	for (let i = 0; i < 5; i++) {
		bare.push(await timeTo('node -e 0', undefined));
		firstFrame.push(await timeTo(`node ${cli} sim`, /Phases/));
	}

	console.log(`ui first frame ${median(firstFrame).toFixed(0)} ms after start in a pty: ${(median(firstFrame) / median(bare)).toFixed(1)}× \`node -e 0\` (${median(bare).toFixed(0)} ms), median of 5`);
	const render = renderCost();
	console.log(`ui render     big-box frame ${render.frameMs.toFixed(1)} ms (layout + output, 120 columns): ${(render.frameMs / render.baselineMs).toFixed(1)}× a one-line frame (${render.baselineMs.toFixed(2)} ms)`);
	try {
		const cpu = await cpuWhilePausedAndPlaying();
		console.log(`ui cpu        paused ${cpu.paused.toFixed(1)} ms CPU per s vs playing big-box at 0.01× ${cpu.playing.toFixed(1)} ms/s (${cpu.playing > 0 ? ((cpu.paused / cpu.playing) * 100).toFixed(1) : '0'} % of it)`);
	} catch (error) {
		console.log(`ui cpu        not measured: ${(error as Error).message}`);
	}
}
