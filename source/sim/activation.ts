/**
 * The callback that hibernate_quiet_exec() runs (or that `live` runs
 * directly): the bus ACTIVATE DSM. The platform decides, from its own
 * checks, whether to stall the memory controller; whatever it decides, the
 * DSM returns 0 to the kernel (kernel.md §2.2) and only the DIMM results tell.
 */
import {nfitActivateResult} from '../kernel/log-format.js';
import {type ActivateResult, type ActivationMethod, type BusActivateStatus} from '../kernel/sysfs.js';
import type {SimContext} from './context.js';
import type {Device, Dimm} from './host.js';

export type DmaExposure = {
	device: string;
	/** DMA reads outstanding when the memory controller stopped answering. */
	inflight: number;
	completionTimeoutUs: number;
	timedOut: boolean;
};

export type ActivationReport = {
	method: ActivationMethod;
	atUs: number;
	status: BusActivateStatus;
	/** activate_tmo: the platform's estimate for the armed set. */
	estimateUs: number;
	/** max_quiesce_tmo. */
	budgetUs: number;
	/** How long the memory controller was really quiesced (0 if it was not). */
	stallUs: number;
	/** noidle = N: the platform idles I/O devices itself and raises their completion timeouts. */
	forceIdle: boolean;
	participants: number[];
	results: Record<number, ActivateResult>;
	dma: DmaExposure[];
	/** Devices whose longest completion timeout cannot cover the activation (force-idle abort). */
	blockers: string[];
};

export function* platformActivate(ctx: SimContext, method: ActivationMethod): Generator<number, ActivationReport> {
	const {host, rng} = ctx;
	const armed = host.armedDimms();
	const estimateUs = host.activateEstimateUs();
	const budgetUs = host.bus.maxQuiesceUs;
	const forceIdle = !host.bus.noidle;
	// nfit_test ignores iodev_state (tools/testing/nvdimm/test/nfit.c): no force-idle check.
	const blockers = forceIdle && ctx.scenario.platform.firmware === 'intel'
		? host.devices.filter(d => d.bus === 'pci' && d.maxCompletionTimeoutUs < estimateUs).map(d => host.deviceLabel(d))
		: [];
	const report: ActivationReport = {
		method,
		atUs: ctx.now,
		status: 'SUCCESS',
		estimateUs,
		budgetUs,
		stallUs: 0,
		forceIdle,
		participants: [],
		results: {},
		dma: [],
		blockers,
	};

	yield rng.int(30, 90); // _DSM evaluation up to the platform's decision
	const overflow = estimateUs > budgetUs;
	if (armed.length === 0) report.status = 'NOARM';
	else if (overflow && ctx.scenario.platform.overflowPolicy === 'refuse') report.status = 'TMO';
	else if (blockers.length > 0) report.status = 'ABORT';
	else if (overflow) report.status = 'TMO'; // nfit_test: reports TMO, activates anyway

	const performs = report.status === 'SUCCESS' || (report.status === 'TMO' && !(ctx.scenario.platform.overflowPolicy === 'refuse'));
	if (overflow && armed.length > 0) {
		ctx.fault('overflow', `activate_tmo ${estimateUs} µs > max_quiesce_tmo ${budgetUs} µs: the platform ${performs ? 'reports TMO and activates anyway' : 'refuses (status TMO)'}`, {data: {estimateUs, budgetUs, performed: performs}});
	}

	if (report.status === 'ABORT') {
		ctx.fault('platform-abort', `force-idle cannot raise the completion timeout of ${blockers.join(', ')} to cover ${estimateUs} µs: the platform aborts`, {target: blockers[0], data: {blockers}});
	}

	if (!performs) {
		ctx.note('platform', refusalText(report), {status: report.status, estimateUs, budgetUs, blockers});
	} else if (ctx.scenario.platform.firmware === 'nfit_test') {
		// tools/testing/nvdimm/test/nfit.c: the emulated ACTIVATE returns at once; the
		// armed_count × 1 s figures are only what BUSINFO reports (kernel.md §7).
		yield rng.int(2, 30);
		ctx.note('quiesce', `nfit_test emulation: activation recorded at once (no memory quiesce; BUSINFO estimate ${estimateUs} µs, ${armed.length} DIMMs)`, {
			state: 'emulated',
			stallUs: 0,
			budgetUs,
			estimateUs,
			method,
			dimms: armed.length,
		});
		applyResults(ctx, armed, report);
	} else {
		const jitter = ctx.scenario.platform.quiesceJitterPct / 100;
		// activate_tmo is the platform's time-out for the armed set, an upper bound: the
		// real quiesce ends at or before it (found by the swarm: a symmetric jitter let a
		// "successful" activation stall memory past max_quiesce_tmo).
		report.stallUs = Math.max(1, Math.round(estimateUs * (1 - rng.next() * jitter)));
		report.dma = host.devices.flatMap(device => exposure(device, method, forceIdle, report.stallUs, rng));
		ctx.note('quiesce', `memory controller quiesced: ${report.stallUs} µs of ${budgetUs} µs budget (estimate ${estimateUs} µs, ${armed.length} DIMMs, ${forceIdle ? 'platform force-idle' : 'OS idle (noidle=Y)'})`, {
			state: 'begin',
			stallUs: report.stallUs,
			budgetUs,
			estimateUs,
			forceIdle,
			method,
			dimms: armed.length,
		});
		for (const hit of report.dma) {
			ctx.fault('dma-not-stopped', `${hit.device}: DMA still running into a ${report.stallUs} µs memory quiesce (${hit.inflight} reads in flight, completion timeout ${hit.completionTimeoutUs} µs)`, {target: hit.device, data: {...hit}});
			ctx.note('dma', `${hit.device}: ${hit.inflight} DMA reads in flight during the quiesce; completion timeout ${hit.completionTimeoutUs} µs ${hit.timedOut ? '< stall: they will time out' : '≥ stall: they survive'}`, hit);
		}

		yield report.stallUs;
		ctx.note('quiesce', `memory controller back after ${report.stallUs} µs`, {state: 'end', stallUs: report.stallUs, budgetUs});
		applyResults(ctx, armed, report);
		for (const hit of report.dma) {
			if (hit.timedOut) host.devices.find(d => host.deviceLabel(d) === hit.device)?.errors.push('PCIe completion timeout');
		}
	}

	host.bus.activations++;
	yield rng.int(5, 20);
	if (ctx.scenario.log.nfitDyndbg) ctx.log(nfitActivateResult(0, nfitDevice(ctx)));
	ctx.publish();
	return report;
}

