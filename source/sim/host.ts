/**
 * The simulated host's state: the nd bus, its DIMMs, the DMA-capable devices
 * and the tasks. Reads and writes of sysfs files are answered by the pure
 * ABI functions of kernel/sysfs.ts; this module only holds the state they
 * read and applies the effects they decide.
 */
import {
	capabilityHasFiles,
	deriveBusState,
	formatNoidle,
	readBusActivate,
	readBusCapability,
	readDimmActivate,
	readDimmResult,
	sysfsPaths,
	type ActivateResult,
	type BusActivateState,
	type Capability,
	type DimmActivateState,
	type PlatformState,
	type SysfsAnswer,
} from '../kernel/sysfs.js';
import type {Prng} from './prng.js';
import {firmwareFile} from './firmware-file.js';
import {draw} from './draw.js';
import {planFaults, type FaultPlan} from './faults.js';
import {scenarioDevices, scenarioDimms} from './scenario-model.js';
import type {DeviceSpec, DimmSpec, StuckTaskSpec} from './scenario-schema.js';
import type {Scenario} from './scenario.js';

export type Dimm = {
	index: number;
	/** sysfs paths of its firmware files. */
	paths: {activate: string; result: string};
	spec: DimmSpec;
	/** This DIMM's activation cost in the platform estimate (µs). */
	costUs: number;
	armed: boolean;
	currentVersion: string;
	nextVersion: string | null;
	result: ActivateResult;
	/** Took part in the latest bus activation. */
	tookPart: boolean;
	/** Result the platform will report once the busy window is over. */
	pendingResult?: ActivateResult;
	/**
	 * intel_fwa_state()/intel_fwa_result() cache (drivers/acpi/nfit/intel.c):
	 * the last DIMMINFO answer and the bus activation count it was taken at.
	 */
	cache: {state: DimmActivateState | 'invalid'; result: ActivateResult | 'invalid'; count: number};
};

export type DevicePmState =
	| 'active'
	| 'prepared'
	| 'frozen'
	| 'frozen-late'
	| 'frozen-noirq'
	| 'thawed-noirq'
	| 'thawed-early';

export type Device = Omit<DeviceSpec, 'dma'> & {
	/** This run's DMA: `active` drawn once when the scenario gives a probability. */
	dma: {active: boolean; stopsOnFreeze: boolean; inflightPerMs: number};
	index: number;
	pm: DevicePmState;
	/** The device errored (callback failure or a DMA completion timeout). */
	errors: string[];
};

export type Bus = {
	capability: Capability;
	noidle: boolean;
	maxQuiesceUs: number;
	/** The platform reads busy until this time (post-activation window). */
	busyUntilUs: number;
	activations: number;
};

export class Host {
	readonly bus: Bus;
	readonly dimms: Dimm[];
	readonly devices: Device[];
	/** The tasks stuck in D state in this run (an operator may resolve them). */
	stuckTasks: StuckTaskSpec[];
	readonly userTasks: number;
	readonly kernelTasks: number;
	/** What can go wrong in this run (sim/faults.ts). */
	readonly faults: FaultPlan;

	constructor(readonly scenario: Scenario, rng: Prng) {
		const dimmRng = rng.fork('dimms');
		this.bus = {
			capability: scenario.platform.capability,
			noidle: scenario.platform.noidle,
			maxQuiesceUs: scenario.platform.maxQuiesceUs,
			busyUntilUs: 0,
			activations: 0,
		};
		const specs = scenarioDimms(scenario);
		this.dimms = Array.from({length: scenario.dimms.count}, (_, index) => {
			const spec = specs[index]!;
			return {
				index,
				paths: {activate: sysfsPaths.dimmActivate(index), result: sysfsPaths.dimmResult(index)},
				spec,
				costUs: draw(spec.activationUs, dimmRng),
				armed: false,
				currentVersion: spec.currentVersion,
				nextVersion: spec.nextVersion,
				result: 'none',
				tookPart: false,
				cache: {state: 'invalid', result: 'invalid', count: -1},
			};
		});
		// Uncertain quantities: the fault plan, drawn once per run from its own stream.
		this.faults = planFaults(scenario, rng);
		this.devices = scenarioDevices(scenario).map(spec => ({
			...spec,
			dma: {...spec.dma, active: this.faults.dmaActive.get(spec.index) ?? false},
			fail: this.faults.deviceFaults.get(spec.index),
			pm: 'active' as const,
			errors: [],
		}));
		this.stuckTasks = this.faults.stuckTasks;
		this.userTasks = scenario.tasks.user;
		this.kernelTasks = scenario.tasks.kernel;
	}

