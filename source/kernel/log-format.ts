/**
 * Every kernel message of the quiesce path, formatted as the given kernel
 * era prints it (kernel.md §4). Each function returns the record(s) with
 * their printk level; the simulator stamps them with a time.
 *
 * Levels: 3 err, 4 warning, 6 info, 7 debug (pm_pr_dbg).
 */
import type {KernelProfile} from './profiles.js';

export type LogLevel = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;

export type LogRecord = {level: LogLevel; text: string};

export const levelNames = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug'] as const;

const info = (text: string): LogRecord => ({level: 6, text});
const err = (text: string): LogRecord => ({level: 3, text});
const debug = (text: string): LogRecord => ({level: 7, text});

/** `[%5lu.%06lu] ` as printk prints its time prefix. */
export function formatStamp(us: number): string {
	const whole = Math.floor(us / 1_000_000);
	const frac = Math.floor(us % 1_000_000);
	return `[${String(whole).padStart(5, ' ')}.${String(frac).padStart(6, '0')}]`;
}

/** One line as `dmesg` prints it. */
export function formatDmesgLine(stampUs: number, text: string): string {
	return `${formatStamp(stampUs)} ${text}`;
}

/** `%d.%03d` of whole milliseconds, as the freezer prints elapsed time. */
function seconds3(ms: number): string {
	const whole = Math.floor(ms);
	return `${Math.floor(whole / 1000)}.${String(whole % 1000).padStart(3, '0')}`;
}

export type FreezeWhat = 'user space processes' | 'remaining freezable tasks';

/** The start of try_to_freeze_tasks(); with pr_cont eras it is only a fragment. */
export function freezingStart(k: KernelProfile, what: FreezeWhat): LogRecord {
	return info(k.freezer === 'cont' ? `Freezing ${what} ... ` : `Freezing ${what}`);
}

/** Success: on cont eras this is the whole merged record (fragment + continuation). */
export function freezingDone(k: KernelProfile, what: FreezeWhat, elapsedMs: number): LogRecord {
	return k.freezer === 'cont'
		? info(`Freezing ${what} ... (elapsed ${seconds3(elapsedMs)} seconds) done.`)
		: info(`Freezing ${what} completed (elapsed ${seconds3(elapsedMs)} seconds)`);
}

/**
 * The freezer gave up. On pr_cont kernels the caller first flushes the
 * dangling "Freezing … ... " fragment (try_to_freeze_tasks() ends it with
 * pr_cont("\n"), so no empty record follows — a449dfbfc089 removed exactly
 * that pr_cont). Until 96d4b8e1ad8a (6.2, not in 6.1 stable) the line reads
 * "Freezing of tasks failed …" even where the start lines are split.
 */
export function freezingFailed(
	k: KernelProfile,
	what: FreezeWhat,
	elapsedMs: number,
	refusing: number,
	wqBusy: boolean,
	aborted = false,
): LogRecord[] {
	const verdict = aborted ? 'aborted' : 'failed';
	const tail = `${verdict} after ${seconds3(elapsedMs)} seconds (${refusing} tasks refusing to freeze, wq_busy=${wqBusy ? 1 : 0}):`;
	return [err(k.freezeFailure === 'of-tasks' ? `Freezing of tasks ${tail}` : `Freezing ${what} ${tail}`)];
}

export const oomKillerDisabled = (): LogRecord => info('OOM killer disabled.');
export const oomKillerEnabled = (): LogRecord => info('OOM killer enabled.');

/**
 * thaw_kernel_threads(): one pr_cont line until the 2025 rework (≈6.16),
 * then "Restarting kernel threads ..." and "Done restarting kernel threads."
 */
export function restartingKernelThreads(k: KernelProfile): LogRecord[] {
	return k.restartTasks === 'dots'
		? [info('Restarting kernel threads ... done.')]
		: [info('Restarting kernel threads ...'), info('Done restarting kernel threads.')];
}

export function restartingTasks(k: KernelProfile): LogRecord[] {
	return k.restartTasks === 'dots'
		? [info('Restarting tasks ... done.')]
		: [info('Restarting tasks: Starting'), info('Restarting tasks: Done')];
}

export const suspendingConsoles = (): LogRecord =>
	info('printk: Suspending console(s) (use no_console_suspend to debug)');

export const acpiPreparing = (k: KernelProfile, state = 'S4'): LogRecord =>
	info(`${k.acpiPrefix}Preparing to enter system sleep state ${state}`);

