/**
 * Kernel releases, not families: one row per change in what the quiesce
 * path prints, with the commit that made it, the first mainline release
 * that has it and the stable backports that could be confirmed. A release
 * (`5.10`, `6.1`, `6.6.30`, `6.6.94`, `6.12`, `6.17`, any `X.Y.Z` of a
 * supported series) resolves to the set of rows in force — profiles.ts turns
 * that set into the flags the formatters read.
 *
 * Sources: the commits were read on the mailing lists / stable queues with
 * the search tool; where a hash is missing only the subject could be pinned
 * (public mirrors rewrite hashes), and `confidence` says so.
 */

/** [major, minor, patch]; a bare series ("6.6") means its newest stable. */
export type Version = readonly [number, number, number];

export type BehaviourChange = {
	id: BehaviourId;
	/** What changes in the log (or sysfs) when this row is in force. */
	what: string;
	/** Upstream commit (12 hex) when pinned; the subject always. */
	commit?: string;
	subject: string;
	/** First mainline release that has it. */
	since: Version;
	/** Stable series that got it later: series "X.Y" → first point release. */
	backports?: Record<string, Version>;
	/** Release from which it no longer holds (reverted or superseded). */
	until?: Version;
	/** Stable backports of `until`. */
	untilBackports?: Record<string, Version>;
	confidence: 'confirmed' | 'approximate';
};

export const behaviourIds = [
	'acpi-pm-prefix',
	'acpi-nvs-prefix',
	'pm-dev-printk',
	'report-result-dev-err',
	'x86-task-markers',
	'page-cache-folios',
	'task-header-left-aligned',
	'freezer-no-pr-cont',
	'freezer-failure-names-what',
	'task-header-tgid',
	'pm-debug-suspend-only',
	'pm-dev-err-combined-info',
	'pm-callback-ps',
	'task-header-task-flags',
	'restart-tasks-starting-done',
	'ret-from-fork-asm',
] as const;

export type BehaviourId = (typeof behaviourIds)[number];

const v = (major: number, minor: number, patch = 0): Version => [major, minor, patch];

