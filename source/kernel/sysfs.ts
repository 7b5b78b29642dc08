/**
 * The libnvdimm firmware-activation sysfs ABI (kernel.md §2): file paths,
 * the values each file reads, and what each write does — including the exact
 * errno of every refused write. Pure functions; the simulator holds the state.
 *
 * Paths are relative to the sysfs root (`/sys`).
 */
import type {ErrnoName} from './errno.js';

export const busActivateStates = ['idle', 'armed', 'busy', 'overflow'] as const;
export type BusActivateState = (typeof busActivateStates)[number];

export const dimmActivateStates = ['idle', 'armed', 'busy'] as const;
export type DimmActivateState = (typeof dimmActivateStates)[number];

export const activateResults = ['none', 'success', 'fail', 'not_staged', 'need_reset'] as const;
export type ActivateResult = (typeof activateResults)[number];

/**
 * What a DIMM's `firmware/result` says of the last runtime activation
 * (Documentation/driver-api/nvdimm/firmware-activate.rst): `success` "completed
 * successfully"; `fail` "failed for device-specific reasons"; `not_staged` "failed
 * due to a sequencing error of the firmware image not being staged"; `need_reset`
 * "failed, but the firmware can still be activated via the legacy method of
 * power-cycling the system"; `none` "no runtime activation triggered since the
 * last time the device was reset" (nfit_test also reads `none` during its busy
 * window after an activation: traces/nfit-test-6.1). Anything else: unknown.
 */
export function resultSays(result: string): 'activated' | 'failed' | 'nothing' | 'unknown' {
	if (result === 'success') return 'activated';
	if (result === 'fail' || result === 'not_staged' || result === 'need_reset') return 'failed';
	return result === 'none' ? 'nothing' : 'unknown';
}

/** Why a failed result failed, in a few words (the same document). */
export const failedResultWhy: Record<string, string> = {
	fail: 'activation failed on the DIMM',
	need_reset: 'a power cycle is still needed',
	not_staged: 'no image was staged',
};

/** `none` means the firmware/ files are absent (capability < QUIESCE). */
export const capabilities = ['none', 'quiesce', 'live'] as const;
export type Capability = (typeof capabilities)[number];

export const activationMethods = ['quiesce', 'live'] as const;
export type ActivationMethod = (typeof activationMethods)[number];

/** Platform (DSM) state codes shared by bus and DIMM: 0 idle, 1 armed, 2 busy. */
export type PlatformState = 'idle' | 'armed' | 'busy' | 'invalid';

export const ndDevices = 'bus/nd/devices';

export const sysfsPaths = {
	busActivate: (bus: number) => `${ndDevices}/ndbus${bus}/firmware/activate`,
	busCapability: (bus: number) => `${ndDevices}/ndbus${bus}/firmware/capability`,
	busNoidle: (bus: number) => `${ndDevices}/ndbus${bus}/nfit/firmware_activate_noidle`,
	dimmActivate: (dimm: number) => `${ndDevices}/nmem${dimm}/firmware/activate`,
	dimmResult: (dimm: number) => `${ndDevices}/nmem${dimm}/firmware/result`,
	powerFreezeTimeout: 'power/pm_freeze_timeout',
	powerDebugMessages: 'power/pm_debug_messages',
	powerPrintTimes: 'power/pm_print_times',
} as const;

/** What a sysfs path names, if it is one of the firmware-activation files. */
export type FirmwareFile =
	| {file: 'bus-activate'; bus: number}
	| {file: 'bus-capability'; bus: number}
	| {file: 'bus-noidle'; bus: number}
	| {file: 'dimm-activate'; dimm: number}
	| {file: 'dimm-result'; dimm: number};

const firmwareFilePattern =
	/^(?:\/?sys\/)?bus\/nd\/devices\/(?:(ndbus)(\d+)\/(firmware\/activate|firmware\/capability|nfit\/firmware_activate_noidle)|(nmem)(\d+)\/firmware\/(activate|result))$/;