	get hasFirmwareFiles(): boolean {
		return capabilityHasFiles(this.bus.capability);
	}

	/**
	 * Work done answering the model's questions (file evaluations, DIMM
	 * visits): a cost measure for tests, so that "not quadratic in the number
	 * of DIMMs" is checked by counting, never by timing.
	 */
	ops = 0;
	private armedCount = 0;
	/** Some DIMM has a pending result (set by the activation). */
	unsettled = false;
	private armedCostUs = 0;

	armedDimms(): Dimm[] {
		this.ops += this.dimms.length;
		return this.dimms.filter(d => d.armed);
	}

	/** Arm or disarm a DIMM (the platform's ARM DSM); keeps the BUSINFO sums current. */
	setArmed(dimm: Dimm, armed: boolean): void {
		if (dimm.armed === armed) return;
		dimm.armed = armed;
		this.armedCount += armed ? 1 : -1;
		this.armedCostUs += armed ? dimm.costUs : -dimm.costUs;
	}

	/** activate_tmo: the platform's estimate for the armed set (BUSINFO keeps it as a sum). */
	activateEstimateUs(): number {
		return this.armedCostUs;
	}

	platformState(nowUs: number): PlatformState {
		if (nowUs < this.bus.busyUntilUs) return 'busy';
		return this.armedCount > 0 ? 'armed' : 'idle';
	}

	busState(nowUs: number): BusActivateState | 'invalid' {
		return deriveBusState(this.platformState(nowUs), this.activateEstimateUs(), this.bus.maxQuiesceUs);
	}

	dimmState(dimm: Dimm, nowUs: number): DimmActivateState | 'invalid' {
		if (dimm.spec.invalid) return 'invalid';
		// nfit_test DIMMINFO: every DIMM reads busy while the bus is busy.
		if (nowUs < this.bus.busyUntilUs) return 'busy';
		return dimm.armed ? 'armed' : 'idle';
	}

	/** What the platform's DIMMINFO DSM answers now (nfit_test: result only once the busy window is over). */
	dimmInfo(dimm: Dimm, nowUs: number): {state: DimmActivateState | 'invalid'; result: ActivateResult | 'invalid'} {
		if (dimm.spec.invalid) return {state: 'invalid', result: 'invalid'};
		const state = this.dimmState(dimm, nowUs);
		const result = nowUs < this.bus.busyUntilUs && dimm.tookPart ? 'none' : (dimm.pendingResult && nowUs >= this.bus.busyUntilUs ? dimm.pendingResult : dimm.result);
		return {state, result};
	}

	/**
	 * A read of nmemX/firmware/activate: intel_fwa_state() answers from its
	 * cache unless the cache is invalid or busy or a bus activation happened
	 * since (fwa_count moved); otherwise it queries DIMMINFO, refreshing the
	 * cached result too. `commit` false = what a read would return, no side effect.
	 */
	readDimmState(dimm: Dimm, nowUs: number, commit = true): DimmActivateState | 'invalid' {
		const c = dimm.cache;
		if (c.count === this.bus.activations && c.state !== 'invalid' && c.state !== 'busy') return c.state;
		const fresh = this.dimmInfo(dimm, nowUs);
		if (commit) dimm.cache = {...fresh, count: this.bus.activations};
		return fresh.state;
	}

