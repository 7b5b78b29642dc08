/**
 * One device-PM phase (dpm_prepare, dpm_suspend, …) as the PM core runs it:
 * devices in dpm_list order (reversed for suspend phases), async devices
 * started as the walk reaches them and running in parallel, sync devices one
 * after another; the first error stops new callbacks from starting, running
 * ones finish, and the phase reports "aborted". Pure: it returns a schedule.
 */
export type PhaseDevice = {
	key: number;
	async: boolean;
	/** Callback duration in µs; undefined = the device has no callback in this phase. */
	durationUs: number | undefined;
	/** errno (negative) the callback returns, if it fails. */
	error?: number;
};

export type ScheduledCallback = {key: number; startUs: number; endUs: number; error?: number; async: boolean};

export type PhaseSchedule = {
	callbacks: ScheduledCallback[];
	/** Devices the walk passed (callback or not) before it stopped. */
	visited: number[];
	/** Phase end, µs after its start. */
	endUs: number;
	failure?: {key: number; atUs: number; error: number};
};

/** Walk overhead per device (list handling, async spawn). */
const perDeviceUs = 1;

export type PhaseOptions = {
	/** Resume phases start every async device before walking the sync ones. */
	asyncFirst?: boolean;
	/** Latency before the async worker runs a callback. */
	asyncStartUs?: number;
	/** Walk time before the first device (devices without callbacks ahead of it). */
	startUs?: number;
};

export function schedulePhase(devices: readonly PhaseDevice[], options: PhaseOptions = {}): PhaseSchedule {
	const callbacks: ScheduledCallback[] = [];
	const visited: number[] = [];
	const asyncStart = options.asyncStartUs ?? 0;
	let cursor = options.startUs ?? 0;
	let failure: PhaseSchedule['failure'];
	// One async worker pool: callbacks run in parallel, each after the start latency.
	if (options.asyncFirst) {
		let at = cursor;
		for (const device of devices) {
			if (!device.async || device.durationUs === undefined) continue;
			at += perDeviceUs;
			const startUs = at + asyncStart;
			callbacks.push({key: device.key, startUs, endUs: startUs + device.durationUs, error: device.error, async: true});
		}
	}

	for (const device of devices) {
		// The walk checks async_error before each device.
		if (failure && failure.atUs <= cursor) break;
		cursor += perDeviceUs;
		visited.push(device.key);
		if (device.durationUs === undefined) continue;
		if (options.asyncFirst && device.async) continue;
		const startUs = device.async ? cursor + asyncStart : cursor;
		const endUs = startUs + device.durationUs;
		callbacks.push({key: device.key, startUs, endUs, error: device.error, async: device.async});
		if (!device.async) cursor = endUs;
		if (device.error !== undefined && (!failure || endUs < failure.atUs)) {
			failure = {key: device.key, atUs: endUs, error: device.error};
		}

		if (!device.async && failure) break;
	}

	// Callbacks that had not started when the error was raised never run.
	if (options.asyncFirst) {
		for (const c of callbacks) {
			if (c.error !== undefined && (!failure || c.endUs < failure.atUs)) failure = {key: c.key, atUs: c.endUs, error: c.error};
		}
	}

	const ran = failure ? callbacks.filter(c => c.startUs <= failure.atUs) : callbacks;
	const endUs = Math.max(cursor, ...ran.map(c => c.endUs)) + perDeviceUs;
	return {callbacks: ran, visited, endUs, failure};
}
