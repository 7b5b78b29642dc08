/**
 * The scenario file format. A scenario describes one host (bus, DIMMs,
 * tasks, devices) and what the operator does to it. Durations are integer
 * µs: a number, or `[min, max]` drawn uniformly from the seeded PRNG.
 */
import {z} from 'zod';
import {errnoNames, type ErrnoName} from '../kernel/errno.js';
import {deviceBuses, pmCallbacks} from '../kernel/pm-callbacks.js';
import {isKernelId, kernelIds} from '../kernel/profiles.js';
import {activationMethods, capabilities} from '../kernel/sysfs.js';

const micros = z.number().int('expected whole microseconds').nonnegative('expected a duration ≥ 0 µs');

const positive = z.number().positive();

export const durationSchema = z.union([
	micros,
	z
		.tuple([micros, micros])
		.refine(([min, max]) => min <= max, {message: 'expected [min, max] with min ≤ max'}),
	z.object({normal: z.object({mean: micros, sd: z.number().nonnegative()}).strict()}).strict(),
	z.object({lognormal: z.object({median: positive, sigma: z.number().nonnegative()}).strict()}).strict(),
], {errorMap: () => ({message: 'expected a duration in µs: a whole number, [min, max], {normal: {mean, sd}} or {lognormal: {median, sigma}}'})});

const probability = z.number().min(0, 'expected a probability from 0 to 1').max(1, 'expected a probability from 0 to 1');

export type Duration = z.infer<typeof durationSchema>;

const errnoSchema = z
	.string()
	.refine((v): v is ErrnoName => (errnoNames as string[]).includes(v), {
		message: `expected an errno name (${errnoNames.join(', ')})`,
	}) as unknown as z.ZodType<ErrnoName>;

const dimmSpec = z
	.object({
		/** Running firmware version, as ndctl prints it. */
		currentVersion: z.string().min(1),
		/** Staged image; null = nothing staged (activation gives not_staged). */
		nextVersion: z.string().min(1).nullable(),
		/** This DIMM's share of the platform's activate_tmo estimate. */
		activationUs: durationSchema,
		/** Armed by the default operator script before the trigger. */
		arm: z.boolean(),
		/** What the platform reports for this DIMM after an activation. */
		outcome: z.enum(['success', 'fail', 'need_reset']),
		/** DIMMINFO DSM fails: reads and writes give ENXIO. */
		invalid: z.boolean(),
		/** DIMM lacks the Intel FWA DSMs: its firmware/ files are absent. */
		fwOps: z.boolean(),
	})
	.strict();

export type DimmSpec = z.infer<typeof dimmSpec>;


const dimmsSchema = z
	.object({
		count: z.number().int().min(1, 'expected at least 1 DIMM').max(4096, 'expected at most 4096 DIMMs'),
		defaults: dimmSpec.partial().default({}),
		/** Per-DIMM changes keyed by index ("3") or by nmem name ("nmem3"). */
		overrides: z
			.record(z.string().regex(/^(?:nmem)?\d+$/, 'expected a DIMM index like "3" or "nmem3"'), dimmSpec.partial())
			.default({}),
	})
	.strict();

const failSchema = z
	.object({
		callback: z.enum(['prepare', 'freeze', 'freeze_late', 'freeze_noirq']),
		errno: errnoSchema.default('EBUSY'),
		/** Chance that the callback fails in a given run (risk estimates). */
		probability: probability.default(1),
	})
	.strict();

const dmaSchema = z
	.object({
		/** The device has traffic going when the activation starts (or the chance that it has). */
		active: z.union([z.boolean(), probability]).default(false),
		/** Its ->freeze() really stops bus mastering (RDMA drivers may not). */
		stopsOnFreeze: z.boolean().default(true),
		/** DMA reads outstanding per ms of traffic. */
		inflightPerMs: z.number().int().nonnegative().default(400),
	})
	.strict();

