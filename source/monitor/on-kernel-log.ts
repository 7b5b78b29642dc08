/**
 * Kernel log lines in the monitor: each recognised signal (kernel/recognise)
 * moves the current cycle's phases, fills in tasks, devices and warnings.
 * Works alike for simulated and real logs.
 */
import type {LogEvent} from '../events.js';
import {recognise, type Signal} from '../kernel/recognise.js';
import {addError, enter, fail, finish, isThaw, phase, type Draft} from './draft.js';

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

export function onLog(d: Draft, e: LogEvent): void {
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
