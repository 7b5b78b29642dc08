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
 * The freezer gave up. Returns the records in order: on cont eras the
 * dangling fragment is flushed first, then `pr_err("\n")` leaves an empty
 * record, then the error line.
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
	if (k.freezer === 'cont') {
		return [
			...(k.freezeFailureBlankLine ? [err('')] : []),
			err(`Freezing of tasks ${tail}`),
		];
	}

	return [err(`Freezing ${what} ${tail}`)];
}

export const oomKillerDisabled = (): LogRecord => info('OOM killer disabled.');
export const oomKillerEnabled = (): LogRecord => info('OOM killer enabled.');

export function restartingKernelThreads(): LogRecord {
	// Unchanged through 6.17 as far as the public record shows (kernel.md §4.1 flags a
	// possible "Done restarting kernel threads." rewording as unconfirmed).
	return info('Restarting kernel threads ... done.');
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

/** `%pS` of a PM callback symbol. */
export function symbol(k: KernelProfile, name: string): string {
	return `${name}+${k.symbolSize[name] ?? '0x0/0x40'}`;
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

/** `pm_dev_err()`: "<drv> <dev>: PM: failed to freeze async: error -16". */
export function pmDevErr(
	k: KernelProfile,
	device: DeviceName,
	verb: PmVerb,
	phase: '' | 'late' | 'noirq' | 'early',
	async: boolean,
	errno: number,
): LogRecord {
	const parts = k.combinedAsyncInfo
		? [async ? 'async' : '', phase].filter(Boolean)
		: [phase || (async ? 'async' : '')].filter(Boolean);
	const infoText = parts.length > 0 ? ` ${parts.join(' ')}` : '';
	return err(`${devPrefix(device)}PM: failed to ${verb}${infoText}: error ${errno}`);
}

/** dpm_prepare() refusal. */
export function notPrepared(k: KernelProfile, device: DeviceName, errno: number): LogRecord {
	return k.notPreparedStyle === 'pr_info'
		? info(`PM: Device ${device.name} not prepared for power transition: code ${errno}`)
		: info(`${devPrefix(device)}PM: not prepared for power transition: code ${errno}`);
}

/** initcall_debug style per-callback timing (`/sys/power/pm_print_times`). */
export function callingCallback(k: KernelProfile, device: DeviceName, callback: string, pid: number, parent: string): LogRecord {
	return info(`${devPrefix(device)}PM: calling ${symbol(k, callback)} @ ${pid}, parent: ${parent}`);
}

export function callbackReturned(k: KernelProfile, device: DeviceName, callback: string, errno: number, usecs: number): LogRecord {
	return info(`${devPrefix(device)}PM: ${symbol(k, callback)} returned ${errno} after ${Math.floor(usecs)} usecs`);
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
};

function hex(value: number, width: number): string {
	return value.toString(16).padStart(width, '0');
}

export function taskHeader(k: KernelProfile, t: TaskDump): string {
	const comm = t.comm.slice(0, 15).padEnd(15, ' ');
	switch (k.taskHeader) {
		case 'v5.10': {
			return `task:${comm} state:${t.state} stack:${'0'.padStart(5, ' ')} pid:${String(t.pid).padStart(5, ' ')} ppid:${String(t.ppid).padStart(6, ' ')} flags:0x${hex(t.flags, 8)}`;
		}

		case 'v6.6': {
			return `task:${comm} state:${t.state} stack:${'0'.padEnd(5, ' ')} pid:${String(t.pid).padEnd(5, ' ')} ppid:${String(t.ppid).padEnd(6, ' ')} flags:0x${hex(t.flags, 8)}`;
		}

		case 'v6.17': {
			return `task:${comm} state:${t.state} stack:${'0'.padEnd(5, ' ')} pid:${String(t.pid).padEnd(5, ' ')} tgid:${String(t.tgid).padEnd(5, ' ')} ppid:${String(t.ppid).padEnd(6, ' ')} task_flags:0x${hex(t.taskFlags, 4)} flags:0x${hex(t.flags, 8)}`;
		}
	}
}

export function taskDump(k: KernelProfile, t: TaskDump): LogRecord[] {
	const frames = t.stack.map(frame => info(` ${frame}`));
	return [
		info(taskHeader(k, t)),
		info('Call Trace:'),
		...(k.taskMarkers ? [info(' <TASK>'), ...frames, info(' </TASK>')] : frames),
	];
}

/** nfit dynamic debug after the ACTIVATE DSM (drivers/acpi/nfit/intel.c). */
export const nfitActivateResult = (rc: number): LogRecord => debug(`nfit ACPI0012:00: result: ${rc}`);
export const nfitArmResult = (arm: boolean, rc: number): LogRecord =>
	debug(`nfit ACPI0012:00: ${arm ? 'arm' : 'disarm'} result: ${rc}`);

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