const deviceSchema = z
	.object({
		/** Device name, e.g. "0000:3b:00.0"; with `count`, "{i}" and "{x}" expand to the index (decimal, 2-digit hex). */
		name: z.string().min(1),
		driver: z.string().min(1),
		bus: z.enum(deviceBuses).default('pci'),
		/**
		 * The device's own callback symbols where its bus type's are not the
		 * ones used (leds: led_suspend/led_resume; input: input_dev_freeze and
		 * no thaw); null = no callback in that phase.
		 */
		callbacks: z.record(z.enum(pmCallbacks), z.string().min(1).nullable()).default({}),
		parent: z.string().min(1).default('0000:00:00.0'),
		count: z.number().int().min(1).max(4096).default(1),
		/** PCI vendor:device, for AER lines. */
		vendorDevice: z.string().regex(/^[\da-f]{4}:[\da-f]{4}$/, 'expected vvvv:dddd in hex').default('8086:0000'),
		/** Runs its PM callbacks asynchronously (pm_async, the default for PCI). */
		async: z.boolean().default(true),
		prepareUs: durationSchema.default([1, 6]),
		freezeUs: durationSchema.default([40, 900]),
		freezeLateUs: durationSchema.default([0, 8]),
		freezeNoirqUs: durationSchema.default([5, 120]),
		thawNoirqUs: durationSchema.default([5, 150]),
		thawEarlyUs: durationSchema.default([0, 8]),
		thawUs: durationSchema.default([60, 2500]),
		dma: dmaSchema.default({}),
		/** Current PCIe completion timeout (Device Control 2). */
		completionTimeoutUs: micros.default(50_000),
		/** Longest completion timeout the device supports; force-idle raises to it. */
		maxCompletionTimeoutUs: micros.default(3_500_000),
		fail: failSchema.optional(),
	})
	.strict();

export type DeviceSpec = z.infer<typeof deviceSchema>;

const stuckTaskSchema = z
	.object({
		comm: z.string().min(1).max(64),
		pid: z.number().int().min(1),
		ppid: z.number().int().min(0).default(1),
		kind: z.enum(['user', 'kernel']).default('user'),
		/** µs after freezing starts when the task finally sleeps freezably; null = never. */
		releaseAfterUs: micros.nullable().default(null),
		/**
		 * µs after the scenario starts when what holds the task is over (the NFS server answers
		 * again) and it leaves D state by itself; null = only when the operator resolves it.
		 * A freeze running then sees the task freeze at that moment.
		 */
		wakesAtUs: micros.nullable().default(null),
		/** Chance that the task is stuck in a given run (risk estimates). */
		probability: probability.default(1),
		stack: z.array(z.string().min(1)).optional(),
	})
	.strict();

export type StuckTaskSpec = z.infer<typeof stuckTaskSchema>;

const tasksSchema = z
	.object({
		user: z.number().int().min(1).max(1_000_000).default(312),
		kernel: z.number().int().min(1).max(1_000_000).default(96),
		freezeLatencyUs: durationSchema.default([2, 2400]),
		kthreadFreezeLatencyUs: durationSchema.default([1, 900]),
		stuck: z.array(stuckTaskSchema).default([]),
		/** pid of the shell that writes to the bus activate file (it runs the sync callbacks). */
		writerPid: z.number().int().min(1).default(48_230),
	})
	.strict();