export function parseFirmwarePath(path: string): FirmwareFile | undefined {
	const match = firmwareFilePattern.exec(path.replace(/^\/+/, ''));
	if (!match) return undefined;
	if (match[1]) {
		const bus = Number(match[2]);
		if (match[3] === 'firmware/activate') return {file: 'bus-activate', bus};
		if (match[3] === 'firmware/capability') return {file: 'bus-capability', bus};
		return {file: 'bus-noidle', bus};
	}

	const dimm = Number(match[5]);
	return match[6] === 'activate' ? {file: 'dimm-activate', dimm} : {file: 'dimm-result', dimm};
}

/** A read or write answer: the value, or the errno the syscall fails with. */
export type SysfsAnswer<T> = {ok: true; value: T} | {ok: false; errno: ErrnoName};

const ok = <T>(value: T): SysfsAnswer<T> => ({ok: true, value});
const fail = <T>(errno: ErrnoName): SysfsAnswer<T> => ({ok: false, errno});
/**
 * Without the capability (or the DIMM's FWA DSMs) the attribute group's
 * is_visible() hides the file at registration, so open() fails with ENOENT;
 * the -EOPNOTSUPP branches of the show/store handlers are unreachable from
 * user space (drivers/nvdimm/core.c, dimm_devs.c nvdimm_firmware_visible()).
 */
const hidden = <T>(): SysfsAnswer<T> => fail('ENOENT');

/** `sysfs_streq()`: equal, ignoring one trailing newline on either side. */
export function sysfsStreq(a: string, b: string): boolean {
	const strip = (s: string) => (s.endsWith('\n') ? s.slice(0, -1) : s);
	return strip(a) === strip(b);
}

/** `kstrtobool()`: only the first one or two characters matter. */
export function kstrtobool(input: string): boolean | undefined {
	const [c0, c1] = [input[0], input[1]];
	if (c0 === 'y' || c0 === 'Y' || c0 === '1') return true;
	if (c0 === 'n' || c0 === 'N' || c0 === '0') return false;
	if (c0 === 'o' || c0 === 'O') {
		if (c1 === 'n' || c1 === 'N') return true;
		if (c1 === 'f' || c1 === 'F') return false;
	}

	return undefined;
}

/**
 * Bus state as the Intel backend derives it from BUSINFO (kernel.md §2.6):
 * the only overflow rule — the platform's estimate for the armed set
 * (`activate_tmo`) against its maximum quiesce time (`max_quiesce_tmo`).
 */
export function deriveBusState(
	platform: PlatformState,
	activateTmoUs: number,
	maxQuiesceTmoUs: number,
): BusActivateState | 'invalid' {
	switch (platform) {
		case 'idle': {
			return 'idle';
		}

		case 'busy': {
			return 'busy';
		}

		case 'armed': {
			return activateTmoUs > maxQuiesceTmoUs ? 'overflow' : 'armed';
		}

		default: {
			return 'invalid';
		}
	}
}

export function capabilityHasFiles(capability: Capability): boolean {
	return capability === 'quiesce' || capability === 'live';
}

/** `ndbusX/firmware/activate` read. */
export function readBusActivate(
	capability: Capability,
	state: BusActivateState | 'invalid',
): SysfsAnswer<BusActivateState> {
	if (!capabilityHasFiles(capability)) return hidden();
	if (state === 'invalid') return fail('ENXIO');
	return ok(state);
}

/** `ndbusX/firmware/capability` read. */
export function readBusCapability(capability: Capability): SysfsAnswer<'quiesce' | 'live'> {
	return capability === 'quiesce' || capability === 'live' ? ok(capability) : hidden();
}

/**
 * `ndbusX/firmware/activate` write (kernel.md §2.2): the text is parsed
 * before the state is looked at; busy → EBUSY; idle or invalid → ENXIO;
 * armed *and overflow* → the activation runs (the kernel does not refuse
 * overflow — that policy lives in ndctl).
 */
