/**
 * What a parsed scenario is made of, at run time: DIMM defaults, the device expansion. No zod here:
 * a run of a built-in scenario from the bundle takes the scenario parsed at build time
 * (scenario-load.ts) and never loads the schema (scenario-schema.ts).
 */
import type {DeviceSpec, DimmSpec, ScenarioFile} from './scenario-schema.js';

const dimmDefaults: DimmSpec = {
	currentVersion: '01.02.00.5435',
	nextVersion: '01.02.00.5446',
	activationUs: [45, 55],
	arm: true,
	outcome: 'success',
	invalid: false,
	fwOps: true,
};

export function resolveDimm(file: ScenarioFile, index: number): DimmSpec {
	const override = file.dimms.overrides[String(index)] ?? file.dimms.overrides[`nmem${index}`] ?? {};
	return {...dimmDefaults, ...file.dimms.defaults, ...override};
}

export type ExpandedDevice = Readonly<DeviceSpec & {index: number}>;

/**
 * A scenario's devices, expanded once per scenario object (a risk run or a bench simulates the same
 * scenario thousands of times): frozen, since every simulation shares them and copies what it changes.
 */
const expandedDevices = new WeakMap<ScenarioFile, readonly ExpandedDevice[]>();

export function scenarioDevices(file: ScenarioFile): readonly ExpandedDevice[] {
	let devices = expandedDevices.get(file);
	if (!devices) {
		devices = Object.freeze(expandDevices(file).map(device => Object.freeze(device)));
		expandedDevices.set(file, devices);
	}

	return devices;
}

/** A scenario's DIMM specs, resolved once per scenario object (shared and frozen, like its devices). */
const resolvedDimms = new WeakMap<ScenarioFile, readonly DimmSpec[]>();

export function scenarioDimms(file: ScenarioFile): readonly DimmSpec[] {
	let dimms = resolvedDimms.get(file);
	if (!dimms) {
		dimms = Object.freeze(Array.from({length: file.dimms.count}, (_, index) => Object.freeze(resolveDimm(file, index))));
		resolvedDimms.set(file, dimms);
	}

	return dimms;
}

/** Expand `count` and the {i}/{x} name patterns into one spec per device. */
export function expandDevices(file: ScenarioFile): Array<DeviceSpec & {index: number}> {
	const out: Array<DeviceSpec & {index: number}> = [];
	for (const spec of file.devices) {
		for (let i = 0; i < spec.count; i++) {
			const expand = (s: string) =>
				s.replaceAll('{i}', String(i)).replaceAll('{x}', i.toString(16).padStart(2, '0'));
			out.push({...spec, name: expand(spec.name), parent: expand(spec.parent), count: 1, index: out.length});
		}
	}

	return out;
}
