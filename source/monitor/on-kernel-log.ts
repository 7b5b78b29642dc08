/**
 * Kernel log lines in the monitor: each recognised signal (kernel/recognise)
 * opens, moves, fails or closes the current cycle, and fills in tasks,
 * devices and warnings. Works alike for simulated and real logs: only what
 * the kernel printed counts.
 */
import type {LogEvent} from '../events.js';
import type {StageId} from '../kernel/quiet-exec.js';
import {driverError} from '../kernel/driver-errors.js';
import {isFailureSignal, recognise, type Signal} from '../kernel/recognise.js';
import {addError, describeFailure, enter, fail, finish, isThaw, phase, relabel, type Draft} from './draft.js';
import type {Cycle, CycleKind, PhaseTiming, PmTestLevel} from './state.js';

/** PM verbs of the suspend side (drivers/base/power/main.c pm_verb()). */
const freezeVerbs = new Set(['freeze', 'suspend', 'poweroff', 'hibernate', 'quiesce']);

/** Sleep-state labels of "PM: suspend entry (%s)" / "Preparing system for %s sleep" as mem_sleep names them. */
function suspendMode(label: string | undefined): string | undefined {
	if (label === undefined) return undefined;
	// 4.x–5.x pm_states[] labels: "freeze" = suspend-to-idle, "standby" = shallow.
	if (label === 'freeze') return 's2idle';
	if (label === 'standby') return 'shallow';
	return label;
}

/** The bracketed choice of a /sys/power file ("shutdown [platform] reboot" → "platform"). */
function chosen(value: string | undefined): string | undefined {
	return value === undefined ? undefined : (/\[(\w+)\]/.exec(value)?.[1] ?? (/^\s*(\w+)\s*$/.exec(value)?.[1]));
}

function refine(d: Draft, cycle: Cycle, kind: CycleKind): void {
	if (cycle.kind !== 'freeze' || kind === 'freeze') return;
	cycle.kind = kind;
	relabel(cycle);
	if (kind === 'hibernate') cycle.mode ??= chosen(d.s.power['disk']);
}

function addTiming(cycle: Cycle, timing: PhaseTiming): void {
	// The restore kernel and the restored one may print the same phase; keep the first of each.
	if (cycle.timings.some(t => t.id === timing.id)) return;
	if (cycle.timings.length < 32) cycle.timings.push(timing);
}

const pmTestStops: Record<PmTestLevel, StageId> = {
	freezer: 'freeze-kthreads',
	devices: 'freeze-devices',
	platform: 'platform-prep',
	processors: 'platform-prep',
	core: 'platform-prep',
};

/**
 * Where did the kernel stop? kernel/power/hibernate.c hibernation_snapshot()/create_image() and
 * suspend.c enter_state()/suspend_devices_and_enter()/suspend_enter() call the test after: freezing
 * (freezer), dpm_suspend (devices), late/noirq + platform prepare (platform), disabling non-boot
 * CPUs (processors), syscore suspend (core — prints nothing of its own, so only /sys/power/pm_test
 * tells it from "processors").
 */
function pmTestLevel(d: Draft, cycle: Cycle): PmTestLevel {
	const set = chosen(d.s.power['pm_test']) as PmTestLevel | 'none' | undefined;
	const reached = (id: StageId) => ['running', 'done', 'failed'].includes(phase(cycle, id).status);
	let level: PmTestLevel = 'freezer';
	if (cycle.cpusDown) level = set === 'core' ? 'core' : 'processors';
	else if (reached('freeze-late-noirq') || reached('platform-prep')) level = 'platform';
	else if (reached('freeze-devices') || reached('prepare-devices')) level = set === 'platform' ? 'platform' : 'devices';
	return level;
}

function stageOfDeviceVerb(verb: string, info: string): StageId {
	if (verb === 'prepare') return 'prepare-devices';
	if (!freezeVerbs.has(verb)) return 'thaw-devices';
	return /late|noirq/.test(info) ? 'freeze-late-noirq' : 'freeze-devices';
}

/**
 * The cycle a failure belongs to: the running one; the one whose tasks came back but whose exit
 * line has not come yet (open: false — its phases are over); or, with none, a cycle that began
 * before the log.
 */