export const behaviourChanges: readonly BehaviourChange[] = [
	{
		id: 'acpi-pm-prefix',
		what: 'drivers/acpi/sleep.c pr_fmt "ACPI: PM: ": "ACPI: PM: Preparing to enter system sleep state S4" (was PREFIX "ACPI: Preparing …")',
		// Hanjun Guo's 18-patch series, "Whole series applied as 5.14 material" (Rafael, linux-acpi, Jun 2021).
		commit: 'f5ee87df7a4d',
		subject: 'ACPI: sleep: Unify the message printing',
		since: v(5, 14),
		confidence: 'confirmed',
	},
	{
		id: 'acpi-nvs-prefix',
		what: 'suspend_nvs_save() prints "ACPI: PM: Saving platform NVS memory" (5.10: "PM: Saving platform NVS memory")',
		commit: '4f59927d5de4',
		subject: 'ACPI: nvs: Unify the message printing',
		since: v(5, 14),
		confidence: 'confirmed',
	},
	{
		id: 'pm-dev-printk',
		what: 'pm_dev_err()/device_prepare() use dev_err/dev_info with dev_fmt "PM: ": "<drv> <dev>: PM: failed to freeze async: error -16" (was "PM: Device <dev> failed to freeze async: error -16"); pm_print_times lines gain "PM: "',
		// Bounded by the evidence: 5.10 prints "PM: Device …" (issue 13, checked against
		// the source) and the real 5.17 trace (19-…) has "xhci_hcd 0000:00:14.0: PM: failed to suspend async".
		subject: 'PM: sleep: Use dev_printk() when possible',
		since: v(5, 12),
		confidence: 'approximate',
	},
	{
		id: 'report-result-dev-err',
		what: '__suspend_report_result() takes the device: "<drv> <dev>: PM: dpm_run_callback(): … returns -16" (5.17 trace still has the bare "PM: dpm_run_callback(): …")',
		subject: 'PM: core: Add dev argument to __suspend_report_result()',
		since: v(5, 19),
		confidence: 'confirmed',
	},
	{
		id: 'x86-task-markers',
		what: 'x86 stack dumps are bracketed by " <TASK>" … " </TASK>" (real 6.1 and 6.17 dumps)',
		subject: 'x86/dumpstack: Add <TASK>/</TASK> markers around the unwound stack (5.16 merge window)',
		since: v(5, 16),
		confidence: 'approximate',
	},
	{
		id: 'page-cache-folios',
		what: 'a task blocked in a page-cache read shows folio_wait_bit_common/filemap_get_pages (5.10: wait_on_page_bit_common/generic_file_buffered_read)',
		subject: 'Memory folios (Matthew Wilcox), merged for 5.16',
		since: v(5, 16),
		confidence: 'approximate',
	},
	{
		id: 'task-header-left-aligned',
		what: 'sched_show_task(): " stack:%-5lu pid:%-5d ppid:%-6d" (was "%5lu … %5d … %6d")',
		subject: 'sched/debug: Print each field value left-aligned in sched_show_task()',
		since: v(6, 0),
		confidence: 'confirmed',
	},
	{
		id: 'freezer-no-pr-cont',
		what: 'try_to_freeze_tasks(): "Freezing user space processes" + "… completed (elapsed …)" on their own lines (was one pr_cont line "… ... (elapsed …) done.")',
		commit: 'a449dfbfc089',
		subject: 'PM: sleep: Avoid using pr_cont() in the tasks freezing code',
		since: v(6, 2),
		// "[PATCH 6.1 24/42]" in the stable review of 1 Mar 2023 (6.1.15); Debian 6.1.192 has it (real trace).
		backports: {'6.1': v(6, 1, 15)},
		confidence: 'confirmed',
	},
	{
		id: 'freezer-failure-names-what',
		what: 'the failure line names the group: "Freezing user space processes failed after …" (was "Freezing of tasks failed after …"; not backported: 6.1 still prints the old form)',
		commit: '96d4b8e1ad8a',
		subject: 'PM: sleep: Refine error message in try_to_freeze_tasks()',
		since: v(6, 2),
		confidence: 'confirmed',
	},
	{
		id: 'task-header-tgid',
		what: 'sched_show_task(): " stack:%-5lu pid:%-5d tgid:%-5d ppid:%-6d flags:0x%08lx"',
		subject: 'sched/debug: Print \'tgid\' in sched_show_task() (Yajun Deng, Jul 2023)',
		since: v(6, 6),
		confidence: 'confirmed',
	},
	{
		id: 'pm-debug-suspend-only',
		what: 'pm_debug_messages_should_print() = pm_debug_messages_on && pm_suspend_target_state != PM_SUSPEND_ON: inside hibernate_quiet_exec() (target PM_SUSPEND_ON) the dpm_show_time lines are NOT printed',
		commit: 'cdb8c100d8a4',
		subject: 'include/linux/suspend.h: Only show pm_pr_dbg messages at suspend/resume',
		since: v(6, 6),
		until: v(6, 16),
		// 1b17d4525bca "PM: sleep: Print PM debug messages during hibernation" (after
		// 34a364ff04e9 "PM: sleep: Introduce pm_suspend_in_progress()") adds
		// hibernation_in_progress(). Stable review of 17 Jun 2025 ("[PATCH 6.15 077/780]")
		// carries it; the 6.6/6.12 point releases (6.6.94, 6.12.34) are from kernel.md
		// and the same queue date, not read from a 6.6/6.12 review mail.
		untilBackports: {'6.6': v(6, 6, 94), '6.12': v(6, 12, 34)},
		confidence: 'confirmed',
	},
	{
		id: 'pm-dev-err-combined-info',
		what: 'pm_dev_err() info strings combine: "failed to freeze async noirq" (before: " async" for async devices, " noirq"/" late" for sync ones)',
		subject: 'PM: sleep: stats: Log errors right after running suspend callbacks',
		since: v(6, 9),
		confidence: 'confirmed',
	},
	{
		id: 'pm-callback-ps',
		what: 'callback symbols print with %ps: "calling pci_pm_freeze @ 52114, parent: …", "pci_pm_freeze returned 0 after 838 usecs", "… pci_pm_freeze returns -16" (was "pci_pm_freeze+0x0/0xe0")',
		subject: 'pm: Take advantage of %ps to simplify debug output (Len Brown; "applied as 6.10 material")',
		since: v(6, 10),
		confidence: 'confirmed',
	},
	{
		id: 'task-header-task-flags',
		what: 'sched_show_task() adds "task_flags:0x%04x" before "flags:" (seen in the real 6.17 trace)',
		subject: 'sched: print task_flags in sched_show_task()',
		since: v(6, 15),
		confidence: 'approximate',
	},
	{
		id: 'restart-tasks-starting-done',
		what: 'thaw_processes(): "Restarting tasks: Starting" … "Restarting tasks: Done"; thaw_kernel_threads(): "Restarting kernel threads ..." … "Done restarting kernel threads." (was one pr_cont line each, "… ... done.")',
		subject: 'PM: sleep: Do not use pr_cont() in thaw_processes()/thaw_kernel_threads() (2025)',
		since: v(6, 16),
		confidence: 'approximate',
	},
	{
		id: 'ret-from-fork-asm',
		what: 'a kernel thread\'s x86 stack ends "ret_from_fork" then "ret_from_fork_asm" (was ret_from_fork alone)',
		subject: 'x86/entry: Convert ret_from_fork to C (ret_from_fork_asm)',
		since: v(6, 6),
		confidence: 'approximate',
	},
];

