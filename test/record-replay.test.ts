import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {runRecord} from '../source/commands/record.js';
import {runReplayHeadless} from '../source/commands/replay.js';
import {runHeadless} from '../source/commands/sim.js';
import {builtinScenarioNames} from '../source/sim/scenario.js';
import {allCycles, replay} from './helpers/replay.js';
import {Sink} from './helpers/sink.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'quiesce-record-'));

/** sim's JSON lines without its final outcome line; replay's without its final end line. */
const body = (text: string) => text.trimEnd().split('\n').slice(0, -1).join('\n');

describe('record, then replay', () => {
	it.each(builtinScenarioNames())('%s: replay --json of the bundle equals sim --headless --json', async name => {
		const out = path.join(tmp, name);
		runRecord({scenario: name, seed: 11, json: false, out, force: true});
		const sim = new Sink();
		runHeadless({scenario: name, seed: 11, json: true}, sim);
		const replayed = new Sink();
		// Exit status 1 when a replayed cycle failed (README "Exit status").
		const failed = /"kind":"state"[^\n]*"status":"failed"/.test(sim.text);
		expect(await runReplayHeadless({path: out, json: true, summary: false}, replayed, new Sink())).toBe(failed ? 1 : 0);
		expect(body(replayed.text)).toBe(body(sim.text));
	});

	it.each(['default', 'task-wont-freeze', 'device-freeze-error', 'overflow', 'busy-window', 'rdma-dma-during-quiesce'])(
		'%s: from kernel.log and sysfs.tsv alone, the same phases and DIMM states',
		async name => {
			const out = path.join(tmp, `${name}-parsed`);
			runRecord({scenario: name, seed: 5, json: false, out, force: true});
			const native = await replay(out);
			rmSync(path.join(out, 'events.ndjson'));
			const parsed = await replay(out);
			expect(parsed.warnings).toEqual([]);
			const phases = (s: typeof native.state) => allCycles(s).map(c => c.phases.map(p => `${p.id}:${p.status}`));
			// The log alone cannot tell a firmware activation from a freeze cycle, nor see the steps that print nothing.
			const comparable = (s: typeof native.state) => phases(s).map(list => list.filter(p => !/^(?:prepare-devices|platform-prep|activation)/.test(p)));
			expect(comparable(parsed.state)).toEqual(comparable(native.state));
			expect(parsed.state.dimms).toEqual(Object.fromEntries(Object.entries(native.state.dimms).map(([k, v]) => [k, {name: v.name, activate: v.activate, result: v.result}])));
			expect(parsed.state.bus).toEqual(native.state.bus);
		},
	);

	it('refuses to overwrite a bundle without --force', () => {
		const out = path.join(tmp, 'twice');
		runRecord({scenario: 'live', seed: 1, json: false, out, force: false});
		expect(() => runRecord({scenario: 'live', seed: 1, json: false, out, force: false})).toThrowError(/not empty \(use --force/);
	});
});
