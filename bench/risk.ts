/** Risk figures: simulations per second for default and big-box, on one thread and on every core. */
import os from 'node:os';
import {performance} from 'node:perf_hooks';
import {runMany} from '../source/risk/pool.js';
import {loadScenario} from '../source/sim/scenario.js';

export async function benchRisk(): Promise<void> {
	const cores = Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
	for (const [name, runs] of [['default', 4000], ['big-box', 120]] as const) {
		const scenario = loadScenario(name);
		const rate = async (threads: number) => {
			const start = performance.now();
			await runMany({scenario, runs, seed: 1, threads});
			return runs / ((performance.now() - start) / 1000);
		};

		const one = await rate(1);
		const all = await rate(cores);
		console.log(`risk ${name.padEnd(8)} ${one.toFixed(1)} simulations/s on 1 thread, ${all.toFixed(1)}/s on ${cores} threads (${(all / one).toFixed(2)}× one thread; ${runs} runs each)`);
	}
}
