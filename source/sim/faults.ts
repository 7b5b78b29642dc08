/**
 * The fault model, as one seam. Every way a run can go wrong is a named
 * injection point; which ones are armed in a run is decided here, once, from
 * the scenario and the seeded PRNG (the plan), and each is recorded as a
 * `fault` event when it fires (SimContext.fault). Outcome analysis, risk and
 * grading read those events — never the plan or the host's state.
 *
 * Points: hibernation-busy (hibernate_acquire), notifier-veto (PM_HIBERNATION_PREPARE),
 * task-wont-freeze (freezer), callback-error (a device PM callback at a phase),
 * dma-not-stopped (DMA still running into the memory quiesce), platform-abort
 * (force-idle cannot cover the activation), overflow (estimate > budget at the
 * DSM), dimm-result (a DIMM's result is not success).
 */
import type {FaultEvent, FaultPoint} from '../events.js';
import type {ErrnoName} from '../kernel/errno.js';
import type {Prng} from './prng.js';
import {scenarioDevices} from './scenario-model.js';
import type {DeviceSpec, StuckTaskSpec} from './scenario-schema.js';
import type {Scenario} from './scenario.js';

export type {FaultEvent, FaultPoint} from '../events.js';

export type DeviceFault = NonNullable<DeviceSpec['fail']>;

/** What this run has armed; drawn once, before anything runs. */
export type FaultPlan = {
	hibernationBusy: boolean;
	notifierVeto?: ErrnoName;
	/** Tasks stuck in D state (an operator may resolve them). */
	stuckTasks: StuckTaskSpec[];
	/** Device index → the callback that fails. */
	deviceFaults: Map<number, DeviceFault>;
	/** Device index → it has DMA running when the activation starts. */
	dmaActive: Map<number, boolean>;
};

/**
 * Draw the plan. The draw order (devices' DMA and failure, then tasks) is
 * fixed, from its own stream: adding a point must append draws, not insert.
 */
export function planFaults(scenario: Scenario, rng: Prng): FaultPlan {
	const chance = rng.fork('chances');
	const deviceFaults = new Map<number, DeviceFault>();
	const dmaActive = new Map<number, boolean>();
	for (const spec of scenarioDevices(scenario)) {
		const active = typeof spec.dma.active === 'number' ? chance.chance(spec.dma.active) : spec.dma.active;
		dmaActive.set(spec.index, active);
		if (spec.fail !== undefined && chance.chance(spec.fail.probability)) deviceFaults.set(spec.index, spec.fail);
	}

	return {
		hibernationBusy: scenario.platform.hibernationBusy,
		notifierVeto: scenario.platform.notifierVeto,
		stuckTasks: scenario.tasks.stuck.filter(task => chance.chance(task.probability)),
		deviceFaults,
		dmaActive,
	};
}

/** The faults that fired, by point (in firing order). */
export function faultsAt(events: readonly FaultEvent[], point: FaultPoint): FaultEvent[] {
	return events.filter(event => event.point === point);
}
