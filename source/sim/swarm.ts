/**
 * Swarm testing (FoundationDB / TigerBeetle style): each seed builds a random
 * host with random faults on (sim/faults.ts points), runs it to the end, and
 * checks invariants that must hold whatever went wrong. Pure: a seed always
 * gives the same scenario and the same run, so a violation is reproduced by
 * its seed alone.
 */
import {kernelIds} from '../kernel/profiles.js';
import {quietExecSteps, type StepId} from '../kernel/quiet-exec.js';
import type {ActivateResult} from '../kernel/sysfs.js';
import {Prng} from './prng.js';
import {scenarioSchema, type ScenarioInput} from './scenario-schema.js';
import type {Scenario} from './scenario.js';
import {Simulation} from './simulation.js';

const errnos = ['EBUSY', 'EIO', 'EAGAIN', 'ENOMEM', 'ETIMEDOUT'] as const;
const callbacks = ['prepare', 'freeze', 'freeze_late', 'freeze_noirq'] as const;

/**
 * kernel.md §3.2, written down independently of kernel/quiet-exec.ts so that
 * a wrong unwind table there is caught here: the first step run after a
 * failure at each point (then every step to 28).
 */
const unwindFromStep: Record<string, number> = {
	hibernate_acquire: 28,
	pm_notifier_prepare: 26,
	freeze_processes: 25,
	platform_begin: 22,
	freeze_kernel_threads: 22,
	dpm_prepare: 20,
	dpm_suspend: 18,
	dpm_suspend_end: 18,
	platform_pre_snapshot: 16,
};

function expectedSteps(failedStep: StepId | undefined): StepId[] {
	const all = quietExecSteps.map(s => s.id);
	if (!failedStep) return all;
	const at = quietExecSteps.find(s => s.id === failedStep)!.n;
	const from = unwindFromStep[failedStep];
	if (from === undefined) return [`<${failedStep} cannot fail>` as StepId];
	return [...quietExecSteps.filter(s => s.n <= at), ...quietExecSteps.filter(s => s.n >= from)].map(s => s.id);
}

/** A random host and fault set for this seed. */
export function swarmScenario(seed: number): Scenario {
	const r = new Prng(seed ^ 0x5a_5a_5a_5a);
	const pick = <T>(items: readonly T[]): T => items[r.int(0, items.length - 1)]!;
	const dimmCount = r.int(1, 12);
	const nfit = r.chance(0.25);
	const devices: NonNullable<ScenarioInput['devices']> = [];
	for (let i = 0, n = r.int(0, 6); i < n; i++) {
		const device: NonNullable<ScenarioInput['devices']>[number] = {
			name: `0000:${(0x10 + i).toString(16)}:00.0`,
			driver: pick(['nvme', 'mlx5_core', 'ixgbe', 'megaraid_sas', 'xhci_hcd']),
			bus: pick(['pci', 'pci', 'platform', 'pnp'] as const),
			parent: '0000:00:01.0',
			async: r.chance(0.6),
			dma: {active: r.chance(0.3), stopsOnFreeze: r.chance(0.7)},
			completionTimeoutUs: pick([100, 50_000, 65_000_000]),
			maxCompletionTimeoutUs: pick([50, 10_000, 3_500_000, 64_000_000]),
		};
		if (r.chance(0.15)) device.fail = {callback: pick(callbacks), errno: pick(errnos)};
		devices.push(device);
	}

	const stuck: NonNullable<NonNullable<ScenarioInput['tasks']>['stuck']> = [];
	if (r.chance(0.12)) stuck.push({comm: 'fio', pid: 4000 + r.int(0, 999), kind: 'user', releaseAfterUs: r.chance(0.5) ? null : r.int(0, 2_000_000)});
	if (r.chance(0.06)) stuck.push({comm: 'jbd2/sda1-8', pid: 300 + r.int(0, 99), ppid: 2, kind: 'kernel', releaseAfterUs: null});
	const overrides: Record<string, {arm?: boolean; nextVersion?: string | null; outcome?: 'success' | 'fail' | 'need_reset'}> = {};
	for (let i = 0; i < dimmCount; i++) {
		if (r.chance(0.15)) overrides[String(i)] = {arm: r.chance(0.3)};
		if (r.chance(0.08)) overrides[String(i)] = {...overrides[String(i)], nextVersion: null};
		if (r.chance(0.08)) overrides[String(i)] = {...overrides[String(i)], outcome: pick(['fail', 'need_reset'] as const)};
	}

	const input: ScenarioInput = {
		description: `swarm seed ${seed}`,
		kernel: pick(kernelIds),
		method: r.chance(0.85) ? 'quiesce' : 'live',
		startUs: 1_000_000 + r.int(0, 9_000_000),
		freezeTimeoutMs: pick([1, 50, 500, 20_000, 4_294_967_295]),
		log: {pmDebugMessages: r.chance(0.5), pmPrintTimes: r.chance(0.3), nfitDyndbg: r.chance(0.2)},
		platform: {
			capability: 'quiesce',
			maxQuiesceUs: nfit ? 3_000_000 : pick([300, 600, 2000]),
			noidle: r.chance(0.3),
			s4: r.chance(0.8),
			nvs: r.chance(0.8),
			firmware: nfit ? 'nfit_test' : 'intel',
			busyAfterActivationUs: nfit ? 3_000_000 : pick([0, 0, 500_000]),
			overflowPolicy: nfit || r.chance(0.3) ? 'attempt' : 'refuse',
			hibernationBusy: r.chance(0.04),
			notifierVeto: r.chance(0.04) ? pick(errnos) : undefined,
			passiveDevices: r.int(0, 600),
		},
		dimms: {count: dimmCount, defaults: {activationUs: nfit ? 1_000_000 : [20, 120]}, overrides},
		tasks: {user: r.int(1, 400), kernel: r.int(1, 120), stuck},
		devices,
	};
	const file = scenarioSchema.parse(input);
	return {...file, name: `swarm-${seed}`, file: `swarm:${seed}`};
}

