/**
 * What only the simulator (or a rehearsal) says: notes of simulator-only
 * truth — steps, task and device progress, DMA in flight, the memory quiesce
 * — and the operator's actions on the bus.
 */
import type {ActionEvent, NoteEvent} from '../events.js';
import {parseFirmwarePath} from '../kernel/sysfs.js';
import {enter, maxWarnings, phase, readBack, type Draft} from './draft.js';
import type {Quiesce, SimulatedState, Warning} from './state.js';

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

function simulated(d: Draft): SimulatedState {
	const previous = d.s.simulated ?? {steps: [], tasks: {}, devices: {}, quiesce: {state: 'idle'}, warnings: []};
	const copy: SimulatedState = {...previous};
	d.s.simulated = copy;
	return copy;
}

function simDevice(d: Draft, name: string) {
	const sim = simulated(d);
	const device = {...sim.devices[name]};
	sim.devices = {...sim.devices, [name]: device};
	return device;
}

function simWarn(d: Draft, t: number, severity: Warning['severity'], text: string): void {
	const sim = simulated(d);
	if (sim.warnings.some(w => w.text === text)) return;
	sim.warnings = [...sim.warnings.slice(-(maxWarnings - 1)), {t, severity, text}];
}

/**
 * Simulator notes go to `state.simulated` only. The device pane's DMA figures and the quiesce
 * countdown (state.devices[].dma*, state.quiesce) mirror them for the panes that show them; no
 * phase, status, warning or outcome depends on them.
 */
