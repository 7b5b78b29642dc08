/**
 * Per-device PM callback timing lines, in every form a kernel has printed
 * them. They appear when `/sys/power/pm_print_times` is 1 (or the kernel
 * booted with `initcall_debug`); the PM core brackets every callback it runs
 * through dpm_run_callback() with drivers/base/power/main.c:
 * initcall_debug_start() ("calling …") and initcall_debug_report()
 * ("… returned <rc> after <N> usecs"). device_prepare() and device_complete()
 * call their callbacks directly and print no timing lines.
 *
 * The forms, oldest first (each one quoted from main.c of its era):
 *
 * - `legacy` — 2.6.3x/3.x/4.x pr_info() without the device's driver or the
 *   callback's symbol:
 *     pr_info("calling  %s+ @ %i, parent: %s\n", dev_name(dev), task_pid_nr(current), parent)
 *     pr_info("call %s+ returned %d after %Ld usecs\n", dev_name(dev), error, nsecs >> 10)
 *   (2.6.3x prints the calling line without ", parent: …"). The two spaces
 *   after "calling" copy init/main.c:do_one_initcall()'s "calling  %pF @ %i";
 *   an initcall's line has `+0x…/0x…` after the symbol, a device's a bare `+`.
 * - `dev-pF` — dev_info(dev, "calling %pF @ %i, parent: %s\n", cb, …) and
 *   dev_info(dev, "%pF returned %d after %Ld usecs\n", cb, error, nsecs >> 10):
 *   the driver and device before ": ", the callback as `sym+0x…/0x…`
 *   (and ` [module]` for a module's symbol). %pF later became %pS in the
 *   same lines (the diff is in main.c's history): the output is the same.
 * - `pm-pS` — the same with "PM: " after the device: main.c gained
 *   `#define pr_fmt(fmt) "PM: " fmt` / `#define dev_fmt pr_fmt` ("PM: Use
 *   dev_printk() when possible", ≈5.12; kernel.md §4.6). Until 5.13 the µs
 *   figure is `nsecs >> 10` (ns/1024, 2.3 % low); 5.14 ("PM: sleep: use
 *   ktime_us_delta() in initcall_debug_report()") prints real µs. The 6.1
 *   logs in fixtures/traces/qemu-6.1 are this form.
 * - `pm-ps` — ≥6.10 ("pm: Take advantage of %ps to simplify debug output",
 *   Len Brown, 2024): `%ps`, the symbol without its offset:
 *     "<drv> <dev>: PM: calling pci_pm_freeze @ 52114, parent: 0000:5d:00.0"
 *     "<drv> <dev>: PM: pci_pm_freeze returned 0 after 838 usecs"
 * - `drv-dev-msecs` — 2.6.3x Ubuntu kernels (not mainline main.c: an Ubuntu
 *   patch; seen in fixtures/traces/03-hibernate-2.6.35-…): one line when a
 *   slow device's callback completes, no calling line, no pid:
 *     "PM: freeze of drv:sd dev:0:0:0:0 complete after 202.829 msecs"
 *   (`drv:` is empty for a device without a driver: "drv: dev:pci0000:00").
 *
 * `<drv>` is dev_driver_string(): the driver's name, else the bus's, else the
 * class's — it may contain a space ("i8042 kbd 00:00", "HDA Intel …"), the
 * device name never does, so the device is the last word before ": ".
 */

export type CallbackLineForm = 'legacy' | 'dev-pF' | 'pm-pS' | 'pm-ps' | 'drv-dev-msecs';

/** Which era each form belongs to (for tests and documentation). */
export const callbackLineEras: Record<CallbackLineForm, string> = {
	legacy: '2.6.3x–4.x (pr_info, device name only)',
	'dev-pF': '≈4.x–5.11 (dev_info, %pF/%pS with offsets)',
	'pm-pS': '≈5.12–6.9 ("PM: " prefix, %pS with offsets)',
	'pm-ps': '≥6.10 ("PM: " prefix, %ps without offsets)',
	'drv-dev-msecs': '2.6.3x Ubuntu (completion line only, msecs)',
};

export type CallbackCalling = {
	kind: 'calling';
	form: CallbackLineForm;
	/** dev_driver_string(); '' when the form has none. */
	driver: string;
	device: string;
	/** The callback's symbol, when the form prints it. */
	callback?: string;
	module?: string;
	pid: number;
	parent?: string;
};

export type CallbackReturned = {
	kind: 'returned';
	form: CallbackLineForm;
	driver: string;
	device: string;
	callback?: string;
	module?: string;
	rc: number;
	/** The kernel's own figure (before 5.14: ns >> 10). */
	usecs: number;
};

/** The Ubuntu 2.6.3x completion line: a whole callback in one line. */
export type CallbackComplete = {
	kind: 'complete';
	form: 'drv-dev-msecs';
	driver: string;
	device: string;
	/** pm_verb() of the phase: freeze, suspend, resume, thaw, restore… */
	verb: string;
	usecs: number;
};

export type CallbackLine = CallbackCalling | CallbackReturned | CallbackComplete;

