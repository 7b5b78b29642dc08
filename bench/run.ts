/**
 * npm run bench — throughput figures, reported against a baseline measured
 * in the same process (never as absolute pass/fail timings).
 *
 * sim: headless simulations per second for `default` and `big-box`; the
 * baseline is a bare event queue processing the same number of events, so
 * the ratio is the cost of the model itself over its scheduler.
 */
import {performance} from 'node:perf_hooks';
import {Engine} from '../source/sim/engine.js';
import {loadScenario} from '../source/sim/scenario.js';
import {Simulation} from '../source/sim/simulation.js';
import {benchTrace} from './trace.js';
import {benchUi} from './ui.js';
import {benchRisk} from './risk.js';
import {benchDevices} from './devices.js';
import {benchReplay} from './replay.js';

function measure(seconds: number, run: (i: number) => void): {perSecond: number; runs: number} {
	const until = performance.now() + seconds * 1000;
	let runs = 0;
	const start = performance.now();
	while (performance.now() < until) run(runs++);
	return {perSecond: runs / ((performance.now() - start) / 1000), runs};
}

function bareQueue(events: number): void {
	const engine = new Engine(0);
	let sink = 0;
	for (let i = 0; i < events; i++) engine.schedule((i * 7919) % 1000, () => sink++);
	while (engine.step());
	if (sink !== events) throw new Error('bare queue lost events');
}

function benchScenario(name: string, seconds: number): string {
	const scenario = loadScenario(name);
	const probe = new Simulation(scenario, {seed: 1}).run();
	const events = probe.timeline.length;
	const sims = measure(seconds, i => new Simulation(scenario, {seed: i}).run());
	const queue = measure(seconds / 2, () => bareQueue(events));
	const ratio = queue.perSecond / sims.perSecond;
	return `sim ${name.padEnd(8)} ${sims.perSecond.toFixed(1).padStart(8)} simulations/s (${events} events each, ${sims.runs} runs); ${ratio.toFixed(1)}× the time of a bare event queue of ${events} events (${queue.perSecond.toFixed(0)}/s)`;
}

const seconds = Number(process.env['BENCH_SECONDS'] ?? 3);
console.log(`quiesce bench — node ${process.version}, ${seconds} s per figure`);
for (const name of ['default', 'big-box']) console.log(benchScenario(name, seconds));
await benchRisk();
await benchUi();
await benchTrace();
await benchReplay();
await benchDevices(new URL('../source/cli.js', import.meta.url).pathname);
