/**
 * The reducer's working copy of the state (copy-on-write of what an event
 * changes) and the phase bookkeeping every source of events shares: enter a
 * phase, finish it, fail it — in kernel order, inferring the silent ones.
 */
import {stages, type StageId} from '../kernel/quiet-exec.js';
import type {Cycle, CycleKind, DeviceView, MonitorState, Phase, PhaseStatus, Warning} from './state.js';

const stageOrder: StageId[] = stages.map(s => s.id);

/** History kept in the state; totals count everything. */
export const maxCycles = 100;
export const maxWarnings = 200;

const sleepLabels: Partial<Record<StageId, string>> = {
	'freeze-devices': 'Suspend devices',
	'freeze-late-noirq': 'Late/noirq suspend',
	'platform-prep': 'Platform prepare',
	activation: 'System sleep',
	'thaw-devices': 'Resume devices',
};

function newCycle(kind: CycleKind, t: number, detail?: string): Cycle {
	const sleep = kind === 'suspend' || kind === 'hibernate' || kind === 'freeze';
	return {
		kind,
		detail,
		startUs: t,
		status: 'running',
		refusing: [],
		phases: stages.map(s => ({id: s.id, label: (sleep ? sleepLabels[s.id] : undefined) ?? s.label, status: 'pending' as PhaseStatus})),
	};
}

/** Working copy of the state for one event: copy-on-write of what changes. */
export class Draft {
	readonly s: MonitorState;
	private cycleCopied = false;

	constructor(state: MonitorState, t: number) {
		this.s = {...state, t: Math.max(state.t, t)};
	}

	get cycle(): Cycle | undefined {
		if (this.s.cycle && !this.cycleCopied) {
			this.s.cycle = {...this.s.cycle, phases: this.s.cycle.phases.map(p => ({...p})), refusing: [...this.s.cycle.refusing]};
			this.cycleCopied = true;
		}

		return this.s.cycle;
	}

	openCycle(kind: CycleKind, t: number, detail?: string): Cycle {
		const current = this.s.cycle;
		if (current && current.status === 'running') {
			// A new cycle while one runs: refine its kind if it has not got far.
			const cycle = this.cycle!;
			if (cycle.kind === 'freeze' || (kind !== 'freeze' && !cycle.phases.some(p => p.status !== 'pending'))) {
				const fresh = newCycle(kind, cycle.startUs, detail ?? cycle.detail);
				fresh.phases = fresh.phases.map((p, i) => ({...cycle.phases[i]!, label: p.label}));
				Object.assign(cycle, {kind, detail: detail ?? cycle.detail, phases: fresh.phases});
				return cycle;
			}

			this.closeCycle(t);
			this.archive(this.s.cycle!);
		} else if (current) {
			this.archive(current);
		}

		this.s.cycle = newCycle(kind, t, detail);
		this.cycleCopied = true;
		return this.s.cycle;
	}

	/** Keep the latest cycles (bounded: a multi-gigabyte log may hold hundreds of thousands). */
	private archive(cycle: Cycle): void {
		const kept = this.s.cycles.length >= maxCycles ? this.s.cycles.slice(1 - maxCycles) : this.s.cycles;
		this.s.cycles = [...kept, cycle];
		this.s.totals = {...this.s.totals, cycles: this.s.totals.cycles + 1, failed: this.s.totals.failed + (cycle.status === 'failed' ? 1 : 0)};
	}

	/** The cycle a kernel line belongs to; freezer lines open one if none runs. */
	cycleFor(t: number, open = true): Cycle | undefined {
		if (this.s.cycle?.status === 'running') return this.cycle;
		return open ? this.openCycle('freeze', t) : undefined;
	}

	closeCycle(t: number): void {
		const cycle = this.cycle;
		if (!cycle || cycle.status !== 'running') return;
		cycle.endUs = t;
		for (const phase of cycle.phases) {
			if (phase.status === 'running') {
				phase.status = cycle.failure && isThaw(phase.id) ? 'unwound' : 'done';
				phase.endUs = t;
			} else if (phase.status === 'pending') phase.status = 'skipped';
		}

		cycle.status = cycle.failure ? 'failed' : 'ok';
	}

