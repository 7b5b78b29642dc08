/**
 * The one reducer: events in, monitor state out. It reads kernel log lines
 * through kernel/recognise.ts, sysfs values by path, and the simulator's
 * notes and actions when there are any — so a simulated timeline and a real
 * suspend log from a laptop both show their freeze cycle phase by phase.
 * Pure: same events, same state.
 */
import type {SysfsEvent, TimelineEvent} from '../events.js';
import {driverError} from '../kernel/driver-errors.js';
import {recognise} from '../kernel/recognise.js';
import {parseFirmwarePath, resultSays} from '../kernel/sysfs.js';
import {Draft, readBack} from './draft.js';
import {onLog} from './on-kernel-log.js';
import {onAction, onNote} from './on-sim.js';
import {initialState, type MonitorState} from './state.js';

export {maxCycles, maxWarnings} from './draft.js';

function onSysfs(d: Draft, e: SysfsEvent): void {
	const path = e.path;
	if (path.startsWith('power/')) {
		d.s.power = {...d.s.power, [path.slice('power/'.length)]: e.value};
		return;
	}

	const bus = /^bus\/nd\/devices\/(ndbus\d+)(?:\/|$)/.exec(path);
	if (bus) d.s.bus = {...d.s.bus, present: true, name: d.s.bus.name ?? bus[1]};
	const nmem = /^bus\/nd\/devices\/(nmem\d+)(?:\/|$)/.exec(path);
	if (nmem && !d.s.dimms[nmem[1]!]) {
		const dimm = d.dimm(nmem[1]!);
		// A simulated run's firmware versions (state.simulated), mirrored for the DIMM pane.
		const versions = d.s.simulated?.firmware?.[nmem[1]!];
		if (versions) Object.assign(dimm, versions);
	}
	const file = parseFirmwarePath(path);
	if (!file) return;
	switch (file.file) {
		case 'bus-activate': {
			d.s.bus = {...d.s.bus, present: true, activate: e.value};
			readBack(d, e.t, 'bus', e.value);
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
			readBack(d, e.t, `nmem${file.dimm}`, e.value);
			if (resultSays(e.value) === 'failed') {
				d.warn(e.t, e.value === 'fail' ? 'crit' : 'warn', `nmem${file.dimm}: activation result ${e.value}${e.value === 'need_reset' ? ' (a power cycle is still needed)' : e.value === 'not_staged' ? ' (no image was staged)' : ''}`);
			}
		}
	}
}

/**
 * A parsed record's stamp resolution: journal and syslog stamps without a fraction (and dmesg -T)
 * are whole seconds. Parsed records with a printk stamp are µs; simulated ones (no origin) too.
 */
function clockOf(event: TimelineEvent): number | undefined {
	if (event.kind !== 'log' || event.origin === undefined) return undefined;
	return event.stamp === undefined && event.t % 1_000_000 === 0 ? 1_000_000 : 1;
}

export function reduce(state: MonitorState, event: TimelineEvent): MonitorState {
	return step(state, event, false);
}

/**
 * The same reduction, changing `state` where it stands: for a consumer that owns the state and
 * never looks back at an earlier one (replay --summary; the player's working state between
 * keyframes). No per-event copy of the state, its cycle or its device record.
 */
export function reduceInPlace(state: MonitorState, event: TimelineEvent): MonitorState {
	// The common line: no level, not a signal (nor the "done." that ends a pr_cont line). onLog would
	// only count it — so count it here, without a draft.
	if (event.kind === 'log' && event.level === undefined && (event.origin === 'userspace' || (recognise(event.text) === undefined && !event.text.includes('done.') && driverError(event.text) === undefined))) {
		countLine(state, event.t);
		return state;
	}

	return step(state, event, true);
}

/**
 * What reducing a log line without a level that no reader takes (a user-space line, or one
 * kernel/line-filter.ts mayMatter() rejects) does: count it and keep its time. In place.
 */
export function countLine(state: MonitorState, t: number): void {
	if (t > state.t) state.t = t;
	state.log.count++;
}

/** A state that `reduceInPlace` may change without touching `state` (nothing shared with it). */
export function ownCopy(state: MonitorState): MonitorState {
	return structuredClone(state);
}

function step(state: MonitorState, event: TimelineEvent, inPlace: boolean): MonitorState {
	const source = 'source' in event ? event.source : undefined;
	const d = new Draft(state, event.t, {file: source?.file, line: source?.line, clockUs: clockOf(event)}, inPlace);
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

	// An activation the log shows done, its write not seen (`capture` records no writes, a dmesg has
	// none): what is read back after the cycle ended counts as after a write (state.ts ActivationReadback).
	const ended = d.s.cycle;
	if (ended && ended.status !== 'running' && ended.write === undefined && (ended.kind === 'fwa-quiesce' || ended.kind === 'fwa-live') && d.s.activation?.ordinal !== ended.ordinal && ended.phases.some(p => p.id === 'activation' && p.status === 'done')) {
		d.s.activation = {ordinal: ended.ordinal ?? 0, writeEndUs: ended.endUs ?? event.t, armed: [], results: {}};
	}

	// The lines a cycle spans (first and last), and the coarsest clock among them.
	if (d.touched && d.s.cycle) {
		const cycle = d.cycle!;
		if (source) {
			const last = source.endLine ?? source.line;
			cycle.lines = cycle.lines && cycle.lines.file === source.file ? {...cycle.lines, last: Math.max(cycle.lines.last, last)} : {file: source.file, first: source.line, last};
		}

		if (d.where.clockUs !== undefined && d.where.clockUs > (cycle.clockUs ?? 0)) cycle.clockUs = d.where.clockUs;
	}

	return d.s;
}

export function reduceAll(events: Iterable<TimelineEvent>, from: MonitorState = initialState()): MonitorState {
	let state = from;
	for (const event of events) state = reduce(state, event);
	return state;
}
