/**
 * The per-device callback timeline of a log: every `calling`/`returned` pair
 * the kernel printed (source/kernel/callback-lines.ts), matched by device and
 * callback, placed in its cycle and phase, with the kernel's own µs.
 *
 * Cycles: a cycle opens at `PM: suspend entry` / `hibernation entry` /
 * `Preparing system for … sleep` (or, on a log without them — a firmware
 * activation, a log that starts mid-cycle — at the first sync, freezer,
 * console-suspend, device callback or failure line outside a cycle) and
 * closes at `Restarting tasks … done.` (or `suspend exit` / `hibernation exit`
 * when that line is missing: a log cut before it).
 *
 * Phases: drivers/base/power/main.c:dpm_show_time() prints
 * "PM: [late |noirq |early ]<verb> of devices complete|aborted after N msecs"
 * when a phase ENDS (with pm_debug_messages on, or always before ≈5.x), so the
 * callbacks seen since the previous such line belong to the phase it names.
 * Callbacks not followed by one (pm_debug_messages off, or a cut log) take the
 * phase their bus callback's symbol names (pci_pm_freeze_noirq → "noirq
 * freeze"), else "devices".
 *
 * Async: dpm_run_callback() runs in the suspending task for synchronous
 * devices and in async_schedule_dev() kworkers for async ones (main.c:
 * dpm_async_fn()), so in one cycle the pid that ran most callbacks is the
 * suspending task and the others are async — an inference, shown as such.
 */
import type {LogEvent} from '../events.js';
import {parseCallbackLine, phaseFromSymbol, type CallbackLineForm} from '../kernel/callback-lines.js';
import {isFailureSignal, recognise, type CycleKind} from '../kernel/recognise.js';

export type CallbackStatus = 'ok' | 'failed' | 'unfinished' | 'no-calling-line';

export type DeviceCallback = {
	/** 1-based index of the cycle in the log. */
	cycle: number;
	phase: string;
	device: string;
	/** dev_driver_string() ('' in the legacy form). */
	driver: string;
	callback?: string;
	module?: string;
	/** The kernel's µs (undefined: never returned). */
	usecs?: number;
	rc?: number;
	pid?: number;
	parent?: string;
	/** pid differs from the cycle's main pid (see the module comment). */
	async?: boolean;
	status: CallbackStatus;
	form: CallbackLineForm;
	/** Start on the log's timeline (µs): the `calling` line, or the end minus the kernel's µs. */
	startUs: number;
	/** startUs + the kernel's µs; for an unfinished callback, the last line of its cycle. */
	endUs: number;
	file: string;
	/** Line of the `calling` line (or of the only line). */
	line: number;
	returnLine?: number;
	/** The log lines behind the bar (empty when the builder was told not to keep them). */
	text: string[];
};

export type PhaseTiming = {
	name: string;
	/** dpm_show_time()'s figure, when the kernel printed one. */
	kernelUsecs?: number;
	aborted?: boolean;
	/** Sum of the callbacks' µs. */
	callbackUsecs: number;
	callbacks: number;
	failed: number;
	startUs: number;
	endUs: number;
	line?: number;
};

export type CycleFailure = {line: number; file: string; text: string};

export type CycleTimeline = {
	index: number;
	kind: CycleKind | 'unknown';
	startUs: number;
	endUs: number;
	file: string;
	startLine: number;
	endLine: number;
	/** False when the log ended (or a new cycle began) before it closed. */
	closed: boolean;
	mainPid?: number;
	phases: PhaseTiming[];
	/**
	 * The cycle's callbacks in log order — all of them, or (a builder told to
	 * keep `top` per phase) every failed or unfinished one and the slowest
	 * `top` of each phase: `callbackCount` and `drivers` still count them all.
	 */
	callbacks: DeviceCallback[];
	callbackCount: number;
	/** Per driver, over every callback of the cycle, most time first. */
	drivers: DriverTotal[];
	/** Kernel lines that report a failure in this cycle (callback errors, freezer failures…). */
	failures: CycleFailure[];
	/**
	 * The monitor's cycle its first callback fell in (replay --summary numbers and names cycles as
	 * the monitor does; this builder segments on its own and may count differently, e.g. a write
	 * that failed at once is a monitor cycle without a log line).
	 */
	monitorCycle?: {ordinal: number; kind: string};
	failed: boolean;
};

