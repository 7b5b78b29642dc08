/**
 * The monitor's state: everything the panes show, derived from events by
 * the reducer in reducer.ts. Plain data, so it can be printed as JSON and
 * compared across sources.
 */
import type {StageId} from '../kernel/quiet-exec.js';

export type PhaseStatus = 'pending' | 'running' | 'done' | 'failed' | 'unwound' | 'skipped';

export type Phase = {
	id: StageId;
	label: string;
	status: PhaseStatus;
	startUs?: number;
	endUs?: number;
	/** Where the length comes from: the kernel's own figure, or the difference of two log stamps. */
	source?: TimeSource;
	/** The length when the kernel printed it and stamps cannot give it (the sleep: "Timekeeping suspended for N s"). */
	lengthUs?: number;
	/** Resolution of the length when the kernel gave it (1 µs for "N.NNN msecs", 1000 µs for "(elapsed N.NNN seconds)"). */
	precisionUs?: number;
	/** e.g. tasks frozen n/N, devices frozen n/N (total when known). */
	progress?: {done: number; total?: number; what: string};
	detail?: string;
};

/**
 * 'freeze': tasks were frozen but the log never says for what (no entry line,
 * no sleep state, no write) — shown as such rather than guessed.
 */
export type CycleKind = 'fwa-quiesce' | 'fwa-live' | 'suspend' | 'hibernate' | 'freeze';

export type TimeSource = 'kernel' | 'timestamps';

/** /sys/power/pm_test levels that stop a cycle before it sleeps (kernel/power/main.c pm_tests[]). */
export type PmTestLevel = 'freezer' | 'devices' | 'platform' | 'processors' | 'core';

/** One failure the kernel reported inside a cycle. */
export type CycleFailure = {
	/** Which message: a rule id of kernel/pm-failures.ts, or freezer / device / kernel-bug / acpi-error / restart / write. */
	id: string;
	t: number;
	text: string;
	/** Negative errno, as the kernel prints it. */
	errno?: number;
	errnoName?: string;
	device?: string;
	file?: string;
	line?: number;
};

/** A length the kernel printed or the stamps give, finer than the phases (resume noirq/early/normal, the sleep itself). */
export type PhaseTiming = {
	id: string;
	label: string;
	startUs?: number;
	durationUs: number;
	source: TimeSource;
	/** The resolution of the figure (1 µs for "N.NNN msecs", 1 ms for "(elapsed N.NNN seconds)", 1 s for journal stamps). */
	precisionUs: number;
};

export type Cycle = {
	kind: CycleKind;
	/** suspend: the sleep state (deep, s2idle, mem); hibernate: platform/test. */
	detail?: string;
	/** The sleep state or hibernation mode (s2idle, shallow, deep, mem, platform, shutdown, reboot, suspend, test_resume, restore). */
	mode?: string;
	/** Set when /sys/power/pm_test stopped the cycle: the debug wait is not a sleep. */
	pmTest?: PmTestLevel;
	/** The log holds only part of it: it began before the log, or the log ends (or breaks off) before it ends. */
	partial?: 'start-missing' | 'end-missing';
	startUs: number;
	endUs?: number;
	/** 1 for the first cycle of the log, 2 for the next… (stamps can go back: this cannot). */
	ordinal?: number;
	phases: Phase[];
	/**
	 * running: still open. ok: the kernel said it completed and reported no failure.
	 * failed: the kernel reported a failure. incomplete: it ended without evidence either way.
	 */
	status: 'running' | 'ok' | 'failed' | 'incomplete';
	/** The first failure, in words (kept for the panes). */
	failure?: string;
	/** Every failure the kernel reported (the latest 32). */
	failures: CycleFailure[];
	/** Drivers reporting an error (dev_err with an errno) while the cycle ran: not a failure of the cycle, but a device that may not be back (the latest 16). */
	driverErrors?: Array<{t: number; device: string; text: string; errno: number; line?: number}>;
	timings: PhaseTiming[];
	/** The log lines that make up the cycle (first and last), when it was read from a file. */
	lines?: {file?: string; first: number; last: number};
	/** Coarsest stamp resolution among its lines (1 s for journal/syslog stamps without fractions). */
	clockUs?: number;
	/** Hibernation: the image was written / the machine powered off / a boot kernel restores it. */
	image?: 'writing' | 'saved' | 'powered-off' | 'restoring';
	/** Non-boot CPUs went offline (S3/S4 or a pm_test past "platform"). */
	cpusDown?: boolean;
	/**
	 * What opened it: the kernel's entry line (suspend/hibernation entry), the first line of an
	 * older kernel's attempt (filesystem sync, freezing user space), the operator's write, a
	 * failure that is the whole attempt, or a line from its middle (then `partial` is start-missing).
	 */
	openedBy?: 'entry' | 'start' | 'write' | 'failure' | 'middle';
	/** A suspend-side step failed: the kernel unwound (thaw phases undo rather than resume). */
	aborted?: boolean;
	/** Its kernel prints an exit line it has not printed yet: failures until then still belong to it. */
	exitPending?: boolean;
	userFrozenFromUs?: number;
	userFrozenToUs?: number;
	/** The bus write's result, for firmware activations. */
	write?: string;
	/** Firmware activations: the DIMMs whose firmware/activate last read `armed` when the bus write was issued. */
	armedAtWrite?: string[];
	refusing: Array<{comm: string; pid?: number; state?: string}>;
};