export type SwarmRun = {seed: number; scenario: Scenario; sim: Simulation; violations: string[]};

/** The final result a careful reader gets for a DIMM: activate first, then result. */
function finalResult(sim: Simulation, index: number): string {
	sim.submit({read: `bus/nd/devices/nmem${index}/firmware/activate`});
	sim.run();
	const answer = sim.peek(`bus/nd/devices/nmem${index}/firmware/result`);
	return answer.ok ? answer.value : `<${answer.errno}>`;
}

export function checkRun(seed: number): SwarmRun {
	const scenario = swarmScenario(seed);
	const sim = new Simulation(scenario, {seed}).run();
	const violations: string[] = [];
	const outcome = sim.outcome();
	for (const run of sim.runs) {
		if (run.method !== 'quiesce') continue;
		// 1. Steps: the step table's prefix up to the failure, then exactly its unwind path.
		const expected = expectedSteps(run.failedStep);
		if (JSON.stringify(run.steps) !== JSON.stringify(expected)) violations.push(`steps ${run.steps?.join(',')} != ${expected.join(',')}`);
		// 2. User space is thawed at the end of every quiesce that froze it.
		if (run.frozenFromUs !== undefined && (run.frozenToUs === undefined || run.frozenToUs < run.frozenFromUs)) violations.push('user space left frozen');
		if (run.returnedUs === undefined) violations.push('the activate write never returned');
	}

	// 3. Results match the outcome: every DIMM that took part reads what the platform decided.
	const last = sim.runs.at(-1);
	const participants = last?.activation?.participants ?? [];
	const busWasActivated = participants.length > 0;
	sim.advanceTo(sim.now + scenario.platform.busyAfterActivationUs + 1000);
	for (const index of participants) {
		const dimm = sim.host.dimms[index]!;
		const want: ActivateResult = dimm.spec.nextVersion === null ? 'not_staged' : dimm.spec.outcome;
		const got = finalResult(sim, index);
		if (got !== want) violations.push(`nmem${index}: result ${got}, platform decided ${want}`);
	}

	if (outcome.kind === 'success') {
		if (outcome.write !== '0') violations.push(`success but the write returned ${outcome.write}`);
		for (const index of participants) if (sim.host.dimmResult(sim.host.dimms[index]!, sim.now) !== 'success') violations.push(`success but nmem${index} did not succeed`);
		// 5. A successful activation never stalled memory past the platform's budget.
		if (outcome.stallUs > outcome.budgetUs) violations.push(`success with a ${outcome.stallUs} µs stall over a ${outcome.budgetUs} µs budget`);
	}

	if (outcome.kind !== 'success' && last && !last.errno && busWasActivated && sim.faults.length === 0) violations.push(`outcome ${outcome.kind} without a fault`);
	// 4. The bus ends idle or busy — never armed — after an activation that ran.
	const bus = sim.peek('bus/nd/devices/ndbus0/firmware/activate');
	if (busWasActivated && last && !last.errno && bus.ok && (bus.value === 'armed' || bus.value === 'overflow')) violations.push(`bus reads ${bus.value} after a successful activate`);
	return {seed, scenario, sim, violations};
}

/** The command that reproduces one seed. */
export function reproduction(seed: number): string {
	return `npm run swarm -- --from ${seed} --seeds 1`;
}

/** Run seeds [from, from + count); stop at the first violation. */
export function swarm(from: number, count: number, onProgress?: (done: number) => void): {checked: number; failure?: SwarmRun} {
	for (let i = 0; i < count; i++) {
		const seed = (from + i) >>> 0;
		let result: SwarmRun;
		try {
			result = checkRun(seed);
		} catch (error) {
			const scenario = swarmScenario(seed);
			return {checked: i + 1, failure: {seed, scenario, sim: undefined as unknown as Simulation, violations: [`threw: ${(error as Error).stack ?? String(error)}`]}};
		}

		if (result.violations.length > 0) return {checked: i + 1, failure: result};
		onProgress?.(i + 1);
	}

	return {checked: count};
}
