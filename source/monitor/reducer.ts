/**
 * The one reducer: events in, monitor state out. It reads kernel log lines
 * through kernel/recognise.ts, sysfs values by path, and the simulator's
 * notes and actions when there are any — so a simulated timeline and a real
 * suspend log from a laptop both show their freeze cycle phase by phase.
 * Pure: same events, same state.
 */
import type {ActionEvent, LogEvent, NoteEvent, SysfsEvent, TimelineEvent} from '../events.js';
import {stages, stageOfStep, type StageId, type StepId} from '../kernel/quiet-exec.js';
import {recognise, type Signal} from '../kernel/recognise.js';
import {parseFirmwarePath} from '../kernel/sysfs.js';
import {initialState, type Cycle, type CycleKind, type DeviceView, type MonitorState, type Phase, type PhaseStatus, type Warning} from './state.js';

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
class Draft {
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

function isThaw(id: StageId): boolean {
	return id === 'thaw-devices' || id === 'thaw-tasks';
}

function phase(cycle: Cycle, id: StageId): Phase {
	return cycle.phases.find(p => p.id === id)!;
}

/** Enter a phase: earlier running phases are done, earlier pending ones were skipped. */
function enter(cycle: Cycle, id: StageId, t: number, status: PhaseStatus = 'running'): Phase {
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

function finish(cycle: Cycle, id: StageId, t: number, status: PhaseStatus = 'done', startHint?: number): Phase {
	const existing = phase(cycle, id);
	// A later pass over the same devices (hibernation's thaw, then poweroff) does not stretch a phase that ended.
	if (existing.endUs !== undefined && existing.status !== 'running') return existing;
	if (existing.status === 'pending' && startHint !== undefined) existing.startUs = startHint;
	const target = enter(cycle, id, t, 'running');
	target.status = cycle.failure && isThaw(id) && status === 'done' ? 'unwound' : status;
	target.endUs = t;
	return target;
}

function fail(d: Draft, cycle: Cycle, id: StageId, t: number, why: string): void {
	const target = enter(cycle, id, t, 'running');
	target.status = 'failed';
	target.endUs = t;
	target.detail = why;
	cycle.failure ??= why;
	// Phases that never ran are skipped; the thaw phases will run as the unwind.
	for (const p of cycle.phases.slice(stageOrder.indexOf(id) + 1)) if (p.status === 'pending' && !isThaw(p.id)) p.status = 'skipped';
	d.warn(t, 'crit', why);
}

const freezeVerbs = new Set(['freeze', 'suspend', 'poweroff', 'hibernate', 'quiesce']);

function onSignal(d: Draft, signal: Signal, e: LogEvent): void {
	const t = e.t;
	switch (signal.type) {
		case 'cycle-start': {
			d.openCycle(signal.kind, t, signal.detail);
			return;
		}

		case 'cycle-end': {
			d.closeCycle(t);
			return;
		}

		case 'fs-sync': {
			d.cycleFor(t);
			return;
		}

		case 'cycle-hint': {
			const cycle = d.cycleFor(t);
			if (cycle && cycle.kind === 'freeze') d.openCycle(signal.kind, t, signal.detail);
			return;
		}

		case 'cycle-error': {
			const cycle = d.cycleFor(t, false);
			if (!cycle) return;
			const running = cycle.phases.find(p => p.status === 'running' && !isThaw(p.id));
			fail(d, cycle, running?.id ?? 'activation', t, signal.text);
			return;
		}

		case 'freeze-start': {
			const cycle = d.cycleFor(t)!;
			const p = enter(cycle, signal.what === 'user' ? 'freeze-user' : 'freeze-kthreads', t);
			if (signal.what === 'user') cycle.userFrozenFromUs ??= t;
			p.startUs ??= t;
			return;
		}

		case 'freeze-done': {
			const cycle = d.cycleFor(t)!;
			const id = signal.what === 'user' ? 'freeze-user' : 'freeze-kthreads';
			const p = phase(cycle, id);
			// The kernel's own elapsed time beats the stamp of the start line.
			if (signal.elapsedMs !== undefined) p.startUs = Math.min(p.startUs ?? t, t - signal.elapsedMs * 1000);
			if (signal.what === 'user') cycle.userFrozenFromUs = Math.min(cycle.userFrozenFromUs ?? t, p.startUs ?? t);
			finish(cycle, id, t);
			return;
		}

		case 'freeze-failed': {
			const cycle = d.cycleFor(t)!;
			const id = signal.what === 'kernel' || (signal.what === 'unknown' && phase(cycle, 'freeze-user').status === 'done') ? 'freeze-kthreads' : 'freeze-user';
			const startUs = t - signal.elapsedMs * 1000;
			if (id === 'freeze-user') cycle.userFrozenFromUs = Math.min(cycle.userFrozenFromUs ?? t, startUs);
			fail(d, cycle, id, t, `${signal.refusing} task(s) refused to freeze (${signal.aborted ? 'aborted' : 'failed'} after ${(signal.elapsedMs / 1000).toFixed(3)} s)`);
			phase(cycle, id).startUs = Math.min(phase(cycle, id).startUs ?? t, startUs);
			return;
		}

		case 'task-dump': {
			const cycle = d.cycleFor(t, false);
			if (cycle?.failure && cycle.refusing.length < 64 && signal.state === 'D') {
				cycle.refusing.push({comm: signal.comm, pid: signal.pid, state: signal.state});
				d.warn(t, 'crit', `task ${signal.comm}${signal.pid ? ` (pid ${signal.pid})` : ''} in D state refused to freeze`);
			}

			return;
		}

		case 'oom-killer': {
			const cycle = d.cycleFor(t, !signal.enabled);
			if (!cycle) return;
			if (signal.enabled) enter(cycle, 'thaw-tasks', t);
			else if (phase(cycle, 'freeze-user').status === 'running') finish(cycle, 'freeze-user', t);
			return;
		}

		case 'console-suspend': {
			const cycle = d.cycleFor(t)!;
			finish(cycle, 'prepare-devices', t);
			enter(cycle, 'freeze-devices', t);
			return;
		}

		case 'dpm-phase': {
			const cycle = d.cycleFor(t)!;
			const suspending = freezeVerbs.has(signal.verb);
			if (signal.info === '' || signal.info === 'end') {
				const id = suspending ? (signal.info === 'end' ? 'freeze-late-noirq' : 'freeze-devices') : 'thaw-devices';
				if (signal.aborted) {
					fail(d, cycle, id, t, `${signal.info === 'end' ? 'late/noirq ' : ''}${signal.verb} of devices aborted after ${(signal.usecs / 1000).toFixed(3)} ms`);
					phase(cycle, id).startUs ??= t - signal.usecs;
				} else finish(cycle, id, t, 'done', t - signal.usecs);
				return;
			}

			if (suspending) {
				const p = enter(cycle, 'freeze-late-noirq', t);
				p.startUs ??= t - signal.usecs;
				if (signal.aborted) fail(d, cycle, 'freeze-late-noirq', t, `${signal.info} ${signal.verb} of devices aborted`);
				return;
			}

			enter(cycle, 'thaw-devices', t - signal.usecs);
			return;
		}

		case 'callback-error':
		case 'device-failed':
		case 'device-not-prepared': {
			const device = signal.type === 'callback-error' ? signal.device : signal.device;
			const text = signal.type === 'device-failed'
				? `failed to ${signal.verb}${signal.info ? ` ${signal.info}` : ''}: error ${signal.errno}`
				: signal.type === 'device-not-prepared' ? `not prepared: code ${signal.errno}` : `${signal.caller}(): ${signal.callee} returns ${signal.errno}`;
			if (device) addError(d.device(device), text);
			if (signal.type !== 'callback-error' || device) d.warn(t, 'crit', `${device ?? 'a device'}: ${text}`);
			const cycle = d.cycleFor(t, false);
			if (cycle && signal.type === 'device-not-prepared') fail(d, cycle, 'prepare-devices', t, `${device} not prepared (${signal.errno})`);
			return;
		}

		case 'devices-failed': {
			const cycle = d.cycleFor(t, false);
			if (cycle) fail(d, cycle, 'freeze-devices', t, 'some devices failed to suspend, or an early wake event was detected');
			return;
		}

		case 'device-callback': {
			const verb = /(freeze|suspend|poweroff|thaw|resume|restore|prepare|complete)/.exec(signal.callback)?.[1];
			const pm = verb ? (signal.phase === 'calling' ? `${verb}…` : pmAfter(verb)) : undefined;
			// Copy-on-write only when something changes: a busy log prints thousands of these.
			if ((pm && d.s.devices[signal.device]?.pm !== pm) || signal.errno) {
				const device = d.device(signal.device);
				if (pm) device.pm = pm;
				if (signal.errno) addError(device, `${signal.callback} returned ${signal.errno}`);
			}

			if (signal.phase !== 'returned' || !verb || !freezeVerbs.has(verb)) return;
			const cycle = d.cycleFor(t, false);
			if (cycle) {
				const p = phase(cycle, 'freeze-devices');
				if (p.status === 'pending' || p.status === 'running') {
					enter(cycle, 'freeze-devices', t);
					p.progress = {done: (p.progress?.done ?? 0) + 1, total: p.progress?.total, what: 'devices frozen'};
				}
			}

			return;
		}

		case 'acpi-sleep': {
			const cycle = d.cycleFor(t)!;
			if (cycle.kind === 'freeze') d.openCycle(signal.state === 'S4' ? 'hibernate' : 'suspend', t, signal.state);
			if (signal.direction === 'enter') {
				finish(cycle, 'platform-prep', t).detail = signal.state;
				enter(cycle, 'activation', t).detail = signal.state;
			} else {
				finish(cycle, 'activation', t);
				enter(cycle, 'thaw-devices', t);
			}

			return;
		}

		case 'restart': {
			const cycle = d.cycleFor(t, false);
			if (!cycle) return;
			if (signal.what === 'tasks' && signal.stage === 'done') {
				finish(cycle, 'thaw-tasks', t);
				cycle.userFrozenToUs = t;
				// A firmware activation ends when its write returns; a sleep cycle when its tasks are back.
				if (!cycle.kind.startsWith('fwa')) d.closeCycle(t);
			} else enter(cycle, 'thaw-tasks', t);
			return;
		}

		case 'aer-completion-timeout': {
			const device = d.device(signal.device);
			device.dmaTimedOut = true;
			addError(device, 'PCIe completion timeout (AER CmpltTO)');
			d.warn(t, 'crit', `${signal.device}: PCIe completion timeout`);
			return;
		}

		default:
	}
}

/** A device keeps its latest errors only (a flapping device must not grow the state). */
function addError(device: DeviceView, text: string): void {
	device.errors.push(text);
	if (device.errors.length > 20) device.errors.splice(0, device.errors.length - 20);
}

function pmAfter(verb: string): string {
	switch (verb) {
		case 'prepare': {
			return 'prepared';
		}

		case 'freeze':
		case 'suspend':
		case 'poweroff': {
			return 'frozen';
		}

		case 'complete': {
			return 'active';
		}

		default: {
			return 'thawed';
		}
	}
}

function onLog(d: Draft, e: LogEvent): void {
	const log = {...d.s.log, count: d.s.log.count + 1};
	if (e.level !== undefined && e.level <= 3) log.errors++;
	else if (e.level === 4) log.warnings++;
	d.s.log = log;
	if (e.origin === 'userspace') return;
	const signal = recognise(e.text);
	if (signal) {
		onSignal(d, signal, e);
		return;
	}

	// "done." finishing a pr_cont line that other messages interrupted.
	if (e.text.trim() === 'done.') {
		const cycle = d.cycleFor(e.t, false);
		if (cycle && phase(cycle, 'thaw-tasks').status !== 'pending') onSignal(d, {type: 'restart', what: 'tasks', stage: 'done'}, e);
	}
}

function onSysfs(d: Draft, e: SysfsEvent): void {
	const path = e.path;
	if (path.startsWith('power/')) {
		d.s.power = {...d.s.power, [path.slice('power/'.length)]: e.value};
		return;
	}

	const bus = /^bus\/nd\/devices\/(ndbus\d+)(?:\/|$)/.exec(path);
	if (bus) d.s.bus = {...d.s.bus, present: true, name: d.s.bus.name ?? bus[1]};
	const nmem = /^bus\/nd\/devices\/(nmem\d+)(?:\/|$)/.exec(path);
	if (nmem && !d.s.dimms[nmem[1]!]) d.dimm(nmem[1]!);
	const file = parseFirmwarePath(path);
	if (!file) return;
	switch (file.file) {
		case 'bus-activate': {
			d.s.bus = {...d.s.bus, present: true, activate: e.value};
			if (e.value === 'overflow') d.warn(e.t, 'crit', 'bus firmware/activate reads overflow: the armed DIMMs need more quiesce time than the platform allows');
			return;
		}

		case 'bus-capability': {
			d.s.bus = {...d.s.bus, present: true, capability: e.value};
			return;
		}

		case 'bus-noidle': {
			d.s.bus = {...d.s.bus, present: true, noidle: e.value};
			return;
		}

		case 'dimm-activate': {
			d.dimm(`nmem${file.dimm}`).activate = e.value;
			return;
		}

		case 'dimm-result': {
			d.dimm(`nmem${file.dimm}`).result = e.value;
			if (e.value === 'fail' || e.value === 'need_reset' || e.value === 'not_staged') {
				d.warn(e.t, e.value === 'fail' ? 'crit' : 'warn', `nmem${file.dimm}: activation result ${e.value}${e.value === 'need_reset' ? ' (a power cycle is still needed)' : e.value === 'not_staged' ? ' (no image was staged)' : ''}`);
			}
		}
	}
}

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

function onNote(d: Draft, e: NoteEvent): void {
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
			else if (cycle.failure && isThaw(stage)) enter(cycle, stage, e.t).status = 'unwound';
			else if (!cycle.failure) enter(cycle, stage, e.t);
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

function onAction(d: Draft, e: ActionEvent): void {
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
	if (!e.result.ok) d.warn(e.t, 'crit', `write "${(e.value ?? '').trim()}" to ${e.path} failed: ${result}`);
	if (cycle) {
		cycle.write = result;
		if (!e.result.ok) cycle.failure ??= `write returned ${result}`;
		d.closeCycle(e.t);
	}
}

export function reduce(state: MonitorState, event: TimelineEvent): MonitorState {
	const d = new Draft(state, event.t);
	switch (event.kind) {
		case 'log': {
			onLog(d, event);
			break;
		}

		case 'sysfs': {
			onSysfs(d, event);
			break;
		}

		case 'note': {
			onNote(d, event);
			break;
		}

		case 'action': {
			onAction(d, event);
			break;
		}
	}

	return d.s;
}

export function reduceAll(events: Iterable<TimelineEvent>, from: MonitorState = initialState()): MonitorState {
	let state = from;
	for (const event of events) state = reduce(state, event);
	return state;
}