export type DriverTotal = {driver: string; callbacks: number; usecs: number; failed: number};

/** Failed and never-returned callbacks first (in log order), then the slowest. */
export function rankCallbacks(callbacks: readonly DeviceCallback[]): DeviceCallback[] {
	const bad = callbacks.filter(c => c.status === 'failed' || c.status === 'unfinished');
	const rest = callbacks.filter(c => c.status !== 'failed' && c.status !== 'unfinished').sort((a, b) => (b.usecs ?? 0) - (a.usecs ?? 0) || a.line - b.line);
	return [...bad, ...rest];
}

export function driverTotals(callbacks: readonly DeviceCallback[]): DriverTotal[] {
	const totals = new Map<string, DriverTotal>();
	for (const c of callbacks) {
		const driver = c.driver || '(no driver in this log form)';
		const t = totals.get(driver) ?? {driver, callbacks: 0, usecs: 0, failed: 0};
		t.callbacks++;
		t.usecs += c.usecs ?? 0;
		if (c.status === 'failed' || c.status === 'unfinished') t.failed++;
		totals.set(driver, t);
	}

	return [...totals.values()].sort((a, b) => b.usecs - a.usecs || a.driver.localeCompare(b.driver));
}

export type BuilderOptions = {
	/** false saves memory on huge logs when no one will show the lines (--devices, --json). */
	keepText?: boolean;
	/** Keep only the failed/unfinished and the `top` slowest callbacks of each phase once a cycle is over. */
	top?: number;
	/** Every finished cycle with all its callbacks, before any are dropped (streaming --json). */
	onCycle?: (cycle: CycleTimeline) => void;
	/** Keep only the latest `retain` cycles (a summary of a huge log prints the last few). */
	retain?: number;
};

export type DeviceTimeline = {cycles: CycleTimeline[]; callbacks: number; returnedLines: number; callingLines: number};

type Open = DeviceCallback;

type Building = Omit<CycleTimeline, 'phases' | 'callbackCount' | 'drivers'> & {
	phases: Map<string, PhaseTiming>;
	explicit: boolean;
	/** Callbacks since the last dpm phase line. */
	pending: DeviceCallback[];
	open: Map<string, Open[]>;
	lastUs: number;
};

/** Shared by every callback whose lines are not kept. */
const noText: string[] = [];

function deviceLabelOf(c: {driver: string; device: string; callback?: string}): string {
	return `${c.driver ? `${c.driver} ${c.device}` : c.device}${c.callback ? ` ${c.callback}` : ''}`;
}

function phaseName(info: string, verb: string): string {
	return info ? `${info} ${verb}` : verb;
}


/** Push log events in order; `finish()` gives the timeline. Memory: the callbacks and cycle summaries only. */
export class DeviceTimelineBuilder {
	private readonly cycles: CycleTimeline[] = [];
	private current: Building | undefined;
	private callingLines = 0;
	private returnedLines = 0;
	private count = 0;
	private logLines = 0;
	private readonly keepText: boolean;
	private readonly top: number | undefined;
	private readonly onCycle: ((cycle: CycleTimeline) => void) | undefined;
	private readonly retain: number | undefined;

	/** The calling line of each callback still open (for the "never returned" failure line). */
	private readonly openText = new Map<DeviceCallback, string>();
	/** Device, driver, callback and parent names, each held once (they repeat every cycle). */
	private readonly names = new Map<string, string>();

	constructor(options: BuilderOptions = {}) {
		this.keepText = options.keepText ?? true;
		this.top = options.top;
		this.onCycle = options.onCycle;
		this.retain = options.retain;
	}

	/**
	 * A name from a log line, copied once and shared: a regexp capture is a
	 * slice that would keep its whole line — and the 1 MB read chunk behind
	 * it — alive for as long as the callback is kept.
	 */
	private name(value: string): string {
		let held = this.names.get(value);
		if (held === undefined) {
			held = Buffer.from(value, 'utf8').toString('utf8');
			if (this.names.size < 200_000) this.names.set(held, held);
		}

		return held;
	}

