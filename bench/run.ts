/**
 * npm run bench — throughput figures, reported against a baseline measured
 * in the same process (never as absolute pass/fail timings).
 *
 * sim: headless simulations per second for `default` and `big-box`; the
 * baseline is a bare event queue processing the same number of events, so
 * the ratio is the cost of the model itself over its scheduler.
 */
import '../source/production.js'; // first: React's production build, as the CLI runs it
import {Engine} from '../source/sim/engine.js';
import {loadScenario} from '../source/sim/scenario.js';
import {Simulation} from '../source/sim/simulation.js';
import {benchStartup} from './startup.js';
import {benchTrace} from './trace.js';
import {benchUi} from './ui.js';
import {benchRisk} from './risk.js';
import {benchDevices} from './devices.js';
import {benchReplay} from './replay.js';
import {benchMonitor} from './monitor.js';

/** Runs per second of CPU time (this process's, so other load on the machine does not count). */
function measure(seconds: number, run: (i: number) => void): {perSecond: number; runs: number} {
	const cpuUs = () => {
		const {user, system} = process.cpuUsage();
		return user + system;
	};

	const start = cpuUs();
	const until = start + seconds * 1e6;
	let runs = 0;
	do for (let i = 0; i < 8; i++) run(runs++); // the clock read costs about as much as a small run: every 8
	while (cpuUs() < until);
	return {perSecond: runs / ((cpuUs() - start) / 1e6), runs};
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
	return `sim ${name.padEnd(8)} ${sims.perSecond.toFixed(1).padStart(8)} simulations/s of CPU (${events} events each, ${sims.runs} runs); ${ratio.toFixed(1)}× the time of a bare event queue of ${events} events (${queue.perSecond.toFixed(0)}/s)`;
}

const seconds = Number(process.env['BENCH_SECONDS'] ?? 3);
/** BENCH_ONLY=startup,sim,ui (any of startup, sim, risk, ui, trace, replay, monitor, devices): just those groups. */
const only = process.env['BENCH_ONLY']?.split(',');
const wanted = (group: string) => !only || only.includes(group);
console.log(`quiesce bench — node ${process.version}, ${seconds} s per figure`);
if (wanted('startup')) await benchStartup();
if (wanted('sim')) for (const name of ['default', 'big-box']) console.log(benchScenario(name, seconds));
if (wanted('risk')) await benchRisk();
if (wanted('ui')) await benchUi();
if (wanted('trace')) await benchTrace();
if (wanted('replay')) await benchReplay();
if (wanted('monitor')) await benchMonitor();
if (wanted('devices')) await benchDevices(new URL('../source/cli.js', import.meta.url).pathname);
