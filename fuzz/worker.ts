/** Fuzz worker: builds and runs the cases the parent sends, one at a time. */
import {parentPort, workerData} from 'node:worker_threads';
import {makeCase, runCase} from './cases.js';

const {workDir} = workerData as {workDir: string};
parentPort!.on('message', async (seed: number) => {
	let failure;
	try {
		failure = await runCase(makeCase(seed, workDir));
	} catch (error) {
		failure = {kind: 'exception', message: `harness: ${error instanceof Error ? error.stack : String(error)}`};
	}

	parentPort!.postMessage({seed, failure});
});