export type Quiesce = {
	state: 'idle' | 'running' | 'done' | 'refused';
	method?: string;
	budgetUs?: number;
	estimateUs?: number;
	stallUs?: number;
	startUs?: number;
	endUs?: number;
	forceIdle?: boolean;
	refusal?: string;
};

export type DimmView = {name: string; activate?: string; result?: string; current?: string | null; next?: string | null};

export type DeviceView = {
	name: string;
	pm: string;
	errors: string[];
	/** The cycle (Cycle.ordinal) the latest error was printed in or after: an earlier cycle's error is no damage of a later one. */
	lastErrorCycle?: number;
	dmaInflight?: number;
	dmaTimedOut?: boolean;
	completionTimeoutUs?: number;
};

export type Warning = {t: number; severity: 'warn' | 'crit'; text: string; where?: string};

/**
 * What only the simulator knows (no kernel shows it): per-step progress of hibernate_quiet_exec(),
 * tasks frozen so far, device callbacks and DMA in flight, the memory stall. Labelled simulated
 * wherever it is shown; phases, statuses and the outcome never read it.
 */
export type SimulatedState = {
	steps: Array<{t: number; step: string; status: string; errno?: string}>;
	tasks: {user?: {frozen: number; total: number}; kernel?: {frozen: number; total: number}};
	devices: Record<string, {pm?: string; dmaInflight?: number; dmaTimedOut?: boolean; completionTimeoutUs?: number}>;
	quiesce: Quiesce;
	/** Firmware versions per DIMM as the simulator holds them (shown on DIMMs the sysfs tree has). */
	firmware?: Record<string, {current: string | null; next: string | null}>;
	warnings: Warning[];
};

/**
 * What was read back after the last firmware activation that ran (its bus write returned 0, or
 * the log shows the activation done), until another one runs: each DIMM's `firmware/result` and
 * the bus `firmware/activate`, read after the write returned. It is the kernel's only word on
 * whether the firmware was taken: the write returns 0 even when the platform refused
 * (kernel.md §2.2), and a write refused before activating (EBUSY, ENXIO, EINVAL) leaves the
 * results of the activation before it.
 */
export type ActivationReadback = {
	ordinal: number;
	writeEndUs: number;
	/** The DIMMs read `armed` when the write was issued (empty when none was read): each should report a result. */
	armed: string[];
	results: Record<string, string>;
	bus?: string;
	/** A DIMM was armed or disarmed since (its result then reads none): later reads are no longer about this activation. */
	closedUs?: number;
};

export type MonitorState = {
	t: number;
	source: {scenario?: string; seed?: number; kernel?: string; description?: string};
	cycle?: Cycle;
	/** The latest completed cycles (at most maxCycles); `totals` counts them all. */
	cycles: Cycle[];
	totals: {cycles: number; failed: number; ok: number; incomplete: number; byKind: Record<string, number>};
	quiesce: Quiesce;
	bus: {present: boolean; name?: string; capability?: string; activate?: string; noidle?: string};
	dimms: Record<string, DimmView>;
	devices: Record<string, DeviceView>;
	power: Record<string, string>;
	warnings: Warning[];
	/**
	 * Log-wide counts: errors are records at err level or worse, or (for logs without levels) the
	 * failures this tool recognises; warnings likewise (kernel WARNINGs, ACPI warnings). Failed
	 * operator writes count as errors too (`failedWrites`).
	 */
	log: {count: number; errors: number; warnings: number; failedWrites: number};
	/** Simulator-only truth (absent for a real trace). */
	simulated?: SimulatedState;
	/** Cycles opened so far (each one's ordinal). */
	cyclesOpened?: number;
	/** Read back after the last activation that ran (absent before one). */
	activation?: ActivationReadback;
};

export function initialState(): MonitorState {
	return {
		t: 0,
		source: {},
		cycles: [],
		totals: {cycles: 0, failed: 0, ok: 0, incomplete: 0, byKind: {}},
		quiesce: {state: 'idle'},
		bus: {present: false},
		dimms: {},
		devices: {},
		power: {},
		warnings: [],
		log: {count: 0, errors: 0, warnings: 0, failedWrites: 0},
	};
}