const offset = String.raw`\+0x[\da-f]+\/0x[\da-f]+`;
const mod = String.raw`(?: \[([\w.-]+)\])?`;

// "<drv> <dev>: PM: calling <sym>+0x0/0x50 [mod] @ <pid>, parent: <p>" (pm-pS) or without the offset (pm-ps).
const pmCalling = new RegExp(String.raw`^(.+?): PM: calling (\S+?)(${offset})?${mod} @ (\d+), parent: (\S+)\s*$`);
const pmReturned = new RegExp(String.raw`^(.+?): PM: (\S+?)(${offset})?${mod} returned (-?\d+) after (\d+) usecs\s*$`);
// dev-pF: no "PM: ", the offset is required (it tells a device's line from other "X: Y returned" text).
const devCalling = new RegExp(String.raw`^(.+?): calling (\S+?)${offset}${mod} @ (\d+), parent: (\S+)\s*$`);
const devReturned = new RegExp(String.raw`^(.+?): (\S+?)${offset}${mod} returned (-?\d+) after (\d+) usecs\s*$`);
// legacy: "calling  <dev>+ @ <pid>[, parent: <p>]" and "call <dev>+ returned <rc> after <N> usecs".
const legacyCalling = /^calling {1,2}(\S+)\+ @ (\d+)(?:, parent: (\S+))?\s*$/;
const legacyReturned = /^call (\S+)\+ returned (-?\d+) after (\d+) usecs\s*$/;
const drvDev = /^PM: (\w+) of drv:(.*?) dev:(\S+) complete after (\d+)\.(\d+) msecs\s*$/;

/** Split dev_driver_string() + ' ' + dev_name(): the device is the last word. */
function splitDevice(prefix: string): {driver: string; device: string} {
	const space = prefix.lastIndexOf(' ');
	return space === -1 ? {driver: '', device: prefix} : {driver: prefix.slice(0, space), device: prefix.slice(space + 1)};
}

/** Quick test that most lines of a log fail (no line failing it is a callback line). */
export const callbackPrecheck = /call|returned|drv:/;

export function parseCallbackLine(message: string): CallbackLine | undefined {
	if (!callbackPrecheck.test(message)) return undefined;
	let m = pmCalling.exec(message);
	if (m) {
		const line: CallbackCalling = {kind: 'calling', form: m[3] ? 'pm-pS' : 'pm-ps', ...splitDevice(m[1]!), callback: m[2]!, pid: Number(m[5]), parent: m[6]!};
		if (m[4]) line.module = m[4];
		return line;
	}

	m = pmReturned.exec(message);
	if (m) {
		const line: CallbackReturned = {kind: 'returned', form: m[3] ? 'pm-pS' : 'pm-ps', ...splitDevice(m[1]!), callback: m[2]!, rc: Number(m[5]), usecs: Number(m[6])};
		if (m[4]) line.module = m[4];
		return line;
	}

	m = devCalling.exec(message);
	if (m) {
		const line: CallbackCalling = {kind: 'calling', form: 'dev-pF', ...splitDevice(m[1]!), callback: m[2]!, pid: Number(m[4]), parent: m[5]!};
		if (m[3]) line.module = m[3];
		return line;
	}

	m = devReturned.exec(message);
	if (m) {
		const line: CallbackReturned = {kind: 'returned', form: 'dev-pF', ...splitDevice(m[1]!), callback: m[2]!, rc: Number(m[4]), usecs: Number(m[5])};
		if (m[3]) line.module = m[3];
		return line;
	}

	m = legacyCalling.exec(message);
	if (m) {
		const line: CallbackCalling = {kind: 'calling', form: 'legacy', driver: '', device: m[1]!, pid: Number(m[2])};
		if (m[3]) line.parent = m[3];
		return line;
	}

	m = legacyReturned.exec(message);
	if (m) return {kind: 'returned', form: 'legacy', driver: '', device: m[1]!, rc: Number(m[2]), usecs: Number(m[3])};
	m = drvDev.exec(message);
	if (m) return {kind: 'complete', form: 'drv-dev-msecs', driver: m[2]!, device: m[3]!, verb: m[1]!, usecs: Number(m[4]) * 1000 + Number(m[5]!.padEnd(3, '0').slice(0, 3))};
	return undefined;
}

/**
 * The phase a callback's symbol names, for logs without the dpm phase lines
 * (`pm_debug_messages` off): bus callbacks follow dev_pm_ops member names
 * (include/linux/pm.h: suspend, suspend_late, suspend_noirq, resume_noirq,
 * resume_early, resume, freeze…, thaw…, poweroff…, restore…), e.g.
 * pci_pm_freeze_noirq, platform_pm_thaw. A driver's own symbol may say
 * nothing: then undefined.
 */
export function phaseFromSymbol(symbol: string): {verb: string; info: '' | 'late' | 'noirq' | 'early'} | undefined {
	const m = /(freeze|thaw|suspend|resume|poweroff|restore)(?:_(late|noirq|early))?$/.exec(symbol);
	if (!m) return undefined;
	return {verb: m[1]!, info: (m[2] ?? '') as '' | 'late' | 'noirq' | 'early'};
}
