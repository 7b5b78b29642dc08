/**
 * The verdicts come from kernel evidence: the same scenario with every
 * simulator note removed (only log lines, sysfs values and the operator's
 * reads and writes left) gets the same outcome.
 */
import {describe, expect, it} from 'vitest';
import {reduceAll} from '../source/monitor/reducer.js';
import {outcome, phaseRows, quiesceView} from '../source/monitor/selectors.js';
import type {MonitorState} from '../source/monitor/state.js';
import type {TimelineEvent} from '../source/events.js';
import {readAfterWrite} from '../source/player/player.js';

const seen = (timeline: TimelineEvent[], state: MonitorState) => readAfterWrite(timeline, timeline.length, state.cycle?.endUs);
import {simulate} from './helpers/sim.js';

const expected: Record<string, string> = {
	default: 'completed',
	live: 'completed',
	overflow: 'overflow',
	'platform-abort': 'refused',
	'task-wont-freeze': 'never-reached',
	'kthread-wont-freeze': 'never-reached',
	'device-freeze-error': 'never-reached',
	'device-noirq-error': 'never-reached',
	'hibernation-busy': 'never-reached',
	'rdma-dma-during-quiesce': 'damaged',
	'dimm-fail': 'damaged',
	'need-reset': 'damaged',
	'not-staged': 'damaged',
};

describe('outcomes from evidence only', () => {
	it.each(Object.entries(expected))('%s: %s, with or without the simulator notes', (scenario, kind) => {
		const timeline = simulate(scenario).timeline;
		const withNotes = reduceAll(timeline);
		const kernelOnly = timeline.filter(e => e.kind !== 'note');
		const evidence = reduceAll(kernelOnly);
		expect(outcome(withNotes, seen(timeline, withNotes)).kind).toBe(kind);
		expect(outcome(evidence, seen(kernelOnly, evidence)).kind).toBe(kind);
		if (kind !== 'completed') {
			expect(outcome(evidence, seen(kernelOnly, evidence)).word).not.toBe('OK');
			expect(phaseRows(evidence, evidence.t, seen(kernelOnly, evidence)).map(r => r.status)).not.toContain('OK');
		}
	});

	it('a refused activation is never "done" in the phase list', () => {
		const timeline = simulate('overflow').timeline;
		const state = reduceAll(timeline);
		expect(phaseRows(state, state.t, seen(timeline, state)).find(r => r.id === 'activation')?.status).toBe('OVERFLOW');
	});

	it('one number for the memory quiesce, labelled; the simulated stall is labelled as such', () => {
		const state = reduceAll(simulate('default').timeline);
		const view = quiesceView(state, state.t);
		const row = phaseRows(state, state.t).find(r => r.id === 'activation')!;
		expect(view.numberLabel).toBe('activation phase');
		expect(row.elapsed).toBe(`${view.numberUs} µs`);
		expect(view.lines.map(l => l.text).join('\n')).toMatch(/^simulated platform stall: \d+ µs/m);
	});

	it('a cycle not (yet) seen to be an activation: "not seen yet" while it runs, "none" once it ended', () => {
		// Real 6.1 lines (traces/qemu-6.1, a hibernation test cycle): nothing in them says "activation".
		const log = (t: number, text: string): TimelineEvent => ({kind: 'log', t, text, origin: 'kernel'});
		expect(quiesceView(reduceAll([]), 0).numberLabel).toBe('no firmware activation yet');
		const running = [log(1_000_000, 'PM: hibernation: hibernation entry'), log(1_000_100, 'Freezing user space processes')];
		const whileRunning = reduceAll(running);
		expect(whileRunning.cycle?.status).toBe('running');
		expect(quiesceView(whileRunning, 1_000_200).numberLabel).toBe('no firmware activation seen in this cycle yet');
		const ended = reduceAll([...running, log(1_000_500, 'Freezing user space processes completed (elapsed 0.000 seconds)'), log(1_001_000, 'Restarting tasks ... done.'), log(1_001_100, 'PM: hibernation: hibernation exit')]);
		expect(ended.cycle?.status).not.toBe('running');
		expect(quiesceView(ended, 1_002_000).numberLabel).toBe('no firmware activation in this cycle');
	});

	it('a write that returned 0 with no DIMM result read is not confirmed', () => {
		const timeline = simulate('default').timeline;
		const issued = timeline.findIndex(e => e.kind === 'action' && e.result === null);
		const returned = timeline.findLastIndex(e => e.kind === 'action' && e.op === 'write' && e.result !== null && e.path.endsWith('ndbus0/firmware/activate'));
		// The kernel's log and the write's return, but no sysfs value read after the write was issued.
		const cut = timeline.slice(0, returned + 1).filter((e, i) => i <= issued || e.kind !== 'sysfs');
		const state = reduceAll(cut);
		expect(state.cycle?.write).toBe('0');
		expect(seen(cut, state).readAfterWrite).toBe(false);
		expect(state.bus.activate).toBe('armed'); // stale: read before the write
		expect(outcome(state, seen(cut, state)).line).toMatch(/not confirmed/);
		expect(outcome(state, seen(cut, state)).kind).toBe('unverified');
	});

	it('overflow read only before the write is not yet a refusal (nfit_test activates over its limit)', () => {
		const timeline = simulate('overflow').timeline;
		const returned = timeline.findLastIndex(e => e.kind === 'action' && e.op === 'write' && e.result !== null && e.path.endsWith('ndbus0/firmware/activate'));
		const cut = timeline.slice(0, returned + 1);
		const state = reduceAll(cut);
		expect(outcome(state, seen(cut, state)).kind).toBe(seen(cut, state).readAfterWrite ? 'overflow' : 'unverified');
		expect(outcome(reduceAll(simulate('nfit-test').timeline)).word).not.toBe('OVERFLOW');
	});
});