/** The device intel.c's dev_dbg() names: the NFIT root, or nfit_test's platform device. */
export function nfitDevice(ctx: SimContext): {driver: string; name: string} {
	return ctx.scenario.platform.firmware === 'nfit_test' ? {driver: 'nfit_test', name: 'nfit_test.0'} : {driver: 'nfit', name: 'ACPI0012:00'};
}

function refusalText(report: ActivationReport): string {
	switch (report.status) {
		case 'TMO': {
			return `platform refused the activation (status TMO): activate_tmo ${report.estimateUs} µs > max_quiesce_tmo ${report.budgetUs} µs; the write still returns 0`;
		}

		case 'ABORT': {
			return `platform aborted the activation: cannot raise the completion timeout of ${report.blockers.join(', ')} to cover ${report.estimateUs} µs; the write still returns 0`;
		}

		default: {
			return `platform did nothing (status ${report.status}); the write still returns 0`;
		}
	}
}

function exposure(device: Device, method: ActivationMethod, forceIdle: boolean, stallUs: number, rng: SimContext['rng']): DmaExposure[] {
	// Only PCIe requesters have completion timeouts to run out.
	if (device.bus !== 'pci' || !device.dma.active || forceIdle) return [];
	// After ->freeze() a well-behaved driver has stopped bus mastering; with `live` nothing was frozen.
	const stillRunning = method === 'live' || !device.dma.stopsOnFreeze;
	if (!stillRunning) return [];
	const expected = (device.dma.inflightPerMs * stallUs) / 1000;
	const inflight = Math.max(1, Math.round(expected * (0.5 + rng.next())));
	return [{device: `${device.driver} ${device.name}`, inflight, completionTimeoutUs: device.completionTimeoutUs, timedOut: stallUs > device.completionTimeoutUs}];
}

function applyResults(ctx: SimContext, armed: Dimm[], report: ActivationReport): void {
	const {host} = ctx;
	const busyUs = ctx.scenario.platform.busyAfterActivationUs;
	for (const dimm of host.dimms) dimm.tookPart = false;
	host.ops += host.dimms.length;
	const changed: Array<{dimm: number; current: string; next: string | null}> = [];
	for (const dimm of armed) {
		const result: ActivateResult = dimm.nextVersion === null ? 'not_staged' : dimm.spec.outcome;
		dimm.tookPart = true;
		host.setArmed(dimm, false);
		report.participants.push(dimm.index);
		report.results[dimm.index] = result;
		if (result === 'success' && dimm.nextVersion !== null) {
			dimm.currentVersion = dimm.nextVersion;
			dimm.nextVersion = null;
			changed.push({dimm: dimm.index, current: dimm.currentVersion, next: null});
		}

		if (result !== 'success') {
			ctx.fault('dimm-result', `nmem${dimm.index}: the platform reports ${result}${result === 'not_staged' ? ' (no image staged)' : ''}`, {target: `nmem${dimm.index}`, data: {result}});
		}

		if (busyUs > 0) {
			dimm.pendingResult = result;
			host.unsettled = true;
		} else dimm.result = result;
	}

	if (busyUs > 0) {
		host.bus.busyUntilUs = ctx.now + busyUs;
		ctx.engine.schedule(busyUs, () => ctx.publish());
	}

	if (changed.length > 0) ctx.note('firmware', `${changed.length} DIMM(s) now run their new firmware`, {dimms: changed});
}

