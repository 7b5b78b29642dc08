/** A risk worker: runs the chunks of run indexes it is given. */
import {parentPort, workerData} from 'node:worker_threads';
import type {Scenario} from '../sim/scenario.js';
import {runOne, runSeed} from './run.js';

const {scenario, seed} = workerData as {scenario: Scenario; seed: number};
parentPort!.on('message', ({from, to}: {from: number; to: number}) => {
	const results = [];
	for (let i = from; i < to; i++) results.push(runOne(scenario, runSeed(seed, i)));
	parentPort!.postMessage({from, results});
});
