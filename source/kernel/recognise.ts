/**
 * Recognising kernel messages: the inverse of log-format.ts, but for every
 * era from 2.6 to 6.17 and for the suspend/hibernate paths too (a real host's
 * log shows those far more often than a firmware activation). One message in,
 * one typed signal out — or `undefined` for lines that are not about power
 * management, device PM, ACPI sleep or NVDIMMs.
 */
import type {DpmInfo, PmVerb} from './log-format.js';

export type SignalCategory = 'freezer' | 'pm' | 'device-pm' | 'acpi-sleep' | 'nvdimm' | 'pcie';

export type CycleKind = 'suspend' | 'hibernate';

export type Signal =
	| {type: 'cycle-start'; kind: CycleKind; detail?: string}
	| {type: 'cycle-end'; kind: CycleKind}
	| {type: 'fs-sync'; done: boolean}
	/** A line only one kind of cycle prints (hibernation image handling). */
	| {type: 'cycle-hint'; kind: CycleKind; detail?: string}
	/** The cycle failed outside the freezer and device callbacks. */
	| {type: 'cycle-error'; errno?: number; text: string}
	| {type: 'freeze-start'; what: 'user' | 'kernel'}
	| {type: 'freeze-done'; what: 'user' | 'kernel'; elapsedMs?: number}
	| {type: 'freeze-failed'; what: 'user' | 'kernel' | 'unknown'; elapsedMs: number; refusing: number; aborted: boolean}
	| {type: 'task-dump'; comm: string; state: string; pid?: number}
	| {type: 'oom-killer'; enabled: boolean}
	| {type: 'console-suspend'}
	| {type: 'dpm-phase'; info: DpmInfo; verb: PmVerb; aborted: boolean; usecs: number}
	| {type: 'callback-error'; device?: string; caller: string; callee: string; errno: number}
	| {type: 'device-failed'; device: string; verb: string; info: string; errno: number}
	| {type: 'device-not-prepared'; device: string; errno: number}
	| {type: 'device-callback'; device: string; callback: string; phase: 'calling' | 'returned'; errno?: number; usecs?: number}
	| {type: 'devices-failed'}
	| {type: 'acpi-sleep'; direction: 'enter' | 'wake'; state: string}
	| {type: 'restart'; what: 'kernel' | 'tasks'; stage: 'start' | 'done'}
	| {type: 'nvdimm'; device?: string; text: string}
	| {type: 'nfit-result'; rc: number}
	| {type: 'aer-completion-timeout'; device: string}
	| {type: 'aer'; device?: string}
	| {type: 'pm-other'}
	| {type: 'acpi-pm-other'};

export const signalCategory: Record<Signal['type'], SignalCategory> = {
	'cycle-start': 'pm',
	'cycle-end': 'pm',
	'fs-sync': 'pm',
	'cycle-hint': 'pm',
	'cycle-error': 'pm',
	'freeze-start': 'freezer',
	'freeze-done': 'freezer',
	'freeze-failed': 'freezer',
	'task-dump': 'freezer',
	'oom-killer': 'freezer',
	'console-suspend': 'pm',
	'dpm-phase': 'device-pm',
	'callback-error': 'device-pm',
	'device-failed': 'device-pm',
	'device-not-prepared': 'device-pm',
	'device-callback': 'device-pm',
	'devices-failed': 'device-pm',
	'acpi-sleep': 'acpi-sleep',
	restart: 'freezer',
	nvdimm: 'nvdimm',
	'nfit-result': 'nvdimm',
	'aer-completion-timeout': 'pcie',
	aer: 'pcie',
	'pm-other': 'pm',
	'acpi-pm-other': 'acpi-sleep',
};

const seconds = (s: string): number => Math.round(Number(s) * 1000);
const whatOf = (s: string): 'user' | 'kernel' => (s.startsWith('user') ? 'user' : 'kernel');

type Rule = [RegExp, (m: RegExpExecArray) => Signal];

const verbs = 'freeze|thaw|recover|quiesce|suspend|resume|hibernate|restore|poweroff';

