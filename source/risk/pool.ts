/**
 * Running N seeded simulations, on one thread or on every core. Workers take
 * chunks of run indexes; results are stored by index, so the report is the
 * same whatever the number of threads. Stops early on an abort signal.
 */
import os from 'node:os';
import path from 'node:path';
import {packageRoot} from '../paths.js';
import {Worker} from 'node:worker_threads';
import type {Scenario} from '../sim/scenario.js';
import {runOne, runSeed, type RunResult} from './run.js';

export type PoolOptions = {
	scenario: Scenario;
	runs: number;
	seed: number;
	threads: number;
	onProgress?: (done: number) => void;
	signal?: AbortSignal;
};

const chunk = 64;

export function defaultThreads(runs: number): number {
	return runs >= 2000 ? Math.max(1, os.availableParallelism?.() ?? os.cpus().length) : 1;
}

/** Results of the runs that finished, in run order (a prefix of each chunk on early stop). */
export async function runMany(options: PoolOptions): Promise<RunResult[]> {
	const {scenario, runs, seed} = options;
	const results: Array<RunResult | undefined> = Array.from({length: runs});
	let done = 0;
	if (options.threads <= 1) {
		for (let i = 0; i < runs && !options.signal?.aborted; i++) {
			results[i] = runOne(scenario, runSeed(seed, i));
			done++;
			if (i % chunk === chunk - 1) {
				options.onProgress?.(done);
				await new Promise(resolve => setImmediate(resolve)); // let Ctrl-C and the progress display in
			}
		}

		options.onProgress?.(done);
		return results.filter((r): r is RunResult => r !== undefined);
	}

	let next = 0;
	// Under a TypeScript test runner this file is .ts: the worker must be the built one.
	const workerUrl = import.meta.url.endsWith('.ts')
		? new URL(`file://${path.join(packageRoot(), 'dist', 'source', 'risk', 'worker.js')}`)
		: new URL('./worker.js', import.meta.url);
	await Promise.all(
		Array.from({length: Math.min(options.threads, Math.ceil(runs / chunk))}, () =>
			new Promise<void>((resolve, reject) => {
				const worker = new Worker(workerUrl, {workerData: {scenario, seed}});
				const give = () => {
					if (next >= runs || options.signal?.aborted) {
						void worker.terminate().then(() => resolve());
						return;
					}

					const from = next;
					next = Math.min(runs, next + chunk);
					worker.postMessage({from, to: next});
				};

				worker.on('message', (message: {from: number; results: RunResult[]}) => {
					message.results.forEach((r, i) => (results[message.from + i] = r));
					done += message.results.length;
					options.onProgress?.(done);
					give();
				});
				worker.on('error', reject);
				give();
			}),
		),
	);
	return results.filter((r): r is RunResult => r !== undefined);
}
