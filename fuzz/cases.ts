/**
 * Fuzz cases: a seed picks a target (log, sysfs, ndctl, bundle, scenario),
 * a real input from fixtures/ and its mutations, deterministically; `runCase`
 * feeds it to the code a user's file would reach and checks the invariants:
 * no exception other than a one-line user error, no non-finite or backward
 * time, no lost line of a text log, the monitor reducer survives.
 */
import {copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {runRecord} from '../source/commands/record.js';
import {readTimeline} from '../source/commands/replay.js';
import {CaptureError, DrillError, ScenarioError, TraceError} from '../source/errors.js';
import type {TimelineEvent} from '../source/events.js';
import {reduce} from '../source/monitor/reducer.js';
import {initialState} from '../source/monitor/state.js';
import {fixturesDir} from '../source/paths.js';
import {loadScenario} from '../source/sim/scenario.js';
import {Simulation} from '../source/sim/simulation.js';
import {planTrace} from '../source/trace/bundle.js';
import {binaryShare, sniffText} from '../source/trace/input.js';
import {mutate, Random} from './mutate.js';

export type Target = 'log' | 'sysfs' | 'ndctl' | 'bundle' | 'scenario';

export type FuzzCase = {seed: number; target: Target; base: string; /** the file (or bundle folder) to feed */ path: string; bytes: Buffer; bundleFile?: string};

export type Failure = {kind: 'exception' | 'lost-line' | 'non-finite-time' | 'time-backwards' | 'reducer' | 'simulator' | 'hang' | 'memory' | 'multi-line-error'; message: string};

function listFiles(dir: string, pattern: RegExp): string[] {
	if (!existsSync(dir)) return [];
	return readdirSync(dir).flatMap(name => {
		const full = path.join(dir, name);
		if (statSync(full).isDirectory()) return listFiles(full, pattern);
		return pattern.test(name) && statSync(full).size < 4 * 1024 * 1024 ? [full] : [];
	});
}

let corpusCache: Record<Exclude<Target, 'bundle'>, string[]> | undefined;

/** The real inputs the mutations start from. */
export function corpus(): Record<Exclude<Target, 'bundle'>, string[]> {
	corpusCache ??= {
		log: [...listFiles(fixturesDir('traces'), /\.log$|kmsg/), ...listFiles(fixturesDir('inputs'), /\.(log|json)$/)].sort(),
		sysfs: listFiles(fixturesDir('traces'), /\.tsv$|sys-power|33-sys-bus|30-sys-power|31-debugfs/).filter(f => !/links|skipped/.test(f)).sort(),
		ndctl: listFiles(fixturesDir('traces'), /ndctl.*\.(json|txt)$/).sort(),
		scenario: listFiles(fixturesDir('scenarios'), /\.(json|ya?ml)$/).sort(),
	};
	return corpusCache;
}

/** A recorded bundle (same every time), the base of bundle mutations. */
export function baseBundle(workDir: string): string {
	const dir = path.join(workDir, 'base-bundle');
	if (!existsSync(path.join(dir, 'events.ndjson'))) runRecord({scenario: 'default', seed: 1, json: false, out: dir, force: true});
	return dir;
}

const targets: Target[] = ['log', 'log', 'log', 'sysfs', 'ndctl', 'bundle', 'scenario'];

/** Build the case of a seed (pure apart from writing it under workDir). */
export function makeCase(seed: number, workDir: string): FuzzCase {
	const random = new Random(seed);
	const target = random.pick(targets);
	const all = corpus();
	const caseDir = path.join(workDir, `seed-${seed}`);
	mkdirSync(caseDir, {recursive: true});
	if (target === 'bundle') {
		const base = baseBundle(workDir);
		const names = ['events.ndjson', 'meta.json', 'kernel.log', 'sysfs.tsv'];
		const victim = random.pick(names);
		const dropNative = random.chance(0.4);
		for (const name of names) if (!(dropNative && name === 'events.ndjson')) copyFileSync(path.join(base, name), path.join(caseDir, name));
		const original = readFileSync(path.join(base, victim));
		const bytes = mutate(original, random, readFileSync(path.join(base, random.pick(names))), /json/.test(victim));
		writeFileSync(path.join(caseDir, victim), bytes);
		return {seed, target, base: `record default/${victim}${dropNative ? ' (no events.ndjson)' : ''}`, path: caseDir, bytes, bundleFile: victim};
	}

	const base = random.pick(all[target]);
	const donor = readFileSync(random.pick(all[target === 'scenario' ? 'scenario' : 'log']));
	const bytes = mutate(readFileSync(base), random, donor, /\.(json|ya?ml)$/.test(base) || target === 'ndctl');
	const file = path.join(caseDir, target === 'scenario' ? path.basename(base) : `input-${path.basename(base)}`);
	writeFileSync(file, bytes);
	return {seed, target, base: path.relative(fixturesDir(), base), path: file, bytes};
}

/** User errors are one clear line; anything else thrown is a defect. */
function userError(error: unknown): Failure | undefined | 'ok' {
	if (error instanceof TraceError || error instanceof ScenarioError || error instanceof CaptureError || error instanceof DrillError || error instanceof RangeError) {
		return error.message.includes('\n') ? {kind: 'multi-line-error', message: error.message.slice(0, 300)} : 'ok';
	}

	return undefined;
}

function describe(error: unknown): string {
	return error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}\n${(error.stack ?? '').split('\n').slice(1, 6).join('\n')}` : String(error);
}

function checkTimes(events: readonly TimelineEvent[]): Failure | undefined {
	let last = -Infinity;
	for (const [i, e] of events.entries()) {
		if (!Number.isFinite(e.t) || (e.kind === 'log' && e.stamp !== undefined && !Number.isFinite(e.stamp))) return {kind: 'non-finite-time', message: `event ${i} (${e.kind}) has t=${e.t}`};
		if (e.t < last) return {kind: 'time-backwards', message: `event ${i} (${e.kind}) at ${e.t} after ${last}`};
		last = e.t;
	}

	return undefined;
}

/** A plain-text log must keep every non-blank line in some event. */
function checkLines(c: FuzzCase, events: readonly TimelineEvent[], stopped: boolean): Failure | undefined {
	if (c.target !== 'log' || stopped) return undefined;
	if (c.bytes[0] === 0x1f && c.bytes[1] === 0x8b) return undefined;
	const text = c.bytes.toString('utf8');
	if (sniffText(text.slice(0, 65_536)) !== 'log' || binaryShare(text.slice(0, 4096)) > 0.3) return undefined;
	const covered = new Set<number>();
	for (const e of events) {
		if (e.kind !== 'log' || !e.source) continue;
		for (let l = e.source.line; l <= (e.source.endLine ?? e.source.line); l++) covered.add(l);
	}

	const lines = text.split(/\r\n|\n|\r/);
	for (const [i, line] of lines.entries()) {
		if (line.replace(/^(?:> ?)+/, '').trim() !== '' && !covered.has(i + 1)) return {kind: 'lost-line', message: `line ${i + 1} is in no event: ${JSON.stringify(line.slice(0, 80))}`};
	}

	return undefined;
}

export async function runCase(c: FuzzCase): Promise<Failure | undefined> {
	if (c.target === 'scenario') {
		let scenario;
		try {
			scenario = loadScenario(c.path);
		} catch (error) {
			const user = userError(error);
			return user === 'ok' ? undefined : (user ?? {kind: 'exception', message: `loading the scenario: ${describe(error)}`});
		}

		try {
			const sim = new Simulation(scenario, {seed: c.seed}).run();
			sim.outcome();
			return checkTimes(sim.timeline);
		} catch (error) {
			const user = userError(error);
			return user === 'ok' ? undefined : (user ?? {kind: 'simulator', message: describe(error)});
		}
	}

	const events: TimelineEvent[] = [];
	let stopped = false;
	try {
		await readTimeline(
			planTrace(c.path),
			batch => {
				for (const e of batch) events.push(e);
				if (events.length > 5_000_000) throw new Error('more than 5 000 000 events from one input');
			},
			w => {
				if (/stopped reading there/.test(w.message)) stopped = true;
			},
			{fifoTimeoutMs: 1000},
		);
	} catch (error) {
		const user = userError(error);
		return user === 'ok' ? undefined : (user ?? {kind: 'exception', message: describe(error)});
	}

	const failure = checkTimes(events) ?? checkLines(c, events, stopped);
	if (failure) return failure;
	try {
		let state = initialState();
		for (const e of events) state = reduce(state, e);
	} catch (error) {
		return {kind: 'reducer', message: describe(error)};
	}

	return undefined;
}

export function defaultWorkDir(): string {
	return path.join(os.tmpdir(), 'quiesce-fuzz');
}