export function writeBusActivate(
	capability: Capability,
	state: BusActivateState | 'invalid',
	input: string,
): SysfsAnswer<ActivationMethod> {
	if (!capabilityHasFiles(capability)) return hidden();
	let method: ActivationMethod;
	if (sysfsStreq(input, 'live')) method = 'live';
	else if (sysfsStreq(input, 'quiesce')) method = 'quiesce';
	else return fail('EINVAL');
	if (state === 'busy') return fail('EBUSY');
	if (state === 'armed' || state === 'overflow') return ok(method);
	return fail('ENXIO');
}

export type DimmArmRequest = 'arm' | 'disarm';

/** What a DIMM `activate` write does: issue the ARM DSM, nothing, or fail. */
export type DimmWriteEffect = {dsm: DimmArmRequest | undefined; next: DimmActivateState};

/**
 * `nmemX/firmware/activate` write (kernel.md §2.4 table): no DSM for arm of
 * an armed DIMM or disarm of an idle one; busy → EBUSY; invalid → ENXIO.
 */
export function writeDimmActivate(
	capability: Capability,
	dimmHasOps: boolean,
	state: DimmActivateState | 'invalid',
	input: string,
): SysfsAnswer<DimmWriteEffect> {
	if (!capabilityHasFiles(capability) || !dimmHasOps) return hidden();
	let request: DimmArmRequest;
	if (sysfsStreq(input, 'arm')) request = 'arm';
	else if (sysfsStreq(input, 'disarm')) request = 'disarm';
	else return fail('EINVAL');
	if (state === 'invalid') return fail('ENXIO');
	if (state === 'busy') return fail('EBUSY');
	if (request === 'arm') return ok(state === 'idle' ? {dsm: 'arm', next: 'armed'} : {dsm: undefined, next: 'armed'});
	return ok(state === 'armed' ? {dsm: 'disarm', next: 'idle'} : {dsm: undefined, next: 'idle'});
}

export function readDimmActivate(
	capability: Capability,
	dimmHasOps: boolean,
	state: DimmActivateState | 'invalid',
): SysfsAnswer<DimmActivateState> {
	if (!capabilityHasFiles(capability) || !dimmHasOps) return hidden();
	return state === 'invalid' ? fail('ENXIO') : ok(state);
}

export function readDimmResult(
	capability: Capability,
	dimmHasOps: boolean,
	result: ActivateResult | 'invalid',
): SysfsAnswer<ActivateResult> {
	if (!capabilityHasFiles(capability) || !dimmHasOps) return hidden();
	return result === 'invalid' ? fail('ENXIO') : ok(result);
}

/** `ndbusX/nfit/firmware_activate_noidle` write: kstrtobool or EINVAL. */
export function writeNoidle(input: string): SysfsAnswer<boolean> {
	const value = kstrtobool(input);
	return value === undefined ? fail('EINVAL') : ok(value);
}

export function formatNoidle(value: boolean): 'Y' | 'N' {
	return value ? 'Y' : 'N';
}

/** DSM DIMM result codes → sysfs `result` (kernel.md §2.6). */
export function dsmResultToSysfs(code: number): ActivateResult {
	switch (code) {
		case 0: {
			return 'none';
		}

		case 1: {
			return 'not_staged';
		}

		case 2: {
			return 'success';
		}

		case 3: {
			return 'need_reset';
		}

		default: {
			return 'fail';
		}
	}
}

/** Intel bus ACTIVATE extended status codes (intel.h); Linux never branches on them. */
export const busActivateStatus = {
	SUCCESS: 0,
	NOARM: 0x1_00_06,
	BUSY: 0x2_00_06,
	NOFW: 0x3_00_06,
	TMO: 0x4_00_06,
	NOIDLE: 0x5_00_06,
	ABORT: 0x6_00_06,
} as const;

export type BusActivateStatus = keyof typeof busActivateStatus;
