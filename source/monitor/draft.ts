/**
 * The reducer's working copy of the state (copy-on-write of what an event
 * changes) and the cycle bookkeeping every source of events shares: open a
 * cycle (whole, or from its middle), enter a phase, finish it, fail it — in
 * kernel order, inferring the silent ones — and close it with the evidence
 * there is: the kernel said it completed, something else began, or the
 * machine restarted.
 */
import {errnoName} from '../kernel/errno-names.js';
import {stages, type StageId} from '../kernel/quiet-exec.js';
import type {Cycle, CycleFailure, CycleKind, DeviceView, MonitorState, Phase, PhaseStatus, Warning} from './state.js';

const stageOrder: StageId[] = stages.map(s => s.id);

/** History kept in the state; totals count everything. */
export const maxCycles = 100;
export const maxWarnings = 200;
/** Failures kept per cycle (a flapping device must not grow the state). */
export const maxFailures = 32;

const sleepLabels: Partial<Record<StageId, string>> = {
	'freeze-devices': 'Suspend devices',
	'freeze-late-noirq': 'Late/noirq suspend',
	'platform-prep': 'Platform prepare',
	activation: 'System sleep',
	'thaw-devices': 'Resume devices',
};

export type Opening = 'whole' | 'partial';
export type Closing = 'evidence' | 'interrupted' | 'restart';

function newCycle(kind: CycleKind, t: number, detail?: string): Cycle {
	const sleep = kind === 'suspend' || kind === 'hibernate' || kind === 'freeze';
	return {
		kind,
		detail,
		startUs: t,
		status: 'running',
		refusing: [],
		failures: [],
		timings: [],
		phases: stages.map(s => ({id: s.id, label: (sleep ? sleepLabels[s.id] : undefined) ?? s.label, status: 'pending' as PhaseStatus})),
	};
}

export function relabel(cycle: Cycle): void {
	const sleep = cycle.kind === 'suspend' || cycle.kind === 'hibernate' || cycle.kind === 'freeze';
	for (const p of cycle.phases) {
		if (p.id === 'activation' && cycle.pmTest) continue;
		p.label = (sleep ? sleepLabels[p.id] : undefined) ?? stages.find(s => s.id === p.id)!.label;
	}
}

/** Where the event being reduced came from. */
export type Where = {file?: string; line?: number; clockUs?: number};

/**
 * Working copy of the state for one event: copy-on-write of what changes — or, `inPlace`, the
 * state itself, changed where it stands (a consumer that never looks back at an earlier state:
 * replay --summary, the player between keyframes). Same changes either way, without the copies.
 */
export class Draft {
	readonly s: MonitorState;
	private cycleCopied: boolean;
	/** The current cycle was changed by this event. */
	touched = false;

	constructor(state: MonitorState, t: number, readonly where: Where = {}, readonly inPlace = false) {
		if (inPlace) {
			this.s = state;
			if (t > state.t) state.t = t;
		} else this.s = {...state, t: Math.max(state.t, t)};
		this.cycleCopied = inPlace;
	}

	get cycle(): Cycle | undefined {
		if (this.s.cycle && !this.cycleCopied) {
			this.s.cycle = {...this.s.cycle, phases: this.s.cycle.phases.map(p => ({...p})), refusing: [...this.s.cycle.refusing], failures: [...this.s.cycle.failures], timings: [...this.s.cycle.timings], ...(this.s.cycle.driverErrors ? {driverErrors: [...this.s.cycle.driverErrors]} : {})};
			this.cycleCopied = true;
		}

		if (this.s.cycle) this.touched = true;
		return this.s.cycle;
	}

	/** The running cycle, if any (without copying it). */
	get running(): Cycle | undefined {
		return this.s.cycle?.status === 'running' ? this.s.cycle : undefined;
	}

	openCycle(kind: CycleKind, t: number, detail?: string, opening: Opening = 'whole'): Cycle {
		const current = this.s.cycle;
		if (current && current.status === 'running') {
			// A new cycle while one runs: refine its kind if it has not got far (an entry line after
			// an older kernel's sync line, a write after the freezer lines it caused).
			const cycle = this.cycle!;
			const untouched = !cycle.phases.some(p => p.status !== 'pending') && cycle.failures.length === 0;
			// A quiesce write explains the freezer lines that came with it (capture clocks differ by a little).
			const explains = kind.startsWith('fwa') && cycle.kind === 'freeze' && cycle.failures.length === 0;
			if (kind !== 'freeze' && (untouched || explains)) {
				Object.assign(cycle, {kind, detail: detail ?? cycle.detail});
				relabel(cycle);
				return cycle;
			}

			this.closeCycle(t, 'interrupted');
			this.archive(this.s.cycle!);
		} else if (current) {
			this.archive(current);
		}

		const cycle = newCycle(kind, t, detail);
		this.s.cyclesOpened = (this.s.cyclesOpened ?? 0) + 1;
		cycle.ordinal = this.s.cyclesOpened;
		if (opening === 'partial') cycle.partial = 'start-missing';
		this.s.cycle = cycle;
		this.cycleCopied = true;
		this.touched = true;
		return cycle;
	}

