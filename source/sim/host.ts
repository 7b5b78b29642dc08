/**
 * The simulated host's state: the nd bus, its DIMMs, the DMA-capable devices
 * and the tasks. Reads and writes of sysfs files are answered by the pure
 * ABI functions of kernel/sysfs.ts; this module only holds the state they
 * read and applies the effects they decide.
 */
import {
	capabilityHasFiles,
	parseFirmwarePath,
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
import {draw} from './draw.js';
import {expandDevices, resolveDimm, type DeviceSpec, type DimmSpec, type StuckTaskSpec} from './scenario-schema.js';
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

	constructor(readonly scenario: Scenario, rng: Prng) {
		const dimmRng = rng.fork('dimms');
		this.bus = {
			capability: scenario.platform.capability,
			noidle: scenario.platform.noidle,
			maxQuiesceUs: scenario.platform.maxQuiesceUs,
			busyUntilUs: 0,
			activations: 0,
		};
		this.dimms = Array.from({length: scenario.dimms.count}, (_, index) => {
			const spec = resolveDimm(scenario, index);
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
			};
		});
		// Uncertain quantities, drawn once per run from their own streams.
		const chance = rng.fork('chances');
		this.devices = expandDevices(scenario).map(spec => {
			const active = typeof spec.dma.active === 'number' ? chance.chance(spec.dma.active) : spec.dma.active;
			const fails = spec.fail !== undefined && chance.chance(spec.fail.probability);
			return {...spec, dma: {...spec.dma, active}, fail: fails ? spec.fail : undefined, pm: 'active', errors: []};
		});
		this.stuckTasks = scenario.tasks.stuck.filter(task => chance.chance(task.probability));
		this.userTasks = scenario.tasks.user;
		this.kernelTasks = scenario.tasks.kernel;
	}

	get hasFirmwareFiles(): boolean {
		return capabilityHasFiles(this.bus.capability);
	}

	armedDimms(): Dimm[] {
		return this.dimms.filter(d => d.armed);
	}

	/** activate_tmo: the platform's estimate for the armed set. */
	activateEstimateUs(): number {
		let sum = 0;
		for (const dimm of this.dimms) if (dimm.armed) sum += dimm.costUs;
		return sum;
	}

	platformState(nowUs: number): PlatformState {
		if (nowUs < this.bus.busyUntilUs) return 'busy';
		return this.dimms.some(d => d.armed) ? 'armed' : 'idle';
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

	dimmResult(dimm: Dimm, nowUs: number): ActivateResult | 'invalid' {
		if (dimm.spec.invalid) return 'invalid';
		if (nowUs < this.bus.busyUntilUs && dimm.tookPart) return 'none';
		return dimm.result;
	}

	/** Settle results whose busy window has passed. */
	settle(nowUs: number): void {
		if (nowUs < this.bus.busyUntilUs) return;
		for (const dimm of this.dimms) {
			if (dimm.pendingResult) {
				dimm.result = dimm.pendingResult;
				dimm.pendingResult = undefined;
			}
		}
	}

	/** Every readable firmware file and its current content (or errno). */
	files(nowUs: number): Map<string, SysfsAnswer<string>> {
		const files = new Map<string, SysfsAnswer<string>>();
		if (!this.hasFirmwareFiles) return files;
		files.set(this.busPaths.capability, readBusCapability(this.bus.capability));
		files.set(this.busPaths.activate, readBusActivate(this.bus.capability, this.busState(nowUs)));
		files.set(this.busPaths.noidle, {ok: true, value: formatNoidle(this.bus.noidle)});
		for (const dimm of this.dimms) {
			if (!dimm.spec.fwOps) continue;
			files.set(dimm.paths.activate, readDimmActivate(this.bus.capability, true, this.dimmState(dimm, nowUs)));
			files.set(dimm.paths.result, readDimmResult(this.bus.capability, true, this.dimmResult(dimm, nowUs)));
		}

		return files;
	}

	/** One firmware file's content (or errno); undefined when the file does not exist. */
	file(path: string, nowUs: number): SysfsAnswer<string> | undefined {
		const file = parseFirmwarePath(path);
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
					? readDimmActivate(this.bus.capability, true, this.dimmState(dimm, nowUs))
					: readDimmResult(this.bus.capability, true, this.dimmResult(dimm, nowUs));
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