// Order matters: the first rule that matches wins.
const rules: Rule[] = [
	// Freezer, 6.2+ split lines and 2.6–6.1 pr_cont lines (also when wrapped or cut short).
	[/^Freezing (user space processes|remaining freezable tasks) completed \(elapsed (\d+\.\d+) seconds\)/, m => ({type: 'freeze-done', what: whatOf(m[1]!), elapsedMs: seconds(m[2]!)})],
	[/^Freezing (user space processes|remaining freezable tasks) (failed|aborted) after (\d+\.\d+) seconds \((\d+) tasks refusing to freeze/, m => ({type: 'freeze-failed', what: whatOf(m[1]!), aborted: m[2] === 'aborted', elapsedMs: seconds(m[3]!), refusing: Number(m[4])})],
	[/^Freezing (user space processes|remaining freezable tasks) \.\.\. ?\(elapsed (\d+\.\d+) seconds\) done\./, m => ({type: 'freeze-done', what: whatOf(m[1]!), elapsedMs: seconds(m[2]!)})],
	[/^Freezing (user space processes|remaining freezable tasks)(?: \.\.\.)?\s*(?:\(elapsed\s*)?$/, m => ({type: 'freeze-start', what: whatOf(m[1]!)})],
	[/^Freezing (user space processes|remaining freezable tasks) \.\.\. done\./, m => ({type: 'freeze-done', what: whatOf(m[1]!)})],
	[/^Freezing of tasks (failed|aborted) after (\d+\.\d+) seconds \((\d+) tasks refusing to freeze/, m => ({type: 'freeze-failed', what: 'unknown', aborted: m[1] === 'aborted', elapsedMs: seconds(m[2]!), refusing: Number(m[3])})],
	[/^Freezing (?:user space processes|remaining freezable tasks|of tasks)\b/, () => ({type: 'pm-other'})],
	[/^Double checking all user space processes after OOM killer disable/, () => ({type: 'pm-other'})],
	[/^OOM killer (enabled|disabled)\.$/, m => ({type: 'oom-killer', enabled: m[1] === 'enabled'})],
	[/^Restarting (kernel threads|tasks) \.\.\. ?(done\.)?$/, m => ({type: 'restart', what: m[1] === 'tasks' ? 'tasks' : 'kernel', stage: m[2] ? 'done' : 'start'})],
	[/^Restarting tasks: (Starting|Done)$/, m => ({type: 'restart', what: 'tasks', stage: m[1] === 'Done' ? 'done' : 'start'})],
	[/^Done restarting kernel threads\.$/, () => ({type: 'restart', what: 'kernel', stage: 'done'})],
	// Task dumps: 5.x+ "task:comm state:D …", 2.6–4.x "comm   D ffff… 0 26 2 0x…".
	[/^task:(.{1,15}?)\s+state:(\S)\s+stack:\s*\d+\s+pid:\s*(\d+)/, m => ({type: 'task-dump', comm: m[1]!.trim(), state: m[2]!, pid: Number(m[3])})],
	[/^(\S.{0,15}?)\s+([DRSTtZXxKWPI])\s+(?:[\da-f]{8,16}\s+)?\d+\s+(\d+)\s+\d+\s+0x[\da-f]+$/, m => ({type: 'task-dump', comm: m[1]!.trim(), state: m[2]!, pid: Number(m[3])})],
	// Cycle markers.
	[/^PM: suspend entry \((\w+)\)/, m => ({type: 'cycle-start', kind: 'suspend', detail: m[1]})],
	[/^PM: Preparing system for (?:mem sleep|sleep \((\w+)\))/, m => ({type: 'cycle-start', kind: 'suspend', detail: m[1] ?? 'mem'})],
	[/^PM: suspend exit$/, () => ({type: 'cycle-end', kind: 'suspend'})],
	[/^PM: (?:hibernation: )?hibernation entry$/, () => ({type: 'cycle-start', kind: 'hibernate'})],
	[/^PM: (?:hibernation: )?hibernation exit$/, () => ({type: 'cycle-end', kind: 'hibernate'})],
	[/^PM: (?:hibernation: )?(?:Preallocating image memory|Creating hibernation image|Image restored successfully|Allocated \d+ pages for snapshot|Hibernation image restored successfully)/, () => ({type: 'cycle-hint', kind: 'hibernate'})],
	[/^PM: (?:hibernation: )?(?:Error (-\d+) creating (?:hibernation )?image|Not enough free memory|Failed to (?:load|write) hibernation image|Image (?:saving|writing) failed)/, m => ({type: 'cycle-error', errno: m[1] === undefined ? undefined : Number(m[1]), text: m[0].replace(/^PM: (?:hibernation: )?/, '')})],
	[/^PM: Syncing filesystems \.\.\. ?(done\.)?$/, m => ({type: 'fs-sync', done: Boolean(m[1])})],
	[/^Filesystems sync: \d+\.\d+ seconds$/, () => ({type: 'fs-sync', done: true})],
	[/^(?:printk: )?Suspending console\(s\) \(use no_console_suspend to debug\)/, () => ({type: 'console-suspend'})],
	// Device PM core.
	[new RegExp(`^PM: (?:(late|noirq|early|end) )?(${verbs}) of devices (complete|aborted) after (\\d+)\\.(\\d+) msecs`), m => ({type: 'dpm-phase', info: (m[1] ?? '') as DpmInfo, verb: m[2] as PmVerb, aborted: m[3] === 'aborted', usecs: Number(m[4]) * 1000 + Number(m[5]!.padEnd(3, '0').slice(0, 3))})],
	[/^(?:(\S+ \S+): )?PM: (\w+)\(\): (\S+) returns (-?\d+)$/, m => ({type: 'callback-error', device: m[1], caller: m[2]!, callee: m[3]!, errno: Number(m[4])})],
	[/^(?:PM: )?(?:pm_op|dpm_run_callback|pci_pm_\w+|legacy_\w+)\(\): (\S+) returns (-?\d+)$/, m => ({type: 'callback-error', caller: 'pm_op', callee: m[1]!, errno: Number(m[2])})],
	[/^(\S+ \S+): PM: failed to (\w+)((?: async| late| noirq| early)*): error (-?\d+)$/, m => ({type: 'device-failed', device: m[1]!, verb: m[2]!, info: m[3]!.trim(), errno: Number(m[4])})],
	[/^PM: Device (\S+) failed to (\w+)((?: async| late| noirq| early)*): error (-?\d+)$/, m => ({type: 'device-failed', device: m[1]!, verb: m[2]!, info: m[3]!.trim(), errno: Number(m[4])})],
	[/^(?:(\S+ \S+): PM: not prepared|PM: Device (\S+) not prepared) for power transition: code (-?\d+)$/, m => ({type: 'device-not-prepared', device: m[1] ?? m[2]!, errno: Number(m[3])})],
	[/^(\S+ \S+): (?:PM: )?calling\s+(\S+) @ \d+, parent: \S*/, m => ({type: 'device-callback', device: m[1]!, callback: m[2]!, phase: 'calling'})],
	[/^(\S+ \S+): (?:PM: )?(\S+\+0x[\da-f]+\/0x[\da-f]+) returned (-?\d+) after (\d+) usecs$/, m => ({type: 'device-callback', device: m[1]!, callback: m[2]!, phase: 'returned', errno: Number(m[3]), usecs: Number(m[4])})],
	[/^PM: Some devices failed to (?:suspend|power down|freeze)/, () => ({type: 'devices-failed'})],
	// ACPI sleep states.
	[/^ACPI: (?:PM: )?Preparing to enter system sleep state (S\d)/, m => ({type: 'acpi-sleep', direction: 'enter', state: m[1]!})],
	[/^ACPI: (?:PM: )?Waking up from system sleep state (S\d)/, m => ({type: 'acpi-sleep', direction: 'wake', state: m[1]!})],
	[/^ACPI: (?:PM: )?(?:\(supports [S\d ]+\)|Low-level resume complete|Saving platform NVS memory|Restoring platform NVS memory|EC: (?:interrupt (?:un)?blocked|EC (?:stopped|started)))/, () => ({type: 'acpi-pm-other'})],
	// NVDIMM / nfit.
	[/^nfit ACPI0012:00: result: (-?\d+)$/, m => ({type: 'nfit-result', rc: Number(m[1])})],
	[/^(?:(nd_\w+|nfit|nfit_test|libnvdimm|dax_pmem|nd_pmem|nd_btt) (\S+): |(pmem\d+(?:\.\d+)?s?): |(?:nfit|libnvdimm|nd_pmem|nvdimm): )(.*)$/, m => ({type: 'nvdimm', device: m[2] ?? m[3], text: m[4]!})],
	// PCIe AER (completion timeouts after a memory stall).
	[/^(\S+ \S+):\s+\[\s*\d+\] CmpltTO/, m => ({type: 'aer-completion-timeout', device: m[1]!})],
	[/^(?:\S+ \S+: )?AER: /, () => ({type: 'aer'})],
	// The rest of PM: and ACPI sleep chatter.
	[/^PM: /, () => ({type: 'pm-other'})],
	[/^(?:Disabling non-boot CPUs|Enabling non-boot CPUs|Suspending system \(\w+\)|Image (?:saving|loading) progress)/, () => ({type: 'pm-other'})],
];

/**
 * Every rule needs one of these words (or, for 2.6–4.x task dumps, a hex
 * flags word at the end): most lines of a busy log fail this one test.
 */
const mayMatch = /PM|Freez|OOM|Restart|Done restarting|task:|Filesystems|Suspending|ACPI|nfit|nd_|pmem|libnvdimm|nvdimm|non-boot CPUs|Image|AER|CmpltTO|calling|returned|returns|Double checking|0x[\da-f]+$/;

export function recognise(message: string): Signal | undefined {
	if (!mayMatch.test(message)) return undefined;
	for (const [pattern, make] of rules) {
		const match = pattern.exec(message);
		if (match) return make(match);
	}

	return undefined;
}

export function categoryOf(message: string): SignalCategory | undefined {
	const signal = recognise(message);
	return signal ? signalCategory[signal.type] : undefined;
}