	/** A callback seen whole on one line (a `returned` without its `calling`, or a 2.6 completion line). */
	private completed(cycle: Building, parsed: {device: string; driver: string; usecs: number; form: DeviceCallback['form']}, t: number, file: string, line: number, text: string, status: DeviceCallback['status']): DeviceCallback {
		return {
			cycle: cycle.index,
			phase: '',
			device: this.name(parsed.device),
			driver: this.name(parsed.driver),
			usecs: parsed.usecs,
			status,
			form: parsed.form,
			startUs: t - parsed.usecs,
			endUs: t,
			file,
			line,
			returnLine: line,
			text: this.keepText ? [text] : noText,
		};
	}

	/**
	 * A log line no reader takes (kernel/line-filter.ts mayMatter() false), by its time and line:
	 * what `push` would do with it — count it, and let it extend the open cycle — without parsing it.
	 */
	skip(t: number, line: number | undefined, userspace: boolean): void {
		this.logLines++;
		if (this.current && !userspace) {
			this.current.lastUs = t;
			this.current.endLine = line ?? this.logLines;
		}
	}

	push(event: LogEvent): void {
		this.logLines++;
		if (event.origin === 'userspace') return;
		const text = event.text;
		const file = event.source?.file ?? '';
		// A simulated log has no file: its n-th line.
		const line = event.source?.line ?? this.logLines;
		// An open cycle lasts at least until the last line seen (a never-returning callback too).
		if (this.current) this.touch(event);
		const parsed = parseCallbackLine(text);
		if (parsed) {
			const cycle = this.ensureCycle(event, 'unknown');
			cycle.lastUs = event.t;
			cycle.endLine = line;
			if (parsed.kind === 'calling') {
				this.callingLines++;
				const key = `${parsed.driver} ${parsed.device}\u0000${parsed.callback ?? ''}`;
				const entry: Open = {
					cycle: cycle.index,
					phase: '',
					device: this.name(parsed.device),
					driver: this.name(parsed.driver),
					pid: parsed.pid,
					status: 'unfinished',
					form: parsed.form,
					startUs: event.t,
					endUs: event.t,
					file,
					line,
					text: this.keepText ? [text] : noText,
				};
				if (parsed.callback !== undefined) entry.callback = this.name(parsed.callback);
				if (parsed.module !== undefined) entry.module = this.name(parsed.module);
				if (parsed.parent !== undefined) entry.parent = this.name(parsed.parent);
				this.openText.set(entry, text);
				const list = cycle.open.get(key);
				if (list) list.push(entry);
				else cycle.open.set(key, [entry]);
				cycle.pending.push(entry);
				cycle.callbacks.push(entry);
				this.count++;
				return;
			}

			if (parsed.kind === 'returned') {
				this.returnedLines++;
				const key = `${parsed.driver} ${parsed.device}\u0000${parsed.callback ?? ''}`;
				const list = cycle.open.get(key);
				const entry = list?.shift();
				if (list && list.length === 0) cycle.open.delete(key);
				if (entry) {
					this.openText.delete(entry);
					entry.usecs = parsed.usecs;
					entry.rc = parsed.rc;
					entry.status = parsed.rc === 0 ? 'ok' : 'failed';
					entry.endUs = entry.startUs + parsed.usecs;
					entry.returnLine = line;
					if (this.keepText) entry.text.push(text);
					if (parsed.rc !== 0) cycle.failures.push({line, file, text});
					return;
				}

				const lone = this.completed(cycle, parsed, event.t, file, line, text, parsed.rc === 0 ? 'no-calling-line' : 'failed');
				lone.rc = parsed.rc;
				if (parsed.callback !== undefined) lone.callback = this.name(parsed.callback);
				if (parsed.module !== undefined) lone.module = this.name(parsed.module);
				if (parsed.rc !== 0) cycle.failures.push({line, file, text});
				cycle.pending.push(lone);
				cycle.callbacks.push(lone);
				this.count++;
				return;
			}

			// The 2.6 Ubuntu completion line: the whole callback at once.
			this.returnedLines++;
			const whole = this.completed(cycle, parsed, event.t, file, line, text, 'ok');
			cycle.pending.push(whole);
			cycle.callbacks.push(whole);
			this.count++;
			return;
		}

		const signal = recognise(text);
		if (!signal) return;
		switch (signal.type) {
			case 'cycle-start': {
				// 2.6–3.x print "PM: Syncing filesystems" before "PM: Preparing system for mem sleep":
				// a cycle that only saw such lines is this one.
				const adopt = this.current && !this.current.explicit && this.current.callbacks.length === 0 && this.current.phases.size === 0;
				if (!adopt) this.close(false);
				const cycle = this.ensureCycle(event, signal.kind);
				cycle.kind = signal.kind;
				cycle.explicit = true;
				return;
			}

			case 'cycle-hint': {
				if (this.current && this.current.kind === 'unknown') this.current.kind = signal.kind;
				break;
			}

			case 'freeze-start': {
				if (signal.what === 'user') this.ensureCycle(event, 'unknown');
				break;
			}

			case 'fs-sync':
			case 'freeze-done':
			case 'freeze-failed':
			case 'console-suspend': {
				// A log that starts in the middle of a cycle (or a kernel without entry lines).
				this.ensureCycle(event, 'unknown');
				break;
			}

			case 'dpm-phase': {
				const cycle = this.ensureCycle(event, 'unknown');
				if (signal.info === 'end') break; // dpm_suspend_end()/dpm_resume_start(): late+noirq together, no callbacks of its own.
				const name = phaseName(signal.info, signal.verb);
				const phase = this.phase(cycle, name, event);
				phase.kernelUsecs = (phase.kernelUsecs ?? 0) + signal.usecs;
				if (signal.aborted) phase.aborted = true;
				phase.line = event.source?.line ?? this.logLines;
				phase.endUs = Math.max(phase.endUs, event.t);
				phase.startUs = Math.min(phase.startUs, event.t - signal.usecs);
				for (const callback of cycle.pending) callback.phase = name;
				cycle.pending = [];
				if (signal.aborted) cycle.failures.push({line: event.source?.line ?? this.logLines, file: event.source?.file ?? '', text});
				break;
			}

			case 'cycle-end': {
				if (this.current) {
					this.touch(event);
					this.close(true);
				}

				return;
			}

			case 'restart': {
				// Tasks run again: the devices are back (or never left). Kernels before ≈4.14 print no
				// "PM: suspend exit", so this is where their cycles end; later ones print it next.
				if (this.current && signal.what === 'tasks' && signal.stage === 'done') {
					this.touch(event);
					this.close(true);
					return;
				}

				break;
			}

			default: {
				break;
			}
		}

		if (!this.current && isFailureSignal(signal)) this.ensureCycle(event, 'unknown');
		if (this.current) {
			this.touch(event);
			if (isFailureSignal(signal)) this.current.failures.push({line: event.source?.line ?? this.logLines, file: event.source?.file ?? '', text});
			if (signal.type === 'device-failed' || signal.type === 'device-not-prepared') this.markDevice(signal.device, signal.errno);
		}
	}