const platformSchema = z
	.object({
		capability: z.enum(capabilities).default('quiesce'),
		/** max_quiesce_tmo: the longest memory quiesce the platform accepts. */
		maxQuiesceUs: micros.default(600),
		/** nfit/firmware_activate_noidle: Y = OS idled devices, platform skips force-idle. */
		noidle: z.boolean().default(false),
		/** Firmware declares S4: ACPI platform hooks run and print. */
		s4: z.boolean().default(true),
		/** Bus and DIMMs read busy this long after an activation (nfit_test: 3 s). */
		busyAfterActivationUs: micros.default(0),
		/** With activate_tmo > max: refuse (status TMO) or attempt anyway (nfit_test). */
		overflowPolicy: z.enum(['refuse', 'attempt']).default('refuse'),
		/** hibernate_acquire() fails (hibernation in progress, /dev/snapshot open). */
		hibernationBusy: z.boolean().default(false),
		/** A PM notifier vetoes PM_HIBERNATION_PREPARE with this errno. */
		notifierVeto: errnoSchema.optional(),
		/** The firmware declares ACPI NVS regions: suspend_nvs_save() prints "Saving platform NVS memory". */
		nvs: z.boolean().default(true),
		/**
		 * Who answers the FWA DSMs: a real Intel platform stalls the memory
		 * controller for about its estimate; the kernel's nfit_test emulation
		 * returns at once (the per-DIMM figures are only BUSINFO numbers).
		 */
		firmware: z.enum(['intel', 'nfit_test']).default('intel'),
		/** Devices in dpm_list with no PM callback: every phase still walks them. */
		passiveDevices: z.number().int().min(0).max(100_000).default(0),
		/** Walk cost per device per phase (list handling, locking). */
		walkUsPerDevice: durationSchema.default([1, 2]),
		/** Delay before the first async ->freeze() callback runs (parents wait for their children). */
		asyncStartUs: durationSchema.default([5, 60]),
		/** resume_console(): time per buffered line the console prints (0 without a slow console). */
		consoleUsPerLine: durationSchema.default([0, 4]),
		/** Spread of the real memory quiesce around the estimate, in percent. */
		quiesceJitterPct: z.number().min(0).max(100).default(4),
	})
	.strict();

const actionSchema = z.union([
	z.object({at: micros, write: z.string().min(1), value: z.string()}).strict(),
	z.object({at: micros, read: z.string().min(1)}).strict(),
], {errorMap: () => ({message: 'expected {at, write, value} or {at, read}'})});

export type ScriptAction = z.infer<typeof actionSchema>;

export const scenarioSchema = z
	.object({
		description: z.string().min(1, 'expected a one-line description'),
		/** The outcome this scenario is built to show (checked by the tests). */
		expect: z.string().optional(),
		/** A kernel release: 5.10, 6.1, 6.6.30, 6.6.94, 6.12, 6.17 or X.Y.Z of those series. */
		kernel: z.string().refine(isKernelId, {message: `expected a kernel release (${kernelIds.join(', ')}, or X.Y.Z of one of those series)`}).default('6.6'),
		method: z.enum(activationMethods).default('quiesce'),
		/** Clock at the start of the run, µs since boot. */
		startUs: micros.default(7_316_400_000),
		/** /sys/power/pm_freeze_timeout: kstrtouint, so 0 … 4294967295 ms (kernel/power/main.c). */
		freezeTimeoutMs: z.number().int().min(0, 'expected 0 … 4294967295 ms (an unsigned int)').max(4_294_967_295, 'expected 0 … 4294967295 ms (an unsigned int)').default(20_000),
		log: z
			.object({
				pmDebugMessages: z.boolean().default(false),
				pmPrintTimes: z.boolean().default(false),
				nfitDyndbg: z.boolean().default(false),
			})
			.strict()
			.default({}),
		platform: platformSchema.default({}),
		dimms: dimmsSchema,
		tasks: tasksSchema.default({}),
		devices: z.array(deviceSchema).default([]),
		/** Operator steps; when absent: arm the DIMMs marked `arm`, trigger, verify. */
		script: z.array(actionSchema).optional(),
	})
	.strict();

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type ScenarioFile = z.infer<typeof scenarioSchema>;

// The runtime helpers live in scenario-model.ts, which loads no zod (the bundle's sim path does not
// parse a built-in scenario: scenario-load.ts). Re-exported for the callers that parse anyway.
export {expandDevices, resolveDimm, scenarioDevices, scenarioDimms, type ExpandedDevice} from './scenario-model.js';