	warn(t: number, severity: Warning['severity'], text: string, where?: string): void {
		if (this.s.warnings.some(w => w.text === text)) return;
		const warning: Warning = {t, severity, text};
		if (where) warning.where = where;
		const kept = this.s.warnings.length >= maxWarnings ? this.s.warnings.slice(1 - maxWarnings) : this.s.warnings;
		this.s.warnings = [...kept, warning];
	}

	device(name: string): DeviceView {
		const previous = this.s.devices[name] ?? {name, pm: 'active', errors: []};
		const copy = {...previous, errors: [...previous.errors]};
		const devices = Object.assign({}, this.s.devices);
		devices[name] = copy;
		this.s.devices = devices;
		return copy;
	}

	dimm(name: string) {
		const copy = {...(this.s.dimms[name] ?? {name})};
		this.s.dimms = {...this.s.dimms, [name]: copy};
		return copy;
	}
}

export function isThaw(id: StageId): boolean {
	return id === 'thaw-devices' || id === 'thaw-tasks';
}

export function phase(cycle: Cycle, id: StageId): Phase {
	return cycle.phases.find(p => p.id === id)!;
}

/** Enter a phase: earlier running phases are done, earlier pending ones were skipped. */
export function enter(cycle: Cycle, id: StageId, t: number, status: PhaseStatus = 'running'): Phase {
	const index = stageOrder.indexOf(id);
	const unwinding = cycle.failure !== undefined && isThaw(id);
	const devicesFroze = ['done', 'failed'].includes(phase(cycle, 'freeze-devices').status);
	for (const p of cycle.phases.slice(0, index)) {
		if (p.status === 'running') {
			p.status = cycle.failure && isThaw(p.id) ? 'unwound' : 'done';
			p.endUs ??= t;
		} else if (p.status === 'pending') {
			// The kernel runs its steps in order: a phase that printed nothing still ran if a later
			// one of the same side did (pm_debug_messages off); devices that froze were thawed.
			const ran = (!isThaw(p.id) && !isThaw(id) && !cycle.failure) || (p.id === 'thaw-devices' && devicesFroze);
			p.status = ran ? (cycle.failure && isThaw(p.id) ? 'unwound' : 'done') : 'skipped';
		}
	}

	const target = phase(cycle, id);
	if (target.status === 'pending' || target.status === 'skipped') {
		target.status = unwinding && status === 'running' ? 'unwound' : status;
		target.startUs ??= t;
	} else if (status !== 'running') target.status = status;
	if (unwinding && target.status === 'running') target.status = 'unwound';
	return target;
}

export function finish(cycle: Cycle, id: StageId, t: number, status: PhaseStatus = 'done', startHint?: number): Phase {
	const existing = phase(cycle, id);
	// A later pass over the same devices (hibernation's thaw, then poweroff) does not stretch a phase that ended.
	if (existing.endUs !== undefined && existing.status !== 'running') return existing;
	if (existing.status === 'pending' && startHint !== undefined) existing.startUs = startHint;
	const target = enter(cycle, id, t, 'running');
	target.status = cycle.failure && isThaw(id) && status === 'done' ? 'unwound' : status;
	target.endUs = t;
	return target;
}

export function fail(d: Draft, cycle: Cycle, id: StageId, t: number, why: string): void {
	const target = enter(cycle, id, t, 'running');
	target.status = 'failed';
	target.endUs = t;
	target.detail = why;
	cycle.failure ??= why;
	// Phases that never ran are skipped; the thaw phases will run as the unwind.
	for (const p of cycle.phases.slice(stageOrder.indexOf(id) + 1)) if (p.status === 'pending' && !isThaw(p.id)) p.status = 'skipped';
	d.warn(t, 'crit', why);
}

/** A device keeps its latest errors only (a flapping device must not grow the state). */
export function addError(device: DeviceView, text: string): void {
	device.errors.push(text);
	if (device.errors.length > 20) device.errors.splice(0, device.errors.length - 20);
}
