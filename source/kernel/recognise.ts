/**
 * Recognising kernel messages: the inverse of log-format.ts, but for every
 * era from 2.6 to 6.17 and for the suspend/hibernate paths too (a real host's
 * log shows those far more often than a firmware activation). One message in,
 * one typed signal out — or `undefined` for lines that are not about power
 * management, device PM, ACPI sleep or NVDIMMs.
 */
import type {DpmInfo, PmVerb} from './log-format.js';
import {recogniseFailure, type PmFailure} from './pm-failures.js';

export type SignalCategory = 'freezer' | 'pm' | 'device-pm' | 'acpi-sleep' | 'nvdimm' | 'pcie';

export type CycleKind = 'suspend' | 'hibernate';

export type Signal =
	/** `exit`: this era prints a matching exit line ("PM: suspend exit", "hibernation exit"). */
	| {type: 'cycle-start'; kind: CycleKind; detail?: string; exit?: boolean}
	| {type: 'cycle-end'; kind: CycleKind}
	| {type: 'fs-sync'; done: boolean}
	/** A line only one kind of cycle prints (hibernation image handling). */
	| {type: 'cycle-hint'; kind: CycleKind; detail?: string}
	/** The cycle failed outside the freezer and device callbacks. */
	| {type: 'cycle-error'; errno?: number; text: string}
	| {type: 'freeze-start'; what: 'user' | 'kernel'}
	/** `precisionUs`: resolution of the printed elapsed time ("%d.%03d" → 1 ms; 2.6–3.x "%d.%02d" → 10 ms). */
	/** `combined`: the 2.6–6.1 one-line form, stamped when it began ("Freezing … (elapsed N) done."). */
	| {type: 'freeze-done'; what: 'user' | 'kernel'; elapsedMs?: number; precisionUs?: number; combined?: boolean}
	| {type: 'freeze-failed'; what: 'user' | 'kernel' | 'unknown'; elapsedMs: number; refusing: number; aborted: boolean; precisionUs?: number}
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
	/** A failure message of kernel/pm-failures.ts (not freezer, not device callbacks). */
	| {type: 'failure'; failure: PmFailure}
	/** A kernel bug report: WARNING, Oops, BUG, panic (kernel/panic.c, arch fault handlers). */
	| {type: 'kernel-bug'; what: 'warning' | 'oops' | 'bug' | 'panic'; text: string}
	/** ACPICA reporting an error (ACPI Error / ACPI BIOS Error / ACPI Exception) or a warning. */
	| {type: 'acpi-error'; severity: 'error' | 'warning'; text: string}
	/** pm_test: the kernel stops here and waits instead of sleeping. */
	| {type: 'pm-test-wait'; kind: CycleKind; seconds: number}
	| {type: 's2idle'; direction: 'enter' | 'exit'}
	/** kernel/time/timekeeping.c: how long the machine slept (S3/S4), at millisecond precision. */
	| {type: 'timekeeping'; us: number}
	| {type: 'cpus'; direction: 'down' | 'up'}
	/** Hibernation: the image is being written / was written, the machine powers off. */
	| {type: 'image-saved'; stage: 'writing' | 'done' | 'power-off'}
	/** Hibernation restore at boot: the boot kernel looks for / loads an image. */
	| {type: 'restore-start'; detail: string}
	/** A kernel starts: everything before belongs to another boot. */
	| {type: 'boot'}
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
	failure: 'pm',
	'kernel-bug': 'pm',
	'acpi-error': 'acpi-sleep',
	'pm-test-wait': 'pm',
	s2idle: 'pm',
	timekeeping: 'pm',
	cpus: 'pm',
	'image-saved': 'pm',
	'restore-start': 'pm',
	boot: 'pm',
	'pm-other': 'pm',
	'acpi-pm-other': 'acpi-sleep',
};

/** Signals that report something going wrong (the log pane marks them). */
export function isFailureSignal(signal: Signal): boolean {
	switch (signal.type) {
		case 'freeze-failed':
		case 'device-failed':
		case 'callback-error':
		case 'device-not-prepared':
		case 'devices-failed':
		case 'cycle-error':
		case 'failure':
		case 'kernel-bug':
		case 'aer-completion-timeout':
		case 'aer': {
			return true;
		}

		case 'acpi-error': {
			return signal.severity === 'error';
		}

		default: {
			return false;
		}
	}
}

