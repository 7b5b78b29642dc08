import {lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {runRecord} from '../source/commands/record.js';
import {runReplayHeadless} from '../source/commands/replay.js';
import {runHeadless} from '../source/commands/sim.js';
import {builtinScenarioNames} from '../source/sim/scenario.js';
import {prepareScenario} from '../source/sim/scenario-load.js';
import {cycleDocument} from '../source/monitor/summary-document.js';
import {fixturesDir} from '../source/paths.js';
import {parseNativeEvents} from '../source/trace/bundle.js';
import {parseWritesText} from '../source/trace/writes.js';
import {allCycles, replay} from './helpers/replay.js';
import {Sink} from './helpers/sink.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'quiesce-record-'));

/** sim's JSON lines without its final outcome line; replay's without its final end line. */
const body = (text: string) => text.trimEnd().split('\n').slice(0, -1).join('\n');

describe('record, then replay', () => {
	it.each(builtinScenarioNames())('%s: replay --json of the bundle equals sim --headless --json', async name => {
		const out = path.join(tmp, name);
		runRecord({scenario: name, seed: 11, json: false, out, force: true});
		await prepareScenario(name);
		const sim = new Sink();
		runHeadless({scenario: name, seed: 11, json: true}, sim);
		const replayed = new Sink();
		// Exit status 1 when a replayed cycle failed (README "Exit status"): the kernel said so, or
		// what was read back after the activation says so — a DIMM result fail, need_reset or
		// not_staged, or the bus still armed/overflow with no DIMM reporting success.
		const readBackFails = new Set(['dimm-fail', 'need-reset', 'not-staged', 'overflow', 'platform-abort']);
		const failed = /"kind":"state"[^\n]*"status":"failed"/.test(sim.text) || readBackFails.has(name);
		expect(await runReplayHeadless({path: out, json: true, summary: false}, replayed, new Sink())).toBe(failed ? 1 : 0);
		expect(body(replayed.text)).toBe(body(sim.text));
	});

	it.each(builtinScenarioNames())(
		'%s: from kernel.log, sysfs.tsv and writes.tsv alone (no events.ndjson), the same cycles, phases, statuses, failures, warnings, bus and DIMMs as the live run',
		async name => {
			const out = path.join(tmp, `${name}-parsed`);
			runRecord({scenario: name, seed: 5, json: false, out, force: true});
			const live = await replay(out);
			rmSync(path.join(out, 'events.ndjson'));
			const parsed = await replay(out);
			expect(parsed.warnings).toEqual([]);
			expect(parsed.events.some(e => e.kind === 'note')).toBe(false);
			// Everything but the line numbers (the live events have none), phase by phase, with their times.
			const cycles = (s: typeof live.state) => allCycles(s).map((c, i) => ({...cycleDocument(c, i + 1), lines: null, failures: cycleDocument(c, i + 1).failures.map(f => ({...f, line: null}))}));
			expect(cycles(parsed.state)).toEqual(cycles(live.state));
			expect(allCycles(live.state).length).toBeGreaterThan(0);
			expect(parsed.state.warnings.map(w => w.text)).toEqual(live.state.warnings.map(w => w.text));
			expect(parsed.state.log).toMatchObject({errors: live.state.log.errors, warnings: live.state.log.warnings, failedWrites: live.state.log.failedWrites});
			expect(parsed.state.dimms).toEqual(Object.fromEntries(Object.entries(live.state.dimms).map(([k, v]) => [k, {name: v.name, activate: v.activate, result: v.result}])));
			expect(parsed.state.bus).toEqual(live.state.bus);
			// The simulator's own truth stays apart, labelled.
			expect(parsed.state.simulated).toBeUndefined();
			expect(live.state.simulated).toBeDefined();
		},
	);

	it('writes.tsv reads like a real capture\'s and round-trips the writes', () => {
		const out = path.join(tmp, 'writes');
		runRecord({scenario: 'device-freeze-error', seed: 2, json: false, out, force: true});
		const text = readFileSync(path.join(out, 'writes.tsv'), 'utf8');
		expect(text).toMatch(/^write\t\/sys\/bus\/nd\/devices\/ndbus0\/firmware\/activate\tquiesce\tstart_mono=\d+\.\d{6}\tend_mono=\d+\.\d{6}\tdur_ms=\d+\.\d{3}\trc=-1\terrno=EBUSY Device or resource busy/m);
		const native = parseNativeEvents(readFileSync(path.join(out, 'events.ndjson'), 'utf8'), 'events.ndjson').events.filter(e => e.kind === 'action' && e.op === 'write');
		const parsed = parseWritesText(text, 'writes.tsv').events;
		expect(parsed.map(e => [e.t, e.path, e.value?.trim(), e.result])).toEqual(native.map(e => e.kind === 'action' && [e.t, e.path, e.value?.trim(), e.result && (e.result.ok ? {ok: true} : e.result)]));
		expect(parsed.some(e => e.result === null)).toBe(true); // the blocking bus write: issued, then returned
	});

	it('the real nfit_test capture: its writes.tsv and dmesg make one firmware activation that returned 0', async () => {
		const {state} = await replay(path.join(fixturesDir('traces'), 'nfit-test-6.1', '01-quiesce-sysfs'));
		const [cycle, ...rest] = allCycles(state);
		expect(rest).toEqual([]);
		// "write … quiesce … rc=8 errno=0"; the freezer lines (printk clock) come ≈47 ms before CLOCK_MONOTONIC's start.
		// nmem0 and nmem1 read success after it (the capture's reads and polls).
		expect(cycleDocument(cycle!, 1, state.activation)).toMatchObject({kind: 'fwa-quiesce', status: 'ok', write: '0', partial: null});
		expect(cycle!.phases.map(p => p.status)).toEqual(['done', 'done', 'done', 'done', 'done', 'done', 'done', 'done', 'done']);
	});

	it('the same capture without its writes: the log alone still says firmware activation (kernel threads thawed on the success path), not confirmed by any result', async () => {
		const {state} = await replay(path.join(fixturesDir('traces'), 'nfit-test-6.1', '01-quiesce-sysfs', 'dmesg-01-quiesce-sysfs.log'));
		expect(allCycles(state).map(c => [c.kind, cycleDocument(c, 1, state.activation).status])).toEqual([['fwa-quiesce', 'unverified']]);
	});

	it('refuses to overwrite a bundle without --force', () => {
		const out = path.join(tmp, 'twice');
		runRecord({scenario: 'live', seed: 1, json: false, out, force: false});
		expect(() => runRecord({scenario: 'live', seed: 1, json: false, out, force: false})).toThrowError(/^--out ".*twice": not empty \(5 entries\); give a new or empty folder, or --force to replace a previous bundle there$/);
	});

	it('--force replaces a previous bundle and only its files; a planted symlink is replaced, never written through', () => {
		const out = path.join(tmp, 'planted');
		runRecord({scenario: 'live', seed: 1, json: false, out, force: false});
		const victim = path.join(tmp, 'victim.txt');
		writeFileSync(victim, 'precious\n');
		rmSync(path.join(out, 'kernel.log'));
		symlinkSync(victim, path.join(out, 'kernel.log'));
		writeFileSync(path.join(out, 'notes.txt'), 'mine\n');
		runRecord({scenario: 'overflow', seed: 1, json: false, out, force: true});
		expect(readFileSync(victim, 'utf8')).toBe('precious\n');
		expect(lstatSync(path.join(out, 'kernel.log')).isSymbolicLink()).toBe(false);
		expect(readFileSync(path.join(out, 'kernel.log'), 'utf8')).toMatch(/\] Freezing user space processes/);
		expect(readFileSync(path.join(out, 'notes.txt'), 'utf8')).toBe('mine\n');
		expect(JSON.parse(readFileSync(path.join(out, 'meta.json'), 'utf8'))).toMatchObject({scenario: 'overflow'});
	});

	it('--force into a folder that holds no bundle is refused: the user\'s files are not overwritten', () => {
		const out = path.join(tmp, 'users');
		mkdirSync(out);
		writeFileSync(path.join(out, 'kernel.log'), 'my own log\n');
		expect(() => runRecord({scenario: 'live', seed: 1, json: false, out, force: true})).toThrowError(/not empty and holds no quiesce bundle .*--force only replaces a previous bundle$/);
		expect(readFileSync(path.join(out, 'kernel.log'), 'utf8')).toBe('my own log\n');
	});
});