export const acpiWaking = (k: KernelProfile, state = 'S4'): LogRecord =>
	info(`${k.acpiPrefix}Waking up from system sleep state ${state}`);

/**
 * suspend_nvs_save() (drivers/acpi/nvs.c), called from acpi_pm_pre_suspend()
 * in platform_pre_snapshot() right after "Preparing to enter…", whenever the
 * firmware declares ACPI NVS regions (real 6.1 trace: every S4 cycle).
 */
export const acpiSavingNvs = (k: KernelProfile): LogRecord => info(`${k.nvsPrefix}Saving platform NVS memory`);

/** pm_verb() strings of the PM core. */
export type PmVerb = 'freeze' | 'thaw' | 'recover' | 'quiesce' | 'suspend' | 'resume' | 'hibernate' | 'restore';

/** Sub-phase prefixes of dpm_show_time(). */
export type DpmInfo = '' | 'late' | 'noirq' | 'early' | 'end';

/** `dpm_show_time()` — pm_pr_dbg, so only with pm_debug_messages. */
export function dpmShowTime(infoPrefix: DpmInfo, verb: PmVerb, aborted: boolean, usecs: number): LogRecord {
	const ms = Math.floor(usecs / 1000);
	const rest = String(Math.floor(usecs % 1000)).padStart(3, '0');
	const head = infoPrefix ? `${infoPrefix} ` : '';
	return debug(`PM: ${head}${verb} of devices ${aborted ? 'aborted' : 'complete'} after ${ms}.${rest} msecs`);
}

/** A device as dev_printk() names it: "<driver> <device>". */
export type DeviceName = {driver: string; name: string};

const devPrefix = (d: DeviceName) => `${d.driver} ${d.name}: `;

/** A PM callback symbol: `%pS` ("pci_pm_freeze+0x0/0xe0") before 6.10, `%ps` ("pci_pm_freeze") after. */
export function symbol(k: KernelProfile, name: string): string {
	return k.symbolFormat === 'ps' ? name : `${name}+${k.symbolSize[name] ?? '0x0/0x40'}`;
}

/** `__suspend_report_result()` — e.g. from dpm_run_callback() or pci_pm_freeze(). */
export function suspendReportResult(
	k: KernelProfile,
	device: DeviceName,
	caller: string,
	callee: string,
	errno: number,
): LogRecord {
	const prefix = k.deviceReportPrefix ? devPrefix(device) : '';
	return err(`${prefix}PM: ${caller}(): ${callee} returns ${errno}`);
}

/**
 * `pm_dev_err()`. Before "PM: sleep: Use dev_printk() when possible" (≈5.12):
 * pr_err "PM: Device <dev> failed to freeze async: error -16"; after:
 * "<drv> <dev>: PM: failed to …". Info strings: before ≈6.9 an async device
 * says " async" whatever the phase and a sync one " late"/" noirq"; from
 * "PM: sleep: stats: Log errors right after running suspend callbacks" they
 * combine (" async noirq").
 */
export function pmDevErr(
	k: KernelProfile,
	device: DeviceName,
	verb: PmVerb,
	phase: '' | 'late' | 'noirq' | 'early',
	async: boolean,
	errno: number,
): LogRecord {
	const parts = k.combinedAsyncInfo ? [async ? 'async' : '', phase].filter(Boolean) : [async ? 'async' : phase].filter(Boolean);
	const infoText = parts.length > 0 ? ` ${parts.join(' ')}` : '';
	return k.devPrintk
		? err(`${devPrefix(device)}PM: failed to ${verb}${infoText}: error ${errno}`)
		: err(`PM: Device ${device.name} failed to ${verb}${infoText}: error ${errno}`);
}

/** dpm_prepare() refusal (same dev_printk conversion as pmDevErr). */
export function notPrepared(k: KernelProfile, device: DeviceName, errno: number): LogRecord {
	return k.devPrintk
		? info(`${devPrefix(device)}PM: not prepared for power transition: code ${errno}`)
		: info(`PM: Device ${device.name} not prepared for power transition: code ${errno}`);
}

/**
 * initcall_debug_start()/initcall_debug_report() (`/sys/power/pm_print_times`):
 * dev_info, so "PM: " only once dev_fmt is pr_fmt (dev_printk conversion).
 * Only callbacks run through dpm_run_callback() are timed: device_prepare()
 * and device_complete() never print these (none among ~1000 real 6.1 lines).
 */
export function callingCallback(k: KernelProfile, device: DeviceName, callback: string, pid: number, parent: string): LogRecord {
	return info(`${devPrefix(device)}${k.devPrintk ? 'PM: ' : ''}calling ${symbol(k, callback)} @ ${pid}, parent: ${parent}`);
}