const seconds = (s: string): number => Math.round(Number(s) * 1000);
const precision = (s: string): number => 10 ** (6 - (s.length - s.indexOf('.') - 1));
const whatOf = (s: string): 'user' | 'kernel' => (s.startsWith('user') ? 'user' : 'kernel');

/**
 * A rule: its pattern, the signal it makes, and (for patterns that scan the whole line before
 * failing, e.g. a lazy `^(.+?): …`) a literal every match contains — a native substring search
 * skips the regex on the lines without it (same answer: the pattern cannot match there).
 */
type Rule = [RegExp, (m: RegExpExecArray) => Signal, string?];

const verbs = 'freeze|thaw|recover|quiesce|suspend|resume|hibernate|restore|poweroff';

// Order matters: the first rule that matches wins.
const rules: Rule[] = [
	// Freezer, 6.2+ split lines and 2.6–6.1 pr_cont lines (also when wrapped or cut short).
	[/^Freezing (user space processes|remaining freezable tasks) completed \(elapsed (\d+\.\d+) seconds\)/, m => ({type: 'freeze-done', what: whatOf(m[1]!), elapsedMs: seconds(m[2]!), precisionUs: precision(m[2]!)})],
	[/^Freezing (user space processes|remaining freezable tasks) (failed|aborted) after (\d+\.\d+) seconds \((\d+) tasks refusing to freeze/, m => ({type: 'freeze-failed', what: whatOf(m[1]!), aborted: m[2] === 'aborted', elapsedMs: seconds(m[3]!), refusing: Number(m[4]), precisionUs: precision(m[3]!)})],
	[/^Freezing (user space processes|remaining freezable tasks) \.\.\. ?\(elapsed (\d+\.\d+) seconds\) done\./, m => ({type: 'freeze-done', what: whatOf(m[1]!), elapsedMs: seconds(m[2]!), precisionUs: precision(m[2]!), combined: true})],
	[/^Freezing (user space processes|remaining freezable tasks)(?: \.\.\.)?\s*(?:\(elapsed\s*)?$/, m => ({type: 'freeze-start', what: whatOf(m[1]!)})],
	[/^Freezing (user space processes|remaining freezable tasks) \.\.\. done\./, m => ({type: 'freeze-done', what: whatOf(m[1]!)})],
	[/^Freezing of tasks (failed|aborted) after (\d+\.\d+) seconds \((\d+) tasks refusing to freeze/, m => ({type: 'freeze-failed', what: 'unknown', aborted: m[1] === 'aborted', elapsedMs: seconds(m[2]!), refusing: Number(m[3]), precisionUs: precision(m[2]!)})],
	[/^Freezing (?:user space processes|remaining freezable tasks|of tasks)\b/, () => ({type: 'pm-other'})],
	[/^Double checking all user space processes after OOM killer disable/, () => ({type: 'pm-other'})],
	[/^OOM killer (enabled|disabled)\.$/, m => ({type: 'oom-killer', enabled: m[1] === 'enabled'})],
	[/^Restarting (kernel threads|tasks) \.\.\. ?(done\.)?$/, m => ({type: 'restart', what: m[1] === 'tasks' ? 'tasks' : 'kernel', stage: m[2] ? 'done' : 'start'})],
	[/^Restarting tasks: (Starting|Done)$/, m => ({type: 'restart', what: 'tasks', stage: m[1] === 'Done' ? 'done' : 'start'})],
	[/^Done restarting kernel threads\.$/, () => ({type: 'restart', what: 'kernel', stage: 'done'})],
	// Task dumps: 5.x+ "task:comm state:D …", 2.6–4.x "comm   D ffff… 0 26 2 0x…".
	[/^task:(.{1,15}?)\s+state:(\S)\s+stack:\s*\d+\s+pid:\s*(\d+)/, m => ({type: 'task-dump', comm: m[1]!.trim(), state: m[2]!, pid: Number(m[3])})],
	[/^(\S.{0,15}?)\s+([DRSTtZXxKWPI])\s+(?:[\da-f]{8,16}\s+)?\d+\s+(\d+)\s+\d+\s+0x[\da-f]+$/, m => ({type: 'task-dump', comm: m[1]!.trim(), state: m[2]!, pid: Number(m[3])}), '0x'],
	// Cycle markers.
	[/^PM: suspend entry \((\w+)\)/, m => ({type: 'cycle-start', kind: 'suspend', detail: m[1], exit: true})],
	[/^PM: Preparing system for (?:mem sleep|sleep \((\w+)\))/, m => ({type: 'cycle-start', kind: 'suspend', detail: m[1] ?? 'mem'})],
	[/^PM: suspend exit$/, () => ({type: 'cycle-end', kind: 'suspend'})],
	[/^PM: (?:hibernation: )?hibernation entry$/, () => ({type: 'cycle-start', kind: 'hibernate', exit: true})],
	[/^PM: (?:hibernation: )?hibernation exit$/, () => ({type: 'cycle-end', kind: 'hibernate'})],
	[/^PM: (?:hibernation: )?(?:Preallocating image memory|Creating hibernation image|Image restored successfully|Allocated \d+ pages for snapshot|Hibernation image restored successfully)/, () => ({type: 'cycle-hint', kind: 'hibernate'})],
	// pm_test waits. kernel/power/hibernate.c hibernation_debug_sleep(): ≥5.8 "PM: hibernation: debug: Waiting for 5 seconds.",
	// ≤5.7 "PM: hibernation debug: …" / 3.x "hibernation debug: Waiting for 5 seconds.".
	[/^(?:PM: )?hibernation(?::)? debug: Waiting for (\d+) seconds?\./, m => ({type: 'pm-test-wait', kind: 'hibernate', seconds: Number(m[1])}), 'debug: Waiting for '],
	// kernel/power/suspend.c suspend_test(): ≥4.x "PM: suspend debug: Waiting for %d second(s).", 3.x "suspend debug: Waiting for 5 seconds.".
	[/^(?:PM: )?suspend debug: Waiting for (\d+) second(?:s|\(s\))\./, m => ({type: 'pm-test-wait', kind: 'suspend', seconds: Number(m[1])}), 'debug: Waiting for '],
	// kernel/power/suspend.c s2idle_enter(): pm_pr_dbg("suspend-to-idle") / ("resume from suspend-to-idle").
	[/^PM: suspend-to-idle$/, () => ({type: 's2idle', direction: 'enter'})],
	[/^PM: resume from suspend-to-idle$/, () => ({type: 's2idle', direction: 'exit'})],
	// Hibernation image written and the power-off (kernel/power/swap.c save_image*, kernel/reboot.c kernel_power_off()).
	[/^PM: (?:hibernation: )?(?:Writing hibernation image|writing image|Image saving progress|Compressing and saving image data|Saving image data pages)/, () => ({type: 'image-saved', stage: 'writing'})],
	[/^PM: (?:hibernation: )?(?:Image saving done|Wrote \d+ kbytes in)/, () => ({type: 'image-saved', stage: 'done'})],
	[/^(?:reboot: )?Power down\.?$/, () => ({type: 'image-saved', stage: 'power-off'}), 'Power down'],
	// The boot kernel's restore (kernel/power/hibernate.c software_resume(), kernel/power/swap.c swsusp_read()).
	[/^PM: (?:hibernation: )?(resume from hibernation|Checking hibernation image partition|Looking for hibernation image|Image signature found, resuming|Loading hibernation image|Loading image data pages|Image loading progress|Image successfully loaded)/, m => ({type: 'restore-start', detail: m[1]!})],
	[/^PM: Syncing filesystems \.\.\. ?(done\.)?$/, m => ({type: 'fs-sync', done: Boolean(m[1])})],
	[/^Filesystems sync: \d+\.\d+ seconds$/, () => ({type: 'fs-sync', done: true})],
	[/^(?:printk: )?Suspending console\(s\) \(use no_console_suspend to debug\)/, () => ({type: 'console-suspend'}), 'Suspending console(s) (use no_console_suspend to debug)'],
	// Device PM core.
	[new RegExp(`^PM: (?:(late|noirq|early|end) )?(${verbs}) of devices (complete|aborted) after (\\d+)\\.(\\d+) msecs`), m => ({type: 'dpm-phase', info: (m[1] ?? '') as DpmInfo, verb: m[2] as PmVerb, aborted: m[3] === 'aborted', usecs: Number(m[4]) * 1000 + Number(m[5]!.padEnd(3, '0').slice(0, 3))})],
	// drivers/base/power/main.c __suspend_report_result() / dpm_run_callback(): "PM: %s(): %pS returns %d"; device-prefixed
	// (dev_err) from ≈6.0, "%ps" without +0x…/0x… (and with " [module]") from 6.10; 2.6–3.x print it without "PM: ".
	// Device names may be several words ("i8042 kbd 00:00", "YT8531S Gigabit Ethernet phytmac_mii_bus-PHYT0046:00:07").
	[/^(?:(.+?): )?PM: (\w+)\(\): (.+?) returns (-?\d+)$/, m => ({type: 'callback-error', device: m[1], caller: m[2]!, callee: m[3]!, errno: Number(m[4])}), ' returns '],
	[/^((?:pm_op|pm_noirq_op|pm_late_early_op|dpm_run_callback|legacy_\w+|\w*pm_\w+|\w*(?:suspend|resume|freeze|thaw|poweroff|restore)\w*))\(\): (.+?) returns (-?\d+)$/, m => ({type: 'callback-error', caller: m[1]!, callee: m[2]!, errno: Number(m[3])}), ' returns '],
	// drivers/base/power/main.c pm_dev_err(): ≥5.12 "<drv> <dev>: PM: failed to <verb><info>: error <n>";
	// ≤5.11 "PM: Device <dev> failed to <verb><info>: error <n>".
	[/^(.+?): PM: failed to (\w+)((?: async| late| noirq| early)*): error (-?\d+)$/, m => ({type: 'device-failed', device: m[1]!, verb: m[2]!, info: m[3]!.trim(), errno: Number(m[4])}), ': PM: failed to '],
	[/^PM: Device (\S+) failed to (\w+)((?: async| late| noirq| early)*): error (-?\d+)$/, m => ({type: 'device-failed', device: m[1]!, verb: m[2]!, info: m[3]!.trim(), errno: Number(m[4])})],
	// drivers/base/power/main.c dpm_prepare(): ≥5.12 dev_info "<drv> <dev>: PM: not prepared for power transition: code <n>",
	// older pr_info "PM: Device <dev> not prepared for power transition: code <n>".
	[/^(?:(.+?): PM: not prepared|PM: Device (\S+) not prepared) for power transition: code (-?\d+)$/, m => ({type: 'device-not-prepared', device: m[1] ?? m[2]!, errno: Number(m[3])}), ' not prepared for power transition: code '],
	[/^(.+?): (?:PM: )?calling\s+(\S+) @ \d+, parent: \S*/, m => ({type: 'device-callback', device: m[1]!, callback: m[2]!, phase: 'calling'}), 'calling'],
	[/^(.+?): (?:PM: )?(\S+?(?:\+0x[\da-f]+\/0x[\da-f]+)?(?: \[\w+\])?) returned (-?\d+) after (\d+) usecs$/, m => ({type: 'device-callback', device: m[1]!, callback: m[2]!, phase: 'returned', errno: Number(m[3]), usecs: Number(m[4])}), ' returned '],
	// ACPI sleep states.
	[/^ACPI: (?:PM: )?Preparing to enter system sleep state (S\d)/, m => ({type: 'acpi-sleep', direction: 'enter', state: m[1]!})],
	[/^ACPI: (?:PM: )?Waking up from system sleep state (S\d)/, m => ({type: 'acpi-sleep', direction: 'wake', state: m[1]!})],
	[/^ACPI: (?:PM: )?(?:\(supports [S\d ]+\)|Low-level resume complete|Saving platform NVS memory|Restoring platform NVS memory|EC: (?:interrupt (?:un)?blocked|EC (?:stopped|started)))/, () => ({type: 'acpi-pm-other'})],
	// ACPICA (drivers/acpi/acpica/utxferror.c acpi_error()/acpi_bios_error()/acpi_exception()/acpi_warning()).
	[/^ACPI (?:BIOS )?(Error|Exception|Warning)\b:? ?(.*)$/, m => ({type: 'acpi-error', severity: m[1] === 'Warning' ? 'warning' : 'error', text: m[0]})],
	// Kernel bug reports: kernel/panic.c __warn() ("WARNING: CPU: %d PID: %d at %pS", 2.6–4.x "WARNING: at %s:%d %pS()"),
	// arch fault handlers (x86 "BUG: unable to handle …", "Oops: …", arm64 "Internal error: Oops: …", arm "Unable to handle kernel …"),
	// lib/bug.c ("kernel BUG at %s:%u!"), kernel/panic.c panic().
	[/^WARNING: (?:CPU: ?\d+ PID: \d+ at |at |\S+:\d+ )(.*)$/, m => ({type: 'kernel-bug', what: 'warning', text: m[0]})],
	[/^(?:Internal error: )?Oops(?: - [\w ]+)?(?::| \[#)|^Unable to handle kernel |^general protection fault\b|^kernel BUG at /, m => ({type: 'kernel-bug', what: 'oops', text: m.input})],
	[/^BUG: /, m => ({type: 'kernel-bug', what: 'bug', text: m.input})],
	[/^Kernel panic - not syncing/, m => ({type: 'kernel-bug', what: 'panic', text: m.input})],
	// A new kernel: init/main.c start_kernel() prints linux_banner first; arm "Booting Linux on physical CPU"; a journal's boot separator.
	[/^Linux version \d+\.\d+|^Booting Linux on physical CPU|^-- (?:Boot [\da-f]+|Reboot) --$/, () => ({type: 'boot'})],
	// kernel/time/timekeeping.c timekeeping_inject_sleeptime64(): ≥4.x pm_deferred_pr_dbg("Timekeeping suspended for %lld.%03lu seconds"),
	// 2.6–3.x pr_info("Suspended for %lld.%03lu seconds").
	[/^(?:PM: )?(?:Timekeeping suspended|Suspended) for (\d+)\.(\d{3}) seconds/, m => ({type: 'timekeeping', us: Number(m[1]) * 1_000_000 + Number(m[2]) * 1000}), 'uspended for '],
	[/^Disabling non-boot CPUs/, () => ({type: 'cpus', direction: 'down'})],
	[/^Enabling non-boot CPUs/, () => ({type: 'cpus', direction: 'up'})],
	// NVDIMM / nfit.
	[/^nfit ACPI0012:00: result: (-?\d+)$/, m => ({type: 'nfit-result', rc: Number(m[1])})],
	[/^(?:(nd_\w+|nfit|nfit_test|libnvdimm|dax_pmem|nd_pmem|nd_btt) (\S+): |(pmem\d+(?:\.\d+)?s?): |(?:nfit|libnvdimm|nd_pmem|nvdimm): )(.*)$/, m => ({type: 'nvdimm', device: m[2] ?? m[3], text: m[4]!})],
	// PCIe AER (completion timeouts after a memory stall).
	[/^(\S+ \S+):\s+\[\s*\d+\] CmpltTO/, m => ({type: 'aer-completion-timeout', device: m[1]!}), '] CmpltTO'],
	[/^(?:\S+ \S+: )?AER: /, () => ({type: 'aer'}), 'AER: '],
	// The rest of PM: and ACPI sleep chatter.
	[/^PM: /, m => {
		const failure = recogniseFailure(m.input);
		return failure ? {type: 'failure', failure} : {type: 'pm-other'};
	}],
	[/^(?:Suspending system \(\w+\)|Image (?:saving|loading) progress)/, () => ({type: 'pm-other'})],
];

/**
 * Every rule needs one of these words (or, for 2.6–4.x task dumps, a hex
 * flags word at the end): most lines of a busy log fail this one test. No line failing it is
 * recognised (kernel/line-filter.ts builds on that).
 */
export const recognisePrecheck = /PM|Freez|OOM|Restart|Done restarting|task:|Filesystems|Suspending|Suspended|ACPI|nfit|nd_|pmem|libnvdimm|nvdimm|non-boot CPUs|Image|AER|CmpltTO|calling|returned|returns|Double checking|WARNING|Oops|BUG|Unable to handle|protection fault|panic|Linux|-- |debug: Waiting|Timekeeping|Power down|DPM device timeout|0x[\da-f]+$/;

/**
 * The last message recognised and its signal: a replay hands the same line to the reducer and to
 * the device timeline one after the other (signals are read, never changed, by their users).
 */
let lastMessage: string | undefined;
let lastSignal: Signal | undefined;

export function recognise(message: string): Signal | undefined {
	if (message === lastMessage) return lastSignal;
	lastSignal = recogniseOnce(message);
	lastMessage = message;
	return lastSignal;
}

/**
 * The one character a rule's match must begin with, when its pattern is `^` then a literal
 * character and has no `|` outside brackets (so every match starts there); undefined otherwise.
 */
export function firstCharOf(pattern: RegExp): string | undefined {
	const source = pattern.source;
	if (pattern.flags.includes('i') || !/^\^[\w :-]/.test(source)) return undefined;
	let depth = 0;
	let inClass = false;
	for (let i = 1; i < source.length; i++) {
		const c = source[i];
		if (c === '\\') i++;
		else if (inClass) inClass = c !== ']';
		else if (c === '[') inClass = true;
		else if (c === '(') depth++;
		else if (c === ')') depth--;
		else if (c === '|' && depth === 0) return undefined;
	}

	// A quantifier on the first character ("^P?M") makes it optional.
	return /^[?*{]/.test(source.slice(2)) ? undefined : source[1];
}

/**
 * The literal text every match of a pattern begins with: the characters after `^` up to the first
 * one that is not plain (a group, a class, a quantifier — the character a quantifier applies to is
 * left out), or '' when the pattern has no such start (see firstCharOf).
 */
export function literalPrefixOf(pattern: RegExp): string {
	if (firstCharOf(pattern) === undefined || /[im]/.test(pattern.flags)) return '';
	const source = pattern.source;
	let prefix = '';
	for (let i = 1; i < source.length; i++) {
		let c = source[i]!;
		if (c === '\\') {
			// An escaped punctuation character is itself; \d, \s, \b… are not literals.
			const next = source[i + 1];
			if (next === undefined || !/[\\/^$.*+?()[\]{}|:,\- ]/.test(next)) break;
			c = next;
			i++;
		} else if ('[](){}|.*+?^$'.includes(c)) {
			if ('?*{'.includes(c)) prefix = prefix.slice(0, -1);
			break;
		}

		prefix += c;
		// The next token quantifies the character just taken.
		const next = source[i + 1];
		if (next !== undefined && '?*{'.includes(next)) {
			prefix = prefix.slice(0, -1);
			break;
		}
	}

	return prefix;
}

type Compiled = {pattern: RegExp; make: (m: RegExpExecArray) => Signal; needs?: string; prefix?: string};

const compiled: Compiled[] = rules.map(([pattern, make, needs]) => {
	const prefix = literalPrefixOf(pattern);
	// One character is what the first-character dispatch already checked.
	return {pattern, make, needs, prefix: prefix.length > 1 ? prefix : undefined};
});

const ruleFirstChars = rules.map(([pattern]) => firstCharOf(pattern));
const rulesByFirstChar = new Map<string, Compiled[]>();

/** The rules, in order, that can match a message beginning with `c` (the others cannot: see firstCharOf). */
function rulesFor(c: string): Compiled[] {
	let list = rulesByFirstChar.get(c);
	if (!list) {
		list = compiled.filter((_, i) => ruleFirstChars[i] === undefined || ruleFirstChars[i] === c);
		if (rulesByFirstChar.size < 256) rulesByFirstChar.set(c, list);
	}

	return list;
}

function recogniseOnce(message: string, every = false): Signal | undefined {
	if (!recognisePrecheck.test(message)) return undefined;
	for (const {pattern, make, needs, prefix} of every ? compiled : rulesFor(message.charAt(0))) {
		// Shortcuts that cannot change the answer: a match begins with the pattern's literal prefix and holds its literal.
		if (!every && ((prefix !== undefined && !message.startsWith(prefix)) || (needs !== undefined && !message.includes(needs)))) continue;
		const match = pattern.exec(message);
		if (match) return make(match);
	}

	// Failure messages without a "PM: " prefix (the DPM watchdog).
	const failure = recogniseFailure(message);
	return failure ? {type: 'failure', failure} : undefined;
}

/** Every rule tried in turn, without the first-character dispatch, the literal guards and the memory (tests compare the two). */
export function recogniseTryingEveryRule(message: string): Signal | undefined {
	return recogniseOnce(message, true);
}

export function categoryOf(message: string): SignalCategory | undefined {
	const signal = recognise(message);
	return signal ? signalCategory[signal.type] : undefined;
}