	/** Keep the latest cycles (bounded: a multi-gigabyte log may hold hundreds of thousands). */
	private archive(cycle: Cycle): void {
		if (this.inPlace) {
			const {cycles, totals} = this.s;
			cycles.push(cycle);
			if (cycles.length > maxCycles) cycles.splice(0, cycles.length - maxCycles);
			totals.cycles++;
			if (cycle.status === 'failed') totals.failed++;
			if (cycle.status === 'ok') totals.ok++;
			if (cycle.status === 'incomplete' || cycle.status === 'running') totals.incomplete++;
			totals.byKind[cycle.kind] = (totals.byKind[cycle.kind] ?? 0) + 1;
			return;
		}

		const kept = this.s.cycles.length >= maxCycles ? this.s.cycles.slice(1 - maxCycles) : this.s.cycles;
		this.s.cycles = [...kept, cycle];
		const totals = this.s.totals;
		this.s.totals = {
			cycles: totals.cycles + 1,
			failed: totals.failed + (cycle.status === 'failed' ? 1 : 0),
			ok: totals.ok + (cycle.status === 'ok' ? 1 : 0),
			incomplete: totals.incomplete + (cycle.status === 'incomplete' || cycle.status === 'running' ? 1 : 0),
			byKind: {...totals.byKind, [cycle.kind]: (totals.byKind[cycle.kind] ?? 0) + 1},
		};
	}

	/**
	 * The cycle a kernel line belongs to. With no cycle running, a line from the middle of
	 * one opens it as partial ("started before the log"); `whole` lines are a cycle's first.
	 */
	cycleFor(t: number, open: Opening | false = 'partial'): Cycle | undefined {
		const running = this.running;
		// A cycle's first line (a sync, freezing user space) while one has got that far already: a new
		// attempt began — unless a hibernation's boot kernel is restoring (it freezes again).
		if ((running && open === 'whole' && ['done', 'failed', 'skipped', 'unwound'].includes(running.phases[0]!.status) && !(running.kind === 'hibernate' && (running.image === 'restoring' || running.image === 'powered-off')))) {
			this.closeCycle(t, 'interrupted');
		} else if (running) return this.cycle;
		if (!open) return undefined;
		const cycle = this.openCycle('freeze', t, undefined, open);
		cycle.openedBy = open === 'whole' ? 'start' : 'middle';
		return cycle;
	}

	/**
	 * Close the running cycle. `evidence`: the kernel said it ended (exit line, tasks restarted,
	 * the write returned). `interrupted`: something else began first — it ended unseen.
	 * `restart`: a new boot — the machine restarted during whatever phase ran.
	 */
	closeCycle(t: number, how: Closing = 'evidence'): void {
		const cycle = this.running ? this.cycle : undefined;
		if (!cycle) return;
		cycle.endUs = t;
		if (this.where.line !== undefined && cycle.lines) cycle.lines = {...cycle.lines, last: Math.max(cycle.lines.last, this.where.line)};
		if (how === 'restart') {
			const during = [...cycle.phases].reverse().find(p => p.status === 'running') ?? [...cycle.phases].reverse().find(p => p.status !== 'pending' && p.status !== 'skipped');
			const what = during ? `during "${during.label}"` : 'before the cycle got anywhere';
			this.addFailure(cycle, {id: 'restart', t, text: `the machine restarted ${what}`});
			if (during?.status === 'running') {
				during.status = 'failed';
				during.endUs = t;
			}
		}

		for (const phase of cycle.phases) {
			if (how !== 'evidence') continue;
			if (phase.status === 'running') {
				phase.status = cycle.aborted && isThaw(phase.id) ? 'unwound' : 'done';
				phase.endUs = t;
			} else if (phase.status === 'pending') phase.status = 'skipped';
		}

		if (cycle.failure || cycle.failures.length > 0) cycle.status = 'failed';
		else if (how === 'evidence') cycle.status = cycle.partial === 'start-missing' ? 'incomplete' : 'ok';
		else cycle.status = 'incomplete';
		if (how === 'interrupted') cycle.partial ??= 'end-missing';
		// Only a cycle the kernel ended waits for its exit line.
		if (how !== 'evidence') cycle.exitPending = undefined;
	}

	/** Record a failure the kernel reported (bounded), and make it the cycle's reason if it is the first. */
	addFailure(cycle: Cycle, failure: Omit<CycleFailure, 'errnoName' | 'file' | 'line'>): void {
		const full: CycleFailure = {...failure};
		if (failure.errno !== undefined) {
			const name = errnoName(failure.errno);
			if (name) full.errnoName = name;
		}

		if (this.where.file !== undefined) full.file = this.where.file;
		if (this.where.line !== undefined) full.line = this.where.line;
		cycle.failures.push(full);
		// A failure reported after the tasks came back but before the exit line.
		if (cycle.status === 'ok' || cycle.status === 'incomplete') cycle.status = 'failed';
		if (cycle.failures.length > maxFailures) cycle.failures.splice(0, cycle.failures.length - maxFailures);
		cycle.failure ??= describeFailure(full);
	}