export function callbackReturned(k: KernelProfile, device: DeviceName, callback: string, errno: number, usecs: number): LogRecord {
	return info(`${devPrefix(device)}${k.devPrintk ? 'PM: ' : ''}${symbol(k, callback)} returned ${errno} after ${Math.floor(usecs)} usecs`);
}

/** The task that refused to freeze, as sched_show_task() prints it. */
export type TaskDump = {
	comm: string;
	state: string;
	pid: number;
	tgid: number;
	ppid: number;
	taskFlags: number;
	flags: number;
	stack: readonly string[];
	/** The user pt_regs lines printed at the syscall entry (user tasks). */
	regs?: readonly string[];
};

function hex(value: number, width: number): string {
	return value.toString(16).padStart(width, '0');
}

/**
 * sched_show_task() header: "%5lu/%5d/%6d" right-aligned until 6.0 (left-
 * aligned since "Print each field value left-aligned"), tgid from 6.6,
 * task_flags in the newest kernels (real 6.17 trace).
 */
export function taskHeader(k: KernelProfile, t: TaskDump): string {
	const comm = t.comm.slice(0, 15).padEnd(15, ' ');
	const head = `task:${comm} state:${t.state}`;
	const flags = `flags:0x${hex(t.flags, 8)}`;
	switch (k.taskHeader) {
		case 'right': {
			return `${head} stack:${'0'.padStart(5, ' ')} pid:${String(t.pid).padStart(5, ' ')} ppid:${String(t.ppid).padStart(6, ' ')} ${flags}`;
		}

		case 'left': {
			return `${head} stack:${'0'.padEnd(5, ' ')} pid:${String(t.pid).padEnd(5, ' ')} ppid:${String(t.ppid).padEnd(6, ' ')} ${flags}`;
		}

		case 'tgid': {
			return `${head} stack:${'0'.padEnd(5, ' ')} pid:${String(t.pid).padEnd(5, ' ')} tgid:${String(t.tgid).padEnd(5, ' ')} ppid:${String(t.ppid).padEnd(6, ' ')} ${flags}`;
		}

		case 'task-flags': {
			return `${head} stack:${'0'.padEnd(5, ' ')} pid:${String(t.pid).padEnd(5, ' ')} tgid:${String(t.tgid).padEnd(5, ' ')} ppid:${String(t.ppid).padEnd(6, ' ')} task_flags:0x${hex(t.taskFlags, 4)} ${flags}`;
		}
	}
}

export function taskDump(k: KernelProfile, t: TaskDump): LogRecord[] {
	const frames = [...t.stack.map(frame => info(` ${frame}`)), ...(t.regs ?? []).map(line => info(line))];
	return [
		info(taskHeader(k, t)),
		info('Call Trace:'),
		...(k.taskMarkers ? [info(' <TASK>'), ...frames, info(' </TASK>')] : frames),
	];
}

/** nfit dynamic debug after the ACTIVATE DSM (drivers/acpi/nfit/intel.c). */
/**
 * dev_dbg(acpi_desc->dev, …) in drivers/acpi/nfit/intel.c: the NFIT root on a
 * real platform ("nfit ACPI0012:00"), the nfit_test platform device under the
 * emulation ("nfit_test nfit_test.0").
 */
export const nfitRoot: DeviceName = {driver: 'nfit', name: 'ACPI0012:00'};
export const nfitActivateResult = (rc: number, root: DeviceName = nfitRoot): LogRecord => debug(`${devPrefix(root)}result: ${rc}`);
export const nfitArmResult = (arm: boolean, rc: number, root: DeviceName = nfitRoot): LogRecord =>
	debug(`${devPrefix(root)}${arm ? 'arm' : 'disarm'} result: ${rc}`);

/** PCIe AER report of a completion timeout (aer_print_error), after IRQs return. */
export function aerCompletionTimeout(port: string, device: DeviceName, vendorDevice: string): LogRecord[] {
	const prefix = devPrefix(device);
	return [
		err(`pcieport ${port}: AER: Uncorrected (Non-Fatal) error received: ${device.name}`),
		err(`${prefix}PCIe Bus Error: severity=Uncorrected (Non-Fatal), type=Transaction Layer, (Requester ID)`),
		err(`${prefix}  device [${vendorDevice}] error status/mask=00004000/00000000`),
		err(`${prefix}   [14] CmpltTO                (First)`),
	];
}