	/** Call after each push: the monitor's cycle for what was just pushed (see CycleTimeline.monitorCycle). */
	attribute(ordinal: number | undefined, kind: string | undefined): void {
		const cycle = this.current;
		if (!cycle || ordinal === undefined || kind === undefined || cycle.callbacks.length === 0) return;
		// The monitor names a cycle as the evidence comes (freezer lines, then the write or the thaw of kernel threads: fwa-quiesce).
		if (!cycle.monitorCycle) cycle.monitorCycle = {ordinal, kind};
		else if (cycle.monitorCycle.ordinal === ordinal) cycle.monitorCycle.kind = kind;
	}

	finish(): DeviceTimeline {
		this.close(false);
		return {cycles: this.cycles, callbacks: this.count, returnedLines: this.returnedLines, callingLines: this.callingLines};
	}

	private touch(event: LogEvent): void {
		this.current!.lastUs = event.t;
		this.current!.endLine = event.source?.line ?? this.logLines;
	}

	/** `failed to freeze: error -16` names the device (dev_name, or "<drv> <dev>" from 5.12). */
	private markDevice(named: string, errno: number): void {
		const device = named.includes(' ') ? named.slice(named.lastIndexOf(' ') + 1) : named;
		const callback = this.current!.callbacks.findLast(c => c.device === device);
		if (callback && callback.status !== 'failed') {
			callback.status = 'failed';
			callback.rc ??= errno;
		}
	}