	warn(t: number, severity: Warning['severity'], text: string, where?: string): void {
		if (this.s.warnings.some(w => w.text === text)) return;
		const warning: Warning = {t, severity, text};
		if (where) warning.where = where;
		if (this.inPlace) {
			this.s.warnings.push(warning);
			if (this.s.warnings.length > maxWarnings) this.s.warnings.splice(0, this.s.warnings.length - maxWarnings);
			return;
		}

		const kept = this.s.warnings.length >= maxWarnings ? this.s.warnings.slice(1 - maxWarnings) : this.s.warnings;
		this.s.warnings = [...kept, warning];
	}

	device(name: string): DeviceView {
		if (this.inPlace) return (this.s.devices[name] ??= {name, pm: 'active', errors: []});
		const previous = this.s.devices[name] ?? {name, pm: 'active', errors: []};
		const copy = {...previous, errors: [...previous.errors]};
		const devices = Object.assign({}, this.s.devices);
		devices[name] = copy;
		this.s.devices = devices;
		return copy;
	}

	dimm(name: string) {
		if (this.inPlace) return (this.s.dimms[name] ??= {name});
		const copy = {...(this.s.dimms[name] ?? {name})};
		this.s.dimms = {...this.s.dimms, [name]: copy};
		return copy;
	}
}

/** "device X: failed to suspend async (-16 EBUSY)". */
export function describeFailure(f: Pick<CycleFailure, 'text' | 'errno' | 'errnoName' | 'device'>): string {
	const errno = f.errno === undefined ? '' : ` (${f.errno}${f.errnoName ? ` ${f.errnoName}` : ''})`;
	const device = f.device && !f.text.includes(f.device) ? `${f.device}: ` : '';
	return `${device}${f.text}${errno}`;
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
	const unwinding = cycle.aborted === true && isThaw(id);
	const devicesFroze = ['running', 'done', 'failed'].includes(phase(cycle, 'freeze-devices').status);
	for (const p of cycle.phases.slice(0, index)) {
		if (p.status === 'running') {
			p.status = cycle.aborted && isThaw(p.id) ? 'unwound' : 'done';
			p.endUs ??= t;
		} else if (p.status === 'pending') {
			// The kernel runs its steps in order (kernel/quiet-exec.ts, hibernate.c, suspend.c): a phase that
			// printed nothing still ran if a later one of the same side did (pm_debug_messages off); devices
			// that froze were thawed. A cycle seen from its middle does not vouch for what came before.
			// Entering the thaw of a cycle that did not abort: every suspend-side step ran (quiet-exec.ts order).
			const ran = cycle.partial !== 'start-missing' && (isThaw(p.id) ? p.id === 'thaw-devices' && devicesFroze : !cycle.aborted);
			p.status = ran ? (cycle.aborted && isThaw(p.id) ? 'unwound' : 'done') : 'skipped';
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
	target.status = cycle.aborted && isThaw(id) && status === 'done' ? 'unwound' : status;
	target.endUs = t;
	return target;
}

/** A phase failed: the cycle fails with this failure (or `why` in words, for the simulator's notes). */
export function fail(d: Draft, cycle: Cycle, id: StageId, t: number, why: string, failure?: Omit<CycleFailure, 'errnoName' | 'file' | 'line' | 't'>): void {
	const target = enter(cycle, id, t, 'running');
	target.status = 'failed';
	target.endUs = t;
	target.detail = why;
	// A suspend-side step failed: the kernel unwinds (the thaw that follows undoes, it does not resume).
	if (!isThaw(id)) cycle.aborted = true;
	d.addFailure(cycle, failure ? {...failure, t} : {id: 'phase', t, text: why});
	// Phases that never ran are skipped; the thaw phases will run as the unwind.
	for (const p of cycle.phases.slice(stageOrder.indexOf(id) + 1)) if (p.status === 'pending' && !isThaw(p.id)) p.status = 'skipped';
	d.warn(t, 'crit', why);
}

/** A device keeps its latest errors only (a flapping device must not grow the state). */
export function addError(device: DeviceView, text: string, cycle: number | undefined): void {
	device.errors.push(text);
	device.lastErrorCycle = cycle;
	if (device.errors.length > 20) device.errors.splice(0, device.errors.length - 20);
}

/** A bus `activate` or DIMM `result` value seen after the last activation's write returned (state.activation). */
export function readBack(d: Draft, t: number, what: 'bus' | `nmem${number}`, value: string): void {
	const last = d.s.activation;
	if (!last || t < last.writeEndUs || last.closedUs !== undefined) return;
	// A new object each time: a player's keyframes and a summary holding a cycle keep the one they saw.
	d.s.activation = what === 'bus' ? {...last, bus: value} : {...last, results: {...last.results, [what]: value}};
}
