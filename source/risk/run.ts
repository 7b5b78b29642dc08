/**
 * One run of a risk estimate: a simulation with its own seed, boiled down to
 * what the report needs. Pure and deterministic: run i of seed S is the same
 * on any thread.
 */
import {resultSays, type ActivationMethod} from '../kernel/sysfs.js';
import type {OutcomeKind} from '../sim/outcome.js';
import type {Scenario} from '../sim/scenario.js';
import {Simulation} from '../sim/simulation.js';

export type RunResult = {
	kind: OutcomeKind;
	userFrozenUs: number;
	stallUs: number;
	budgetUs: number;
	dmaTimeouts: string[];
	/** Final result of each DIMM that took part, by name. */
	dimms: Record<string, string>;
	/** Why it went wrong, in words an operator uses (empty on success). */
	causes: string[];
};

/** The seed of run `index` of a batch seeded `seed` (splitmix32 of both). */
export function runSeed(seed: number, index: number): number {
	let z = (seed ^ Math.imul(index + 1, 0x9e_37_79_b9)) >>> 0;
	z = Math.imul(z ^ (z >>> 16), 0x85_eb_ca_6b);
	z = Math.imul(z ^ (z >>> 13), 0xc2_b2_ae_35);
	return (z ^ (z >>> 16)) >>> 0;
}

export function withMethod(scenario: Scenario, method: ActivationMethod | undefined): Scenario {
	return method === undefined || method === scenario.method ? scenario : {...scenario, method};
}

export function runOne(scenario: Scenario, seed: number): RunResult {
	const sim = new Simulation(scenario, {seed}).run();
	const outcome = sim.outcome();
	// Causes come from the faults that fired (sim/faults.ts), not from host state.
	const causes: string[] = [];
	for (const fault of sim.faults) {
		switch (fault.point) {
			case 'task-wont-freeze': {
				causes.push(`task ${fault.target} stuck in D state`);
				break;
			}

			case 'callback-error': {
				causes.push(`${fault.target}: ${String(fault.data?.['callback'])} callback error ${fault.errno}`);
				break;
			}

			case 'dma-not-stopped': {
				if (fault.data?.['timedOut'] === true) causes.push(`DMA timeout on ${fault.target}`);
				break;
			}

			case 'overflow': {
				causes.push('activation time exceeds the platform budget (overflow)');
				break;
			}

			case 'platform-abort': {
				causes.push('platform could not raise completion timeouts (abort)');
				break;
			}

			case 'hibernation-busy': {
				causes.push('hibernation in progress or /dev/snapshot open');
				break;
			}

			case 'notifier-veto': {
				causes.push(`a PM notifier vetoed (${fault.errno})`);
				break;
			}

			case 'dimm-result': {
				break; // reported per DIMM below, from the results a reader sees
			}
		}
	}

	// Tasks only slow to freeze never fire a fault; they still cost frozen time.
	for (const task of sim.host.faults.stuckTasks) {
		if (task.releaseAfterUs !== null && !causes.includes(`task ${task.comm} stuck in D state`)) causes.push(`task ${task.comm} slow to freeze`);
	}

	const dimms: Record<string, string> = {};
	for (const dimm of sim.host.dimms) {
		if (dimm.tookPart || dimm.armed) dimms[`nmem${dimm.index}`] = dimm.armed ? 'still armed' : (dimm.pendingResult ?? dimm.result);
	}

	for (const [name, result] of Object.entries(dimms)) if (resultSays(result) === 'failed') causes.push(`${name}: ${result}`);
	return {kind: outcome.kind, userFrozenUs: outcome.userFrozenUs, stallUs: outcome.stallUs, budgetUs: outcome.budgetUs, dmaTimeouts: outcome.dmaTimeouts, dimms, causes};
}