/**
 * Supported stable series, with the point release a bare series name stands
 * for (its newest stable as far as this table knows) and the `uname -r`
 * the simulated host reports.
 */
export const supportedSeries: Record<string, {latest: Version; uname: (version: Version) => string}> = {
	'5.10': {latest: v(5, 10, 240), uname: ([, , p]) => `5.10.0-${p > 0 ? 35 : 0}-amd64`},
	// Debian 12: 6.1.0-56-amd64 is 6.1.192 (the real nfit-test-6.1 trace).
	'6.1': {latest: v(6, 1, 192), uname: ([, , p]) => (p === 192 ? '6.1.0-56-amd64' : `6.1.${p}`)},
	'6.6': {latest: v(6, 6, 110), uname: ([, , p]) => `6.6.${p}`},
	'6.12': {latest: v(6, 12, 50), uname: ([, , p]) => `6.12.${p}`},
	'6.17': {latest: v(6, 17, 0), uname: ([, , p]) => `6.17.${p}`},
};

/** The releases offered by name (help text, tests, README). */
export const namedReleases = ['5.10', '6.1', '6.6.30', '6.6.94', '6.12', '6.17'] as const;

export class UnknownReleaseError extends Error {
	constructor(readonly value: string) {
		super(`unknown kernel release "${value}" (accepted: ${namedReleases.join(', ')}, or X.Y.Z of the series ${Object.keys(supportedSeries).join(', ')})`);
		this.name = 'UnknownReleaseError';
	}
}

/** "6.6.94", "6.6", "v6.1.192", "6.1.0-56-amd64" style → version, or undefined. */
export function parseRelease(text: string): Version | undefined {
	const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(text.trim());
	if (!match) return undefined;
	const series = `${match[1]}.${match[2]}`;
	const info = supportedSeries[series];
	if (!info) return undefined;
	return match[3] === undefined ? info.latest : v(Number(match[1]), Number(match[2]), Number(match[3]));
}

export function compareVersions(a: Version, b: Version): number {
	return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

function reaches(version: Version, since: Version, backports: Record<string, Version> | undefined): boolean {
	if (compareVersions(version, since) >= 0) return true;
	const backport = backports?.[`${version[0]}.${version[1]}`];
	return backport !== undefined && compareVersions(version, backport) >= 0;
}

/** Is this change in force in that release? */
export function inForce(change: BehaviourChange, version: Version): boolean {
	if (!reaches(version, change.since, change.backports)) return false;
	return change.until === undefined || !reaches(version, change.until, change.untilBackports);
}

export function changesIn(version: Version): Set<BehaviourId> {
	return new Set(behaviourChanges.filter(change => inForce(change, version)).map(change => change.id));
}

export function formatVersion(version: Version): string {
	return version.join('.');
}

/** The README's release table: one row per behaviour change, one column per named release. */
export function releaseTableMarkdown(): string {
	const columns = namedReleases.map(name => ({name, version: parseRelease(name)!}));
	const head = `| Behaviour (what the log or sysfs shows) | Commit | Since | Stable backports | ${columns.map(c => c.name).join(' | ')} |`;
	const rule = `|---|---|---|---|${columns.map(() => '---').join('|')}|`;
	const rows = behaviourChanges.map(change => {
		const commit = `${change.commit ? `${change.commit} ` : ''}"${change.subject}"${change.confidence === 'approximate' ? ' (version approximate)' : ''}`;
		const since = `${formatVersion(change.since).replace(/\.0$/, '')}${change.until ? ` until ${formatVersion(change.until).replace(/\.0$/, '')}` : ''}`;
		const backports = [
			...Object.values(change.backports ?? {}).map(v => formatVersion(v)),
			...Object.values(change.untilBackports ?? {}).map(v => `until ${formatVersion(v)}`),
		].join(', ') || '—';
		const cells = columns.map(c => (inForce(change, c.version) ? 'yes' : '—'));
		return `| ${change.what.replaceAll('|', '\\|')} | ${commit.replaceAll('|', '\\|')} | ${since} | ${backports} | ${cells.join(' | ')} |`;
	});
	return [head, rule, ...rows].join('\n').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
