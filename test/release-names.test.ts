/**
 * What a release name resolves to: the `uname -r` the simulated host reports
 * per series, the one-line error for an unknown release, and the README's
 * release table line by line (header, a row with a stable backport, a row
 * with an end) — the mutation run showed `toContain(table)` passed an empty
 * table. Expected strings are written out here, from the commits named in
 * source/kernel/releases.ts and the real nfit-test-6.1 trace.
 */
import {describe, expect, it} from 'vitest';
import {resolveKernel} from '../source/kernel/profiles.js';
import {behaviourIds, parseRelease, releaseTableMarkdown, UnknownReleaseError} from '../source/kernel/releases.js';

describe('uname -r of the simulated host', () => {
	it.each([
		// fixtures/traces/nfit-test-6.1: "Linux version 6.1.0-56-amd64 … Debian 6.1.192-2".
		['6.1', '6.1.0-56-amd64'],
		['6.1.100', '6.1.100'],
		// Debian 11 style "5.10.0-<abi>-amd64": the ABI this tool gives a stable point release (35), and 0 for 5.10.0 itself.
		['5.10', '5.10.0-35-amd64'],
		['5.10.0', '5.10.0-0-amd64'],
		['6.6.30', '6.6.30'],
		['6.12', '6.12.50'],
		['6.17', '6.17.0'],
	])('%s → %s', (release, uname) => {
		expect(resolveKernel(release).release).toBe(uname);
	});
});

describe('release names', () => {
	it('a release with spaces or a "v" around it; nothing inside other text', () => {
		expect(parseRelease(' 6.6.94\n')).toEqual([6, 6, 94]);
		expect(parseRelease('v6.1.192')).toEqual([6, 1, 192]);
		expect(parseRelease('linux-6.1')).toBeUndefined();
		expect(parseRelease('6.1-rc3')).toBeUndefined();
	});

	it('an unknown release: one line naming the value and what is accepted', () => {
		expect(() => resolveKernel('4.19')).toThrow(new UnknownReleaseError('4.19'));
		let error: unknown;
		try {
			resolveKernel('4.19');
		} catch (caught) {
			error = caught;
		}

		expect(error).toBeInstanceOf(UnknownReleaseError);
		expect((error as Error).name).toBe('UnknownReleaseError');
		expect((error as Error).message).toBe('unknown kernel release "4.19" (accepted: 5.10, 6.1, 6.6.30, 6.6.94, 6.12, 6.17, or X.Y.Z of the series 5.10, 6.1, 6.6, 6.12, 6.17)');
	});
});

describe('the release table', () => {
	// Built inside each test (not when the file is collected): a mutant is switched on only while tests run.
	const table = () => releaseTableMarkdown().split('\n');

	it('a header, a rule and one row per behaviour change', () => {
		const lines = table();
		expect(lines[0]).toBe('| Behaviour (what the log or sysfs shows) | Commit | Since | Stable backports | 5.10 | 6.1 | 6.6.30 | 6.6.94 | 6.12 | 6.17 |');
		expect(lines[1]).toBe('|---|---|---|---|---|---|---|---|---|---|');
		expect(lines).toHaveLength(2 + behaviourIds.length);
	});

	it('a change backported to a stable series, and a change with an end (both with their stable releases)', () => {
		const lines = table();
		// a449dfbfc089 (6.2) backported to 6.1.15: 6.1 prints the split freezer lines, 5.10 does not.
		expect(lines).toContain('| try_to_freeze_tasks(): "Freezing user space processes" + "… completed (elapsed …)" on their own lines (was one pr_cont line "… ... (elapsed …) done.") | a449dfbfc089 "PM: sleep: Avoid using pr_cont() in the tasks freezing code" | 6.2 | 6.1.15 | — | yes | yes | yes | yes | yes |');
		// cdb8c100d8a4 (6.6) undone in 6.16 and in the 6.6.94 and 6.12.34 stables: only 6.6.30 has it.
		expect(lines.find(l => l.includes('cdb8c100d8a4'))).toMatch(/ \| 6\.6 until 6\.16 \| until 6\.6\.94, until 6\.12\.34 \| — \| — \| yes \| — \| — \| — \|$/);
	});
});

describe('the profile of a release: what its kernel prints (rows of the release table)', () => {
	it('the oldest and the newest supported series differ in every printed form', () => {
		expect(resolveKernel(' v6.6.94 ').id).toBe('6.6.94');
		expect(resolveKernel('5.10')).toMatchObject({
			restartTasks: 'dots', // "Restarting tasks ... done."
			acpiPrefix: 'ACPI: ', // before f5ee87df7a4d (5.14)
			nvsPrefix: 'PM: ', // before 4f59927d5de4 (5.14): "PM: Saving platform NVS memory"
			symbolFormat: 'pS', // "pci_pm_freeze+0x0/0xc0"
			taskHeader: 'right', // " stack:%5lu pid:%5d ppid:%6d"
		});
		expect(resolveKernel('6.17')).toMatchObject({
			restartTasks: 'starting-done', // "Restarting tasks: Starting" … "Done" (the real 6.17 trace)
			acpiPrefix: 'ACPI: PM: ',
			nvsPrefix: 'ACPI: PM: ',
			symbolFormat: 'ps', // %ps from 6.10
			taskHeader: 'task-flags', // the real 6.17 dump
		});
		expect(resolveKernel('6.12').taskHeader).toBe('tgid');
		expect(resolveKernel('6.1').taskHeader).toBe('left');
	});
});