	/**
	 * A read of nmemX/firmware/result: intel_fwa_result() returns the cached
	 * result while the activation count is unchanged and it is valid — so a
	 * first read during nfit_test's busy window caches `none`, and later reads
	 * keep saying `none` until something reads `activate` (kernel.md §2.6).
	 */
	readDimmResult(dimm: Dimm, nowUs: number, commit = true): ActivateResult | 'invalid' {
		const c = dimm.cache;
		if (c.count === this.bus.activations && c.result !== 'invalid') return c.result;
		const fresh = this.dimmInfo(dimm, nowUs);
		if (commit) dimm.cache = {...fresh, count: this.bus.activations};
		return fresh.result;
	}

	/** An ARM/DISARM DSM was issued: the DIMM's cached state is invalidated first. */
	invalidateDimmState(dimm: Dimm): void {
		dimm.cache = {...dimm.cache, state: 'invalid'};
	}

	/** The platform's true result (outcome analysis; not what a read returns). */
	dimmResult(dimm: Dimm, nowUs: number): ActivateResult | 'invalid' {
		return this.dimmInfo(dimm, nowUs).result;
	}

	/** Settle results whose busy window has passed. */
	settle(nowUs: number): void {
		if (nowUs < this.bus.busyUntilUs || !this.unsettled) return;
		this.unsettled = false;
		for (const dimm of this.dimms) {
			this.ops++;
			if (dimm.pendingResult) {
				dimm.result = dimm.pendingResult;
				dimm.pendingResult = undefined;
			}
		}
	}

	/**
	 * Every readable firmware file and its current content (or errno); with
	 * `only`, the bus files and just those DIMMs' (what one arm can change).
	 */
	files(nowUs: number, only?: readonly Dimm[]): Map<string, SysfsAnswer<string>> {
		const files = new Map<string, SysfsAnswer<string>>();
		this.eachFile(nowUs, only, (path, answer) => files.set(path, answer));
		return files;
	}

	/** The same files as files(), in the same order, handed to `visit` one by one (no map built). */
	eachFile(nowUs: number, only: readonly Dimm[] | undefined, visit: (path: string, answer: SysfsAnswer<string>) => void): void {
		if (!this.hasFirmwareFiles) return;
		this.ops += 3;
		visit(this.busPaths.capability, readBusCapability(this.bus.capability));
		visit(this.busPaths.activate, readBusActivate(this.bus.capability, this.busState(nowUs)));
		visit(this.busPaths.noidle, {ok: true, value: formatNoidle(this.bus.noidle)});
		for (const dimm of only ?? this.dimms) {
			this.ops++;
			if (!dimm.spec.fwOps) continue;
			visit(dimm.paths.activate, readDimmActivate(this.bus.capability, true, this.readDimmState(dimm, nowUs, false)));
			visit(dimm.paths.result, readDimmResult(this.bus.capability, true, this.readDimmResult(dimm, nowUs, false)));
		}
	}

	/**
	 * One firmware file's content (or errno); undefined when the file does not
	 * exist. `commit` = a real read (it may refresh the driver's caches).
	 */
	file(path: string, nowUs: number, commit = false): SysfsAnswer<string> | undefined {
		const file = firmwareFile(path);
		if (!file || !this.hasFirmwareFiles) return undefined;
		switch (file.file) {
			case 'bus-capability': {
				return file.bus === 0 ? readBusCapability(this.bus.capability) : undefined;
			}

			case 'bus-activate': {
				return file.bus === 0 ? readBusActivate(this.bus.capability, this.busState(nowUs)) : undefined;
			}

			case 'bus-noidle': {
				return file.bus === 0 ? {ok: true, value: formatNoidle(this.bus.noidle)} : undefined;
			}

			case 'dimm-activate':
			case 'dimm-result': {
				const dimm = this.dimms[file.dimm];
				if (!dimm?.spec.fwOps) return undefined;
				return file.file === 'dimm-activate'
					? readDimmActivate(this.bus.capability, true, this.readDimmState(dimm, nowUs, commit))
					: readDimmResult(this.bus.capability, true, this.readDimmResult(dimm, nowUs, commit));
			}
		}
	}

	private readonly busPaths = {
		capability: sysfsPaths.busCapability(0),
		activate: sysfsPaths.busActivate(0),
		noidle: sysfsPaths.busNoidle(0),
	};

	deviceLabel(device: Device): string {
		return `${device.driver} ${device.name}`;
	}
}
