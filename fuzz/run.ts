/**
 * `npm run fuzz -- --inputs N [--seed S] [--budget-ms MS]`: seeded
 * mutations of the real inputs in fixtures/ (kernel logs, sysfs dumps,
 * ndctl JSON, recorded bundles, scenario files), each fed to replay's
 * readers (or the simulator) in a worker with a time budget and a memory
 * limit. Fails (exit 1) on any exception, hang, out-of-memory, lost line or
 * non-finite time, printing the seed, the base input and the saved mutated
 * input to reproduce: `npm run fuzz -- --seed S --inputs 1`.
 */
import {cpSync, mkdirSync, rmSync} from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {Worker} from 'node:worker_threads';
import {baseBundle, defaultWorkDir, makeCase, type Failure} from './cases.js';

function option(name: string, fallback: number): number {
	const i = process.argv.indexOf(`--${name}`);
	if (i === -1) return fallback;
	const value = Number(process.argv[i + 1]);
	if (!Number.isInteger(value) || value < 0) {
		process.stderr.write(`fuzz: --${name}: got ${JSON.stringify(process.argv[i + 1] ?? '')}; expected a whole number\n`);
		process.exit(2);
	}

	return value;
}

const inputs = option('inputs', 200);
const firstSeed = option('seed', 1);
const budgetMs = option('budget-ms', 15_000);
const memoryMb = option('memory-mb', 768);
const workDir = path.join(defaultWorkDir(), String(process.pid));
const failuresDir = path.resolve(process.env['QUIESCE_FUZZ_FAILURES'] ?? 'fuzz-failures');
mkdirSync(workDir, {recursive: true});
baseBundle(workDir);

const workerFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker.js');
let worker: Worker | undefined;
const failures: Array<{seed: number; failure: Failure}> = [];
const counts: Record<string, number> = {};

function runOne(seed: number): Promise<Failure | undefined> {
	return new Promise(resolve => {
		worker ??= new Worker(workerFile, {workerData: {workDir}, resourceLimits: {maxOldGenerationSizeMb: memoryMb}});
		const current = worker;
		const done = (failure: Failure | undefined, restart: boolean) => {
			clearTimeout(timer);
			current.removeAllListeners('message');
			current.removeAllListeners('error');
			current.removeAllListeners('exit');
			if (restart) {
				void current.terminate();
				worker = undefined;
			}

			resolve(failure);
		};

		const timer = setTimeout(() => done({kind: 'hang', message: `no answer within ${budgetMs} ms`}, true), budgetMs);
		current.on('message', (reply: {seed: number; failure?: Failure}) => done(reply.failure, false));
		current.on('error', error => done({kind: /OUT_OF_MEMORY|heap/i.test(`${(error as NodeJS.ErrnoException).code} ${error.message}`) ? 'memory' : 'exception', message: error.message}, true));
		current.on('exit', code => done({kind: 'exception', message: `worker exited with code ${code}`}, true));
		current.postMessage(seed);
	});
}

const started = Date.now();
for (let seed = firstSeed; seed < firstSeed + inputs; seed++) {
	const failure = await runOne(seed);
	const c = makeCase(seed, workDir); // deterministic: the same bytes the worker ran
	counts[c.target] = (counts[c.target] ?? 0) + 1;
	if (failure) {
		failures.push({seed, failure});
		const saved = path.join(failuresDir, `seed-${seed}-${c.target}`);
		mkdirSync(failuresDir, {recursive: true});
		cpSync(c.bundleFile ? c.path : c.path, c.bundleFile ? saved : `${saved}${path.extname(c.path)}`, {recursive: true});
		process.stdout.write(`FAIL seed=${seed} target=${c.target} base=${c.base} ${failure.kind}: ${failure.message.split('\n')[0]}\n`);
		for (const line of failure.message.split('\n').slice(1)) process.stdout.write(`    ${line}\n`);
		process.stdout.write(`    input: ${c.bundleFile ? saved : `${saved}${path.extname(c.path)}`}\n    rerun: npm run fuzz -- --seed ${seed} --inputs 1\n`);
	}

	rmSync(path.join(workDir, `seed-${seed}`), {recursive: true, force: true});
}

await worker?.terminate();
rmSync(workDir, {recursive: true, force: true});
const seconds = ((Date.now() - started) / 1000).toFixed(1);
const mix = Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ');
process.stdout.write(`fuzz: ${inputs} inputs (seeds ${firstSeed}–${firstSeed + inputs - 1}: ${mix}) in ${seconds} s, ${failures.length} failed\n`);
process.exit(failures.length > 0 ? 1 : 0);