/** The kernel prints the exit line right after the tasks are back; a cycle waits for it 10 s at most. */
function awaitingExit(d: Draft, t: number): boolean {
	const last = d.s.cycle;
	return last?.exitPending === true && last.status !== 'running' && t - (last.endUs ?? t) <= 10_000_000;
}

function failureTarget(d: Draft, t: number): {cycle: Cycle; open: boolean} {
	if (d.running) return {cycle: d.cycle!, open: true};
	if (awaitingExit(d, t)) return {cycle: d.cycle!, open: false};
	return {cycle: d.cycleFor(t)!, open: true};
}

function report(d: Draft, target: {cycle: Cycle; open: boolean}, stage: StageId | undefined, t: number, failure: {id: string; text: string; errno?: number; device?: string}): void {
	const text = describeFailure(failure);
	if (target.open && stage && !isThaw(stage)) {
		fail(d, target.cycle, stage, t, text, failure);
		return;
	}

	d.addFailure(target.cycle, {...failure, t});
	if (target.open && stage && phase(target.cycle, stage).status !== 'pending') phase(target.cycle, stage).status = 'failed';
	d.warn(t, 'crit', text);
}

function onSignal(d: Draft, signal: Signal, e: LogEvent): void {
	const t = e.t;
	switch (signal.type) {
		case 'cycle-start': {
			const cycle = d.openCycle(signal.kind, t, signal.detail, 'whole');
			cycle.openedBy = 'entry';
			cycle.partial = undefined;
			if (signal.exit) cycle.exitPending = true;
			cycle.mode = signal.kind === 'suspend' ? suspendMode(signal.detail) : chosen(d.s.power['disk']);
			return;
		}

		case 'cycle-end': {
			const cycle = d.running;
			if (cycle) {
				refine(d, d.cycle!, signal.kind);
				d.cycle!.exitPending = undefined;
				d.closeCycle(t);
				return;
			}

			// Already closed by "Restarting tasks … done.": the exit line ends it for good.
			if (d.s.cycle?.exitPending) {
				const last = d.cycle!;
				last.exitPending = undefined;
				last.endUs = t;
				return;
			}

			// An older kernel's cycle, or one seen from its middle, closed when its tasks came back.
			const previous = d.s.cycle;
			if (previous && previous.openedBy !== 'entry' && (previous.kind === signal.kind || previous.kind === 'freeze') && t - (previous.endUs ?? t) <= 10_000_000) {
				refine(d, d.cycle!, signal.kind);
				return;
			}

			// A resume tail: the cycle began before the log.
			const tail = d.openCycle(signal.kind, t, undefined, 'partial');
			tail.openedBy = 'middle';
			d.closeCycle(t);
			return;
		}

		case 'fs-sync': {
			// A sync is the first thing an attempt does (a boot kernel's restore never syncs): after the
			// freezer of a running cycle, it begins a new one.
			const running = d.running;
			if (running && (running.mode === 'restore' || running.phases[0]!.status !== 'pending')) d.closeCycle(t, 'interrupted');
			d.cycleFor(t, 'whole');
			return;
		}

		case 'cycle-hint': {
			refine(d, d.cycleFor(t)!, signal.kind);
			return;
		}

		case 'cycle-error': {
			const cycle = d.cycleFor(t)!;
			const running = cycle.phases.find(p => p.status === 'running' && !isThaw(p.id));
			fail(d, cycle, running?.id ?? 'activation', t, signal.text, {id: 'cycle-error', text: signal.text, errno: signal.errno});
			return;
		}

		case 'failure': {
			const f = signal.failure;
			let target: {cycle: Cycle; open: boolean};
			let opened = false;
			// kernel/power/hibernate.c software_resume() prints "resume failed" after thawing the tasks.
			const restore = d.s.cycle?.mode === 'restore' && d.s.cycle.status !== 'running' && f.stage === 'restore' && t - (d.s.cycle.endUs ?? t) <= 10_000_000;
			if (restore) {
				report(d, {cycle: d.cycle!, open: false}, undefined, t, {id: f.id, text: f.text, errno: f.errno, device: f.device});
				return;
			}

			// A failure that is a whole attempt cannot happen inside another one (system_transition_mutex):
			// unless the running cycle is that very attempt just begun (its entry line) or a hibernation
			// whose restore this is, the running one ended unseen.
			const running = d.running;
			if (f.whole && running) {
				const same = running.kind === f.kind && (!running.phases.some(p => p.status !== 'pending') || (running.kind === 'hibernate' && running.image !== undefined && running.image !== 'writing'));
				if (!same) d.closeCycle(t, 'interrupted');
			}

			if (!d.running && !awaitingExit(d, t)) {
				const cycle = d.openCycle(f.kind ?? 'freeze', t, f.stage === 'restore' ? 'restore' : undefined, f.whole ? 'whole' : 'partial');
				cycle.openedBy = f.whole ? 'failure' : 'middle';
				if (f.id === 'unsupported-test-mode') cycle.mode = 's2idle';
				if (f.stage === 'restore') cycle.mode = 'restore';
				target = {cycle, open: true};
				opened = true;
			} else {
				target = failureTarget(d, t);
				if (f.kind && target.open) refine(d, target.cycle, f.kind);
			}

			report(d, target, f.stage === 'restore' ? undefined : f.stage, t, {id: f.id, text: f.text, errno: f.errno, device: f.device});
			// The line is the whole attempt (the kernel printed nothing else and returned the error), or it
			// ends a restore attempt at boot (software_resume() gives up when swsusp_check() finds no image,
			// and the boot goes on): also when that restore is the second half of a hibernation whose image
			// was written in this log (image 'restoring' since the new boot) — else the cycle stayed open
			// and took the next freeze of that boot as its own.
			const restoring = target.cycle.mode === 'restore' || target.cycle.image === 'restoring';
			if ((opened && f.whole) || (f.whole && f.stage === 'restore' && target.open && restoring)) d.closeCycle(t);
			return;
		}

		case 'freeze-start': {
			const cycle = d.cycleFor(t, signal.what === 'user' ? 'whole' : 'partial')!;
			// A pr_cont fragment ("Freezing user space processes ... ") is stamped when it began, and may be
			// seen only when the next line cuts it: the stamp says when freezing started.
			const at = e.stamp !== undefined && e.stamp <= t && t - e.stamp < 60_000_000 ? e.stamp : t;
			const p = enter(cycle, signal.what === 'user' ? 'freeze-user' : 'freeze-kthreads', at);
			if (signal.what === 'user') cycle.userFrozenFromUs ??= at;
			p.startUs ??= at;
			return;
		}

		case 'freeze-done': {
			const cycle = d.cycleFor(t, signal.what === 'user' ? 'whole' : 'partial')!;
			// The one-line form is stamped when freezing began (printk stamps the first fragment of a pr_cont
			// line): it ends `elapsed` later. The 6.2+ completion line is stamped when it ends.
			const began = signal.combined ? (e.stamp ?? t) : undefined;
			const end = began !== undefined && signal.elapsedMs !== undefined ? began + signal.elapsedMs * 1000 : t;
			const id = signal.what === 'user' ? 'freeze-user' : 'freeze-kthreads';
			const p = phase(cycle, id);
			// The kernel's own elapsed time beats the stamp of the start line (kernel/power/process.c
			// try_to_freeze_tasks(): "(elapsed %d.%03d seconds)", millisecond resolution).
			if (signal.elapsedMs !== undefined) {
				// Without a start line (≤6.1 prints one line), the kernel's figure gives the start; with one
				// (6.2+), two µs stamps measure it finer than the kernel's milliseconds.
				if (p.startUs === undefined || (d.where.clockUs ?? 1) > (signal.precisionUs ?? 1000)) {
					p.startUs = end - signal.elapsedMs * 1000;
					p.source = 'kernel';
					p.precisionUs = signal.precisionUs ?? 1000;
				}

				addTiming(cycle, {id: `${id}-elapsed`, label: signal.what === 'user' ? 'freeze user space (kernel: elapsed)' : 'freeze remaining tasks (kernel: elapsed)', startUs: end - signal.elapsedMs * 1000, durationUs: signal.elapsedMs * 1000, source: 'kernel', precisionUs: signal.precisionUs ?? 1000});
			}

			if (signal.what === 'user') cycle.userFrozenFromUs = Math.min(cycle.userFrozenFromUs ?? t, p.startUs ?? t);
			finish(cycle, id, end);
			return;
		}

		case 'freeze-failed': {
			// A lone failure line is the middle of an attempt whose start the log does not hold.
			const cycle = d.cycleFor(t)!;
			const id = signal.what === 'kernel' || (signal.what === 'unknown' && phase(cycle, 'freeze-user').status === 'done') ? 'freeze-kthreads' : 'freeze-user';
			const startUs = t - signal.elapsedMs * 1000;
			if (id === 'freeze-user') cycle.userFrozenFromUs = Math.min(cycle.userFrozenFromUs ?? t, startUs);
			const text = `${signal.refusing} task(s) refused to freeze (${signal.aborted ? 'aborted' : 'failed'} after ${(signal.elapsedMs / 1000).toFixed(3)} s)`;
			// kernel/power/process.c try_to_freeze_tasks() returns -EBUSY when tasks remain.
			fail(d, cycle, id, t, text, {id: signal.aborted ? 'freezer-aborted' : 'freezer-failed', text, errno: -16});
			phase(cycle, id).startUs = Math.min(phase(cycle, id).startUs ?? t, startUs);
			phase(cycle, id).source = 'kernel';
			phase(cycle, id).precisionUs = signal.precisionUs ?? 1000;
			return;
		}

		case 'task-dump': {
			const cycle = d.running;
			if (cycle?.failure && cycle.refusing.length < 64 && signal.state === 'D') {
				d.cycle!.refusing.push({comm: signal.comm, pid: signal.pid, state: signal.state});
				d.warn(t, 'crit', `task ${signal.comm}${signal.pid ? ` (pid ${signal.pid})` : ''} in D state refused to freeze`);
			}

			return;
		}

		case 'oom-killer': {
			const cycle = signal.enabled ? (d.running ? d.cycle : undefined) : d.cycleFor(t);
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
			if (signal.verb === 'suspend' || signal.verb === 'resume') refine(d, cycle, 'suspend');
			else if (signal.verb === 'hibernate' || signal.verb === 'restore') refine(d, cycle, 'hibernate');
			const suspending = freezeVerbs.has(signal.verb);
			const what = `${signal.info ? `${signal.info} ` : ''}${signal.verb} of devices`;
			// drivers/base/power/main.c dpm_show_time(): "%s%s%s of devices %s after %ld.%03ld msecs" — µs resolution.
			addTiming(cycle, {id: `${signal.info || 'main'}-${signal.verb}`, label: `${what}${signal.aborted ? ' (aborted)' : ''}`, startUs: t - signal.usecs, durationUs: signal.usecs, source: 'kernel', precisionUs: 1});
			if (signal.info === '' || signal.info === 'end') {
				const id = suspending ? (signal.info === 'end' ? 'freeze-late-noirq' : 'freeze-devices') : 'thaw-devices';
				if (signal.aborted) {
					const text = `${what} aborted after ${(signal.usecs / 1000).toFixed(3)} ms`;
					fail(d, cycle, id, t, text, {id: 'dpm-aborted', text});
					phase(cycle, id).startUs ??= t - signal.usecs;
				} else {
					const p = finish(cycle, id, t, 'done', t - signal.usecs);
					if (p.startUs === t - signal.usecs) {
						p.source = 'kernel';
						p.precisionUs = 1;
					}
				}

				return;
			}

			if (suspending) {
				const p = enter(cycle, 'freeze-late-noirq', t);
				p.startUs ??= t - signal.usecs;
				if (signal.aborted) {
					const text = `${what} aborted`;
					fail(d, cycle, 'freeze-late-noirq', t, text, {id: 'dpm-aborted', text});
				}

				return;
			}

			enter(cycle, 'thaw-devices', t - signal.usecs);
			return;
		}

		case 'callback-error': {
			const device = signal.device;
			const text = `${signal.caller}(): ${signal.callee} returns ${signal.errno}`;
			const target = failureTarget(d, t);
			if (device) addError(d.device(device), text, target.cycle.ordinal);
			const last = target.cycle.failures.at(-1);
			// One failing callback prints up to three lines (the bus's report, dpm_run_callback's, then
			// pm_dev_err's "failed to …"): they are one failure.
			if (last?.id === 'device-callback' && last.errno === signal.errno && (!last.device || !device || last.device === device)) return;
			const stage: StageId = /prepare/.test(`${signal.caller} ${signal.callee}`) ? 'prepare-devices' : /resume|thaw|restore|recover|complete/.test(`${signal.caller} ${signal.callee}`) ? 'thaw-devices' : 'freeze-devices';
			report(d, target, stage, t, {id: 'device-callback', text, errno: signal.errno, device});
			return;
		}

		case 'device-failed':
		case 'device-not-prepared': {
			const device = signal.device;
			const text = signal.type === 'device-failed' ? `failed to ${signal.verb}${signal.info ? ` ${signal.info}` : ''}` : 'not prepared for power transition';
			const target = failureTarget(d, t);
			addError(d.device(device), `${text}: ${signal.type === 'device-failed' ? 'error' : 'code'} ${signal.errno}`, target.cycle.ordinal);
			const cycle = target.cycle;
			const stage = signal.type === 'device-failed' ? stageOfDeviceVerb(signal.verb, signal.info) : 'prepare-devices';
			// Merge with the callback report just before it (same errno): the device line says more.
			const last = cycle.failures.at(-1);
			if (last?.id === 'device-callback' && last.errno === signal.errno && (!last.device || last.device === device)) {
				// A new object: the failures array is copied on write, its elements are shared with the state before.
				const merged = {...last, id: signal.type, text: `${text} (${last.text})`, device};
				cycle.failures[cycle.failures.length - 1] = merged;
				if (cycle.failures.length === 1) cycle.failure = describeFailure(merged);
				d.warn(t, 'crit', describeFailure(merged));
				return;
			}

			report(d, target, stage, t, {id: signal.type, text, errno: signal.errno, device});
			return;
		}

		case 'device-callback': {
			const verb = /(freeze|suspend|poweroff|thaw|resume|restore|prepare|complete)/.exec(signal.callback)?.[1];
			const pm = verb ? (signal.phase === 'calling' ? `${verb}…` : pmAfter(verb)) : undefined;
			// Copy-on-write only when something changes: a busy log prints thousands of these.
			if ((pm && d.s.devices[signal.device]?.pm !== pm) || signal.errno) {
				const device = d.device(signal.device);
				if (pm) device.pm = pm;
				if (signal.errno) addError(device, `${signal.callback} returned ${signal.errno}`, d.s.cycle?.ordinal);
			}

			if (signal.phase !== 'returned' || !verb || !freezeVerbs.has(verb)) return;
			if (d.running) {
				const cycle = d.cycle!;
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
			// S3/S1 are suspend; S4 is also what hibernate_quiet_exec() prints around a firmware activation
			// (kernel.md §3.3), so it does not tell a hibernation on its own.
			if (signal.state !== 'S4') refine(d, cycle, 'suspend');
			if (cycle.kind === 'suspend' && !cycle.mode) cycle.mode = signal.state === 'S3' ? 'deep' : signal.state === 'S1' ? 'shallow' : undefined;
			if (cycle.kind === 'hibernate' && !cycle.mode && signal.state === 'S4') cycle.mode = 'platform';
			if (signal.direction === 'enter') {
				finish(cycle, 'platform-prep', t).detail = signal.state;
				const sleep = enter(cycle, 'activation', t);
				sleep.detail = signal.state;
			} else {
				finish(cycle, 'activation', t);
				enter(cycle, 'thaw-devices', t);
			}

			return;
		}

		case 'cpus': {
			const cycle = d.running ? d.cycle! : undefined;
			if (!cycle || cycle.kind.startsWith('fwa')) return;
			if (signal.direction === 'down') {
				cycle.cpusDown = true;
				if (phase(cycle, 'activation').status === 'pending') enter(cycle, 'activation', t);
			} else if (phase(cycle, 'activation').status === 'running') {
				finish(cycle, 'activation', t);
				enter(cycle, 'thaw-devices', t);
			}

			return;
		}

		case 's2idle': {
			const cycle = d.cycleFor(t)!;
			refine(d, cycle, 'suspend');
			cycle.mode = 's2idle';
			const sleep = phase(cycle, 'activation');
			if (signal.direction === 'enter') {
				enter(cycle, 'activation', t);
				sleep.label = 'Suspend-to-idle';
			} else {
				const start = sleep.startUs;
				finish(cycle, 'activation', t);
				if (start !== undefined) addTiming(cycle, {id: 's2idle', label: 'suspend-to-idle (PM: suspend-to-idle … resume from suspend-to-idle)', startUs: start, durationUs: t - start, source: 'timestamps', precisionUs: cycle.clockUs ?? 1});
				enter(cycle, 'thaw-devices', t);
			}

			return;
		}

		case 'timekeeping': {
			const cycle = d.running ? d.cycle! : undefined;
			if (!cycle) return;
			addTiming(cycle, {id: 'sleep', label: 'sleep length (Timekeeping suspended for …)', durationUs: signal.us, source: 'kernel', precisionUs: 1000});
			const sleep = phase(cycle, 'activation');
			if (!cycle.pmTest && sleep.status !== 'pending') {
				sleep.lengthUs = signal.us;
				sleep.source = 'kernel';
				sleep.precisionUs = 1000;
			}

			return;
		}

		case 'pm-test-wait': {
			const cycle = d.cycleFor(t)!;
			refine(d, cycle, signal.kind);
			const level = pmTestLevel(d, cycle);
			cycle.pmTest = level;
			const stop = pmTestStops[level];
			const stages = cycle.phases.map(p => p.id);
			// Nothing after the test point ran.
			for (const p of cycle.phases.slice(stages.indexOf(stop) + 1, stages.indexOf('activation'))) if (p.status === 'pending') p.status = 'skipped';
			const wait = enter(cycle, 'activation', t);
			wait.label = `pm_test debug wait (${level}) — not a sleep`;
			wait.detail = `${signal.kind === 'hibernate' ? 'hibernation' : 'suspend'} debug: waiting ${signal.seconds} s`;
			return;
		}

		case 'image-saved': {
			const cycle = d.cycleFor(t)!;
			refine(d, cycle, 'hibernate');
			cycle.image = signal.stage === 'writing' ? 'writing' : signal.stage === 'done' ? 'saved' : 'powered-off';
			return;
		}

		case 'restore-start': {
			const running = d.running;
			if (running?.kind === 'hibernate' && running.image) {
				d.cycle!.image = 'restoring';
				return;
			}

			if (running) return;
			// The restore half of a hibernation whose start is in an earlier boot's log.
			const cycle = d.openCycle('hibernate', t, 'restore', 'partial');
			cycle.openedBy = 'middle';
			cycle.mode = 'restore';
			cycle.image = 'restoring';
			return;
		}

		case 'boot': {
			const cycle = d.running;
			if (!cycle) return;
			// A hibernation that wrote its image or powered off comes back through a new kernel: that boot is its restore.
			if (cycle.kind === 'hibernate' && cycle.image && cycle.image !== 'writing') {
				d.cycle!.image = 'restoring';
				return;
			}

			d.closeCycle(t, 'restart');
			return;
		}

		case 'kernel-bug': {
			const cycle = d.running || awaitingExit(d, t) ? d.cycle! : undefined;
			const what = signal.what === 'warning' ? 'kernel WARNING' : signal.what === 'panic' ? 'kernel panic' : signal.what === 'oops' ? 'kernel Oops' : 'kernel BUG';
			if (!cycle) {
				d.warn(t, signal.what === 'warning' ? 'warn' : 'crit', `${what} (outside any cycle): ${signal.text}`);
				return;
			}

			// A WARNING, Oops or BUG inside a cycle: the kernel hit a bug during the transition — never "ok".
			const running = cycle.phases.find(p => p.status === 'running');
			const text = `${what}${running ? ` during "${running.label}"` : ''}: ${signal.text}`;
			d.addFailure(cycle, {id: 'kernel-bug', t, text});
			d.warn(t, 'crit', text);
			return;
		}

		case 'acpi-error': {
			const cycle = d.running || awaitingExit(d, t) ? d.cycle! : undefined;
			if (signal.severity === 'warning' || !cycle) {
				d.warn(t, signal.severity === 'error' ? 'crit' : 'warn', signal.text);
				return;
			}

			// ACPICA failed to run firmware (AML) during the transition: the platform part may not have happened.
			const text = `ACPI error during the cycle: ${signal.text}`;
			d.addFailure(cycle, {id: 'acpi-error', t, text});
			d.warn(t, 'crit', text);
			return;
		}

		case 'restart': {
			const cycle = d.running ? d.cycle! : undefined;
			if (!cycle) return;
			if (signal.what === 'kernel' && signal.stage === 'done' && cycle.kind === 'freeze' && !cycle.aborted && cycle.failures.length === 0 && ['done', 'running'].includes(phase(cycle, 'freeze-devices').status)) {
				// kernel/power/hibernate.c hibernate_quiet_exec(): only its success path thaws the kernel threads
				// on their own after the devices ("Restarting kernel threads … done." before "Restarting tasks");
				// suspend never prints it and hibernation only on failure or a freezer test (kernel.md §3.3).
				cycle.kind = 'fwa-quiesce';
				relabel(cycle);
			}

			if (signal.what === 'tasks' && signal.stage === 'done') {
				finish(cycle, 'thaw-tasks', t);
				cycle.userFrozenToUs = t;
				// A firmware activation ends when its write returns (or, with no write in the trace, when its
				// tasks are back); a sleep cycle when its tasks are back
				// (failures printed before its exit line still join it: exitPending).
				if (!cycle.kind.startsWith('fwa') || cycle.openedBy !== 'write') d.closeCycle(t);
			} else enter(cycle, 'thaw-tasks', t);
			return;
		}

		case 'aer-completion-timeout': {
			const device = d.device(signal.device);
			device.dmaTimedOut = true;
			addError(device, 'PCIe completion timeout (AER CmpltTO)', d.s.cycle?.ordinal);
			d.warn(t, 'crit', `${signal.device}: PCIe completion timeout`);
			return;
		}

		default:
	}
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

function countsAs(signal: Signal | undefined): 'error' | 'warning' | undefined {
	if (!signal) return undefined;
	if (signal.type === 'kernel-bug') return signal.what === 'warning' ? 'warning' : 'error';
	if (signal.type === 'acpi-error') return signal.severity;
	return isFailureSignal(signal) ? 'error' : undefined;
}

export function onLog(d: Draft, e: LogEvent): void {
	const signal = e.origin === 'userspace' ? undefined : recognise(e.text);
	const log = d.inPlace ? d.s.log : (d.s.log = {...d.s.log});
	log.count++;
	// Levels when the log has them; otherwise what the message says.
	const severity = e.level !== undefined ? (e.level <= 3 ? 'error' : e.level === 4 ? 'warning' : undefined) : countsAs(signal);
	if (severity === 'error') log.errors++;
	else if (severity === 'warning') log.warnings++;
	if (e.origin === 'userspace') return;
	if (signal) {
		// A pm_test wait ends at the next line the kernel prints (mdelay(), then it goes on).
		const waiting = d.running?.pmTest && signal.type !== 'pm-test-wait' && phase(d.running, 'activation').status === 'running';
		if (waiting) finish(d.cycle!, 'activation', e.t);
		onSignal(d, signal, e);
		return;
	}

	// "done." finishing a pr_cont line that other messages interrupted.
	if (e.text.includes('done.') && e.text.trim() === 'done.') {
		const cycle = d.running;
		if (cycle && phase(cycle, 'thaw-tasks').status !== 'pending') onSignal(d, {type: 'restart', what: 'tasks', stage: 'done'}, e);
		return;
	}

	// A driver's dev_err() with an errno: an error for a log without levels, and, during a cycle, a
	// device that may not be back although the cycle went on (shown with the cycle, never as its failure).
	const driver = driverError(e.text);
	if (!driver) return;
	if (e.level === undefined) log.errors++;
	if (!d.running && !awaitingExit(d, e.t)) return;
	const cycle = d.cycle!;
	cycle.driverErrors = [...(cycle.driverErrors ?? []).slice(-15), {t: e.t, ...driver, ...(d.where.line === undefined ? {} : {line: d.where.line})}];
	d.touched = true;
	d.warn(e.t, 'warn', `${driver.device}: ${driver.text} (a driver error during the ${cycle.kind}; the cycle went on)`);
}
