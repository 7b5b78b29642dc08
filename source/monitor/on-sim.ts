/**
 * What only the simulator (or a rehearsal) says: notes of simulator-only
 * truth — steps, task and device progress, DMA in flight, the memory quiesce
 * — and the operator's actions on the bus.
 */
import type {ActionEvent, NoteEvent} from '../events.js';
import {stageOfStep, type StepId} from '../kernel/quiet-exec.js';
import {parseFirmwarePath} from '../kernel/sysfs.js';
import {enter, fail, finish, isThaw, phase, type Draft} from './draft.js';

const deviceStateAfter: Record<string, string> = {
	prepare: 'prepared',
	freeze: 'frozen',
	freeze_late: 'frozen (late)',
	freeze_noirq: 'frozen (noirq)',
	thaw_noirq: 'thawing',
	thaw_early: 'thawing',
	thaw: 'thawed',
	complete: 'active',
};

export function onNote(d: Draft, e: NoteEvent): void {
	const data = e.data ?? {};
	switch (e.topic) {
		case 'scenario': {
			d.s.source = {scenario: data['scenario'] as string, seed: data['seed'] as number, kernel: data['kernel'] as string, description: e.text};
			d.s.quiesce = {...d.s.quiesce, budgetUs: data['budgetUs'] as number, method: data['method'] as string};
			for (const device of (data['devices'] as Array<{device: string; completionTimeoutUs: number}> | undefined) ?? []) {
				d.device(device.device).completionTimeoutUs = device.completionTimeoutUs;
			}

			return;
		}

		case 'firmware': {
			for (const v of (data['dimms'] as Array<{dimm: number; current: string | null; next: string | null}> | undefined) ?? []) {
				const dimm = d.dimm(`nmem${v.dimm}`);
				dimm.current = v.current;
				dimm.next = v.next;
			}

			return;
		}

		case 'step': {
			const cycle = d.cycleFor(e.t, false);
			const step = data['step'] as StepId;
			const stage = stageOfStep(step);
			if (!cycle || !stage) return;
			if (data['status'] === 'failed') fail(d, cycle, stage, e.t, `${step} failed with ${String(data['errno'])}`);
			else if (cycle.aborted && isThaw(stage)) enter(cycle, stage, e.t).status = 'unwound';
			else if (!cycle.aborted) enter(cycle, stage, e.t);
			return;
		}

		case 'tasks': {
			const cycle = d.cycleFor(e.t, false);
			const kind = data['kind'] === 'kernel' ? 'freeze-kthreads' : 'freeze-user';
			if (!cycle || data['frozen'] === undefined) return;
			const p = phase(cycle, kind);
			p.progress = {done: data['frozen'] as number, total: data['total'] as number, what: kind === 'freeze-user' ? 'tasks frozen' : 'threads frozen'};
			return;
		}

		case 'device': {
			const name = data['device'] as string;
			const device = d.device(name);
			if (data['event'] === 'dma-timeout') {
				device.dmaTimedOut = true;
				return;
			}

			const callback = data['callback'] as string;
			if (data['error'] !== undefined) return;
			device.pm = data['recovering'] ? 'recovered' : (deviceStateAfter[callback] ?? device.pm);
			const cycle = d.cycleFor(e.t, false);
			if (cycle && callback === 'freeze') {
				const p = phase(cycle, 'freeze-devices');
				p.progress = {done: (p.progress?.done ?? 0) + 1, total: Object.keys(d.s.devices).length, what: 'devices frozen'};
			}

			return;
		}

		case 'dma': {
			const device = d.device(data['device'] as string);
			device.dmaInflight = data['inflight'] as number;
			device.completionTimeoutUs = data['completionTimeoutUs'] as number;
			d.warn(e.t, data['timedOut'] ? 'crit' : 'warn', `${String(data['device'])}: ${String(data['inflight'])} DMA reads in flight during the memory quiesce${data['timedOut'] ? ' — they will time out' : ''}`);
			return;
		}

		case 'quiesce': {
			const cycle = d.cycleFor(e.t, false);
			if (data['state'] === 'begin') {
				d.s.quiesce = {...d.s.quiesce, state: 'running', startUs: e.t, endUs: undefined, stallUs: data['stallUs'] as number, budgetUs: data['budgetUs'] as number, estimateUs: data['estimateUs'] as number, forceIdle: data['forceIdle'] as boolean, method: data['method'] as string};
				if (cycle) enter(cycle, 'activation', e.t);
			} else {
				d.s.quiesce = {...d.s.quiesce, state: 'done', endUs: e.t};
				if (cycle && cycle.kind === 'fwa-live') finish(cycle, 'activation', e.t);
			}

			return;
		}

		case 'platform': {
			d.s.quiesce = {...d.s.quiesce, state: 'refused', refusal: e.text, estimateUs: data['estimateUs'] as number, budgetUs: data['budgetUs'] as number};
			d.warn(e.t, 'crit', e.text);
			return;
		}

		default:
	}
}

export function onAction(d: Draft, e: ActionEvent): void {
	// Every refused write counts, whatever file it went to (a log with failed writes never reads "0 errors").
	if (e.op === 'write' && e.result && !e.result.ok) {
		d.s.log = {...d.s.log, failedWrites: d.s.log.failedWrites + 1};
		d.warn(e.t, 'crit', `write "${(e.value ?? '').trim()}" to ${e.path} failed: -${e.result.code} (${e.result.errno})`);
	}

	const file = parseFirmwarePath(e.path);
	if (file?.file !== 'bus-activate' || e.op !== 'write') return;
	if (e.result === null) {
		const live = (e.value ?? '').trim() === 'live';
		const cycle = d.openCycle(live ? 'fwa-live' : 'fwa-quiesce', e.t);
		if (live) {
			for (const p of cycle.phases) if (p.id !== 'activation') p.status = 'skipped';
			enter(cycle, 'activation', e.t);
		}

		d.s.quiesce = {...d.s.quiesce, state: 'idle', method: live ? 'live' : 'quiesce', stallUs: undefined, startUs: undefined, endUs: undefined, refusal: undefined};
		return;
	}

	const cycle = d.s.cycle?.status === 'running' && d.s.cycle.kind.startsWith('fwa') ? d.cycle : undefined;
	const result = e.result.ok ? '0' : `-${e.result.code} (${e.result.errno})`;
	if (cycle) {
		cycle.write = result;
		if (!e.result.ok) d.addFailure(cycle, {id: 'write', t: e.t, text: `the write to ${e.path} returned an error`, errno: -e.result.code});
		d.closeCycle(e.t);
	}
}