export function onNote(d: Draft, e: NoteEvent): void {
	const data = e.data ?? {};
	switch (e.topic) {
		case 'scenario': {
			d.s.source = {scenario: data['scenario'] as string, seed: data['seed'] as number, kernel: data['kernel'] as string, description: e.text};
			const quiesce = {...d.s.quiesce, budgetUs: data['budgetUs'] as number, method: data['method'] as string};
			d.s.quiesce = quiesce;
			simulated(d).quiesce = quiesce;
			for (const device of (data['devices'] as Array<{device: string; completionTimeoutUs: number}> | undefined) ?? []) {
				d.device(device.device).completionTimeoutUs = device.completionTimeoutUs;
				simDevice(d, device.device).completionTimeoutUs = device.completionTimeoutUs;
			}

			return;
		}

		case 'firmware': {
			// Firmware versions are what `ndctl list -F` shows (firmware_version attributes): DIMM facts, not phases.
			const sim = simulated(d);
			const firmware = {...sim.firmware};
			for (const v of (data['dimms'] as Array<{dimm: number; current: string | null; next: string | null}> | undefined) ?? []) {
				firmware[`nmem${v.dimm}`] = {current: v.current, next: v.next};
				// Only DIMMs the kernel shows (sysfs) are listed; the simulator's versions are mirrored onto them.
				if (d.s.dimms[`nmem${v.dimm}`]) Object.assign(d.dimm(`nmem${v.dimm}`), {current: v.current, next: v.next});
			}

			sim.firmware = firmware;

			return;
		}

		case 'step': {
			const sim = simulated(d);
			sim.steps = [...sim.steps.slice(-63), {t: e.t, step: String(data['step']), status: String(data['status']), ...(data['errno'] === undefined ? {} : {errno: String(data['errno'])})}];
			return;
		}

		case 'tasks': {
			if (data['frozen'] === undefined) return;
			const sim = simulated(d);
			sim.tasks = {...sim.tasks, [data['kind'] === 'kernel' ? 'kernel' : 'user']: {frozen: data['frozen'] as number, total: data['total'] as number}};
			// Mirrored for the freeze-progress pane (a count, never a status).
			const cycle = d.running ? d.cycle! : undefined;
			const kind = data['kind'] === 'kernel' ? 'freeze-kthreads' : 'freeze-user';
			if (cycle) phase(cycle, kind).progress = {done: data['frozen'] as number, total: data['total'] as number, what: kind === 'freeze-user' ? 'tasks frozen' : 'threads frozen'};
			return;
		}

		case 'device': {
			const name = data['device'] as string;
			const device = simDevice(d, name);
			if (data['event'] === 'dma-timeout') {
				device.dmaTimedOut = true;
				d.device(name).dmaTimedOut = true;
				return;
			}

			const callback = data['callback'] as string;
			if (data['error'] !== undefined) return;
			device.pm = data['recovering'] ? 'recovered' : (deviceStateAfter[callback] ?? device.pm);
			// Mirrored for the devices pane (a device's state, never a phase status).
			if (device.pm) d.device(name).pm = device.pm;
			return;
		}

		case 'dma': {
			const name = data['device'] as string;
			const inflight = data['inflight'] as number;
			const timeout = data['completionTimeoutUs'] as number;
			Object.assign(simDevice(d, name), {dmaInflight: inflight, completionTimeoutUs: timeout});
			Object.assign(d.device(name), {dmaInflight: inflight, completionTimeoutUs: timeout});
			simWarn(d, e.t, data['timedOut'] ? 'crit' : 'warn', `${name}: ${inflight} DMA reads in flight during the memory quiesce${data['timedOut'] ? ' — they will time out' : ''} (simulated)`);
			return;
		}

		case 'quiesce': {
			const quiesce: Quiesce = data['state'] === 'begin'
				? {...d.s.quiesce, state: 'running', startUs: e.t, endUs: undefined, stallUs: data['stallUs'] as number, budgetUs: data['budgetUs'] as number, estimateUs: data['estimateUs'] as number, forceIdle: data['forceIdle'] as boolean, method: data['method'] as string}
				: {...d.s.quiesce, state: 'done', endUs: e.t};
			d.s.quiesce = quiesce;
			simulated(d).quiesce = quiesce;
			return;
		}

		case 'platform': {
			const quiesce: Quiesce = {...d.s.quiesce, state: 'refused', refusal: e.text, estimateUs: data['estimateUs'] as number, budgetUs: data['budgetUs'] as number};
			d.s.quiesce = quiesce;
			simulated(d).quiesce = quiesce;
			simWarn(d, e.t, 'crit', `${e.text} (simulated)`);
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
	// A read the operator made of the bus or a DIMM result counts as read back like a sysfs value.
	if (e.op === 'read' && e.result?.ok && e.result.value !== undefined && file) {
		const value = e.result.value.trim();
		if (file.file === 'bus-activate') readBack(d, e.t, 'bus', value);
		if (file.file === 'dimm-result') readBack(d, e.t, `nmem${file.dimm}`, value);
	}

	// Arming or disarming a DIMM (accepted) resets what its result says (the d2-armed reads of
	// traces/nfit-test-6.1/06-results-errors: nmem2 read success, then none once armed).
	if (file?.file === 'dimm-activate' && e.op === 'write' && e.result?.ok && d.s.activation && d.s.activation.closedUs === undefined) {
		d.s.activation = {...d.s.activation, closedUs: e.t};
	}

	if (file?.file !== 'bus-activate' || e.op !== 'write') return;
	if (e.result === null) {
		const live = (e.value ?? '').trim() === 'live';
		const cycle = d.openCycle(live ? 'fwa-live' : 'fwa-quiesce', e.t);
		cycle.openedBy = 'write';
		cycle.partial = undefined;
		cycle.armedAtWrite = Object.values(d.s.dimms).filter(dimm => dimm.activate === 'armed').map(dimm => dimm.name);
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
		// The activation ran: what is read back from now on tells whether it took (state.activation).
		const activation = cycle.phases.find(p => p.id === 'activation');
		if (e.result.ok || activation?.status === 'done') d.s.activation = {ordinal: cycle.ordinal ?? 0, writeEndUs: e.t, armed: cycle.armedAtWrite ?? [], results: {}};
		if (!e.result.ok) {
			d.addFailure(cycle, {id: 'write', t: e.t, text: `the write to ${e.path} returned an error`, errno: -e.result.code});
			// A `live` write that fails did not activate: activate_store() (drivers/nvdimm/bus.c, 6.1)
			// returns -EBUSY/-ENXIO/-EINVAL before calling fw_ops->activate, and an activate() that
			// fails is a failed activation too. The write's error is all the kernel says: never "done".
			if (activation?.status === 'running') {
				activation.status = 'failed';
				activation.endUs = e.t;
			}
		}

		d.closeCycle(e.t);
	}
}