	private phase(cycle: Building, name: string, event: LogEvent): PhaseTiming {
		let phase = cycle.phases.get(name);
		if (!phase) {
			phase = {name, callbackUsecs: 0, callbacks: 0, failed: 0, startUs: event.t, endUs: event.t};
			cycle.phases.set(name, phase);
		}

		return phase;
	}

	private ensureCycle(event: LogEvent, kind: CycleKind | 'unknown'): Building {
		if (this.current) return this.current;
		this.current = {
			index: this.cycles.length + 1,
			kind,
			startUs: event.t,
			endUs: event.t,
			lastUs: event.t,
			file: event.source?.file ?? '',
			startLine: event.source?.line ?? this.logLines,
			endLine: event.source?.line ?? this.logLines,
			closed: false,
			phases: new Map(),
			callbacks: [],
			failures: [],
			failed: false,
			explicit: false,
			pending: [],
			open: new Map(),
		};
		return this.current;
	}

	private close(closed: boolean): void {
		const cycle = this.current;
		if (!cycle) return;
		this.current = undefined;
		// Phases for callbacks no dpm line closed: from the callback's symbol.
		for (const callback of cycle.pending) {
			const named = callback.callback ? phaseFromSymbol(callback.callback) : undefined;
			callback.phase = named ? phaseName(named.info, named.verb) : 'devices';
		}

		for (const list of cycle.open.values()) {
			for (const open of list) {
				open.endUs = Math.max(open.startUs, cycle.lastUs);
				cycle.failures.push({line: open.line, file: open.file, text: `${this.openText.get(open) ?? deviceLabelOf(open)} — never returned`});
				this.openText.delete(open);
			}
		}

		// The suspending task: the pid that ran most callbacks.
		const perPid = new Map<number, number>();
		for (const c of cycle.callbacks) if (c.pid !== undefined) perPid.set(c.pid, (perPid.get(c.pid) ?? 0) + 1);
		let mainPid: number | undefined;
		let most = 0;
		for (const [pid, n] of perPid) {
			if (n > most) {
				most = n;
				mainPid = pid;
			}
		}

		const phases = cycle.phases;
		for (const c of cycle.callbacks) {
			if (c.pid !== undefined && mainPid !== undefined) c.async = c.pid !== mainPid;
			let phase = phases.get(c.phase);
			if (!phase) {
				phase = {name: c.phase, callbackUsecs: 0, callbacks: 0, failed: 0, startUs: c.startUs, endUs: c.endUs};
				phases.set(c.phase, phase);
			}

			phase.callbacks++;
			phase.callbackUsecs += c.usecs ?? 0;
			if (c.status === 'failed' || c.status === 'unfinished') phase.failed++;
			phase.startUs = Math.min(phase.startUs, c.startUs);
			phase.endUs = Math.max(phase.endUs, c.endUs);
		}

		const {explicit: _e, pending: _p, open: _o, lastUs, ...rest} = cycle;
		let endUs = Math.max(lastUs, cycle.startUs);
		for (const c of cycle.callbacks) endUs = Math.max(endUs, c.endUs);
		const done: CycleTimeline = {
			...rest,
			callbackCount: cycle.callbacks.length,
			drivers: driverTotals(cycle.callbacks),
			endUs,
			closed,
			phases: [...phases.values()].sort((a, b) => a.startUs - b.startUs),
			failed: cycle.failures.length > 0 || cycle.callbacks.some(c => c.status === 'failed' || c.status === 'unfinished'),
		};
		if (mainPid !== undefined) done.mainPid = mainPid;
		this.onCycle?.(done);
		if (this.top !== undefined) {
			const keep = new Set<DeviceCallback>();
			for (const phase of done.phases) for (const c of rankCallbacks(done.callbacks.filter(x => x.phase === phase.name)).filter((x, i) => i < this.top! || x.status === 'failed' || x.status === 'unfinished')) keep.add(c);
			done.callbacks = done.callbacks.filter(c => keep.has(c));
		}

		this.cycles.push(done);
		if (this.retain !== undefined && this.cycles.length > this.retain) this.cycles.shift();
	}
}

/** The timeline of a list of events (tests, the monitor, a simulation). */
export function deviceTimeline(events: Iterable<{kind: string}>): DeviceTimeline {
	const builder = new DeviceTimelineBuilder();
	for (const event of events) if (event.kind === 'log') builder.push(event as LogEvent);
	return builder.finish();
}
