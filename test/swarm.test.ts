/**
 * Swarm: a fixed range of seeds, each a random host with random faults,
 * every invariant checked after each run (source/sim/swarm.ts). On a
 * violation the message names the seed and the command that reproduces it.
 */
import {describe, expect, it} from 'vitest';
import {faultPoints} from '../source/events.js';
import {checkRun, reproduction, swarm, swarmScenario} from '../source/sim/swarm.js';

const seeds = Number(process.env['QUIESCE_SWARM_SEEDS'] ?? 1500);

describe('swarm', () => {
	it(`seeds 1…${seeds}: every invariant holds`, () => {
		const result = swarm(1, seeds);
		const failure = result.failure;
		expect(failure ? `seed ${failure.seed}: ${failure.violations.join('; ')} — reproduce: ${reproduction(failure.seed)}` : '').toBe('');
		expect(result.checked).toBe(seeds);
	}, 600_000);

	it('seeds that once found a bug stay fixed', () => {
		// 10552: a symmetric quiesce jitter let a success stall memory past max_quiesce_tmo.
		for (const seed of [10_552]) expect(checkRun(seed).violations, `seed ${seed}`).toEqual([]);
	});

	it('the range exercises every fault point and several kernels', () => {
		const fired = new Set<string>();
		const kernels = new Set<string>();
		for (let seed = 1; seed <= 400; seed++) {
			const run = checkRun(seed);
			for (const fault of run.sim.faults) fired.add(fault.point);
			kernels.add(run.scenario.kernel);
		}

		expect([...fired].sort()).toEqual([...faultPoints].sort());
		expect(kernels.size).toBeGreaterThanOrEqual(5);
	});

	it('a seed is its own reproduction: same scenario, same timeline, byte for byte', () => {
		for (const seed of [7, 99, 1234]) {
			expect(JSON.stringify(swarmScenario(seed))).toBe(JSON.stringify(swarmScenario(seed)));
			expect(JSON.stringify(checkRun(seed).sim.timeline)).toBe(JSON.stringify(checkRun(seed).sim.timeline));
		}

		expect(reproduction(42)).toBe('npm run swarm -- --from 42 --seeds 1');
	});
});
