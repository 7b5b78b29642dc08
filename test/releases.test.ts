import {describe, expect, it} from 'vitest';
import * as fmt from '../source/kernel/log-format.js';
import {kernelIds, resolveKernel, UnknownReleaseError} from '../source/kernel/profiles.js';
import {behaviourChanges, behaviourIds, parseRelease} from '../source/kernel/releases.js';
import {scenarioSchema} from '../source/sim/scenario-schema.js';

describe('kernel releases resolve to behaviour changes', () => {
	it('accepts the named releases and X.Y.Z of a supported series; a bare series is its newest stable', () => {
		for (const id of kernelIds) expect(() => resolveKernel(id)).not.toThrow();
		expect(parseRelease('6.6.94')).toEqual([6, 6, 94]);
		expect(parseRelease('v6.1.15')).toEqual([6, 1, 15]);
		expect(parseRelease('6.1')).toEqual([6, 1, 192]);
		expect(resolveKernel('6.1').release).toBe('6.1.0-56-amd64');
	});

	it('refuses an unknown release with the list of accepted ones', () => {
		for (const bad of ['4.4', '6.3', '7', 'latest', '6.6.x']) {
			expect(() => resolveKernel(bad)).toThrow(UnknownReleaseError);
			expect(() => resolveKernel(bad)).toThrow(/accepted: 5\.10, 6\.1, 6\.6\.30, 6\.6\.94, 6\.12, 6\.17/);
		}

		expect(scenarioSchema.safeParse({description: 'x', kernel: '6.3', dimms: {count: 1}}).success).toBe(false);
	});

	it('6.6 prints no dpm timing lines in hibernation from cdb8c100d8a4 until the 6.6.94 backport of 1b17d4525bca', () => {
		expect(resolveKernel('6.1.100').dpmDebugInQuietExec).toBe(true); // before 6.6: printed
		expect(resolveKernel('6.6.0').dpmDebugInQuietExec).toBe(false);
		expect(resolveKernel('6.6.93').dpmDebugInQuietExec).toBe(false);
		expect(resolveKernel('6.6.94').dpmDebugInQuietExec).toBe(true);
		expect(resolveKernel('6.12.33').dpmDebugInQuietExec).toBe(false);
		expect(resolveKernel('6.12.34').dpmDebugInQuietExec).toBe(true);
		expect(resolveKernel('6.17').dpmDebugInQuietExec).toBe(true);
	});

	it('6.1 stable got the split freezer lines (6.1.15) but not the refined failure line', () => {
		expect(resolveKernel('6.1.14').freezer).toBe('cont');
		expect(resolveKernel('6.1.15').freezer).toBe('split');
		expect(resolveKernel('6.1').freezeFailure).toBe('of-tasks');
		expect(resolveKernel('6.12').freezeFailure).toBe('what');
	});

	it('5.10, 6.6 and 6.17 print a failing async noirq callback as each of them does', () => {
		const dev = {driver: 'nvme', name: '0000:5e:00.0'};
		expect(fmt.pmDevErr(resolveKernel('5.10'), dev, 'freeze', 'noirq', true, -16).text).toBe('PM: Device 0000:5e:00.0 failed to freeze async: error -16');
		expect(fmt.pmDevErr(resolveKernel('6.6.30'), dev, 'freeze', 'noirq', true, -16).text).toBe('nvme 0000:5e:00.0: PM: failed to freeze async: error -16');
		expect(fmt.pmDevErr(resolveKernel('6.6.30'), dev, 'freeze', 'noirq', false, -16).text).toBe('nvme 0000:5e:00.0: PM: failed to freeze noirq: error -16');
		expect(fmt.pmDevErr(resolveKernel('6.17'), dev, 'freeze', 'noirq', true, -16).text).toBe('nvme 0000:5e:00.0: PM: failed to freeze async noirq: error -16');
		expect(fmt.callingCallback(resolveKernel('6.17'), dev, 'pci_pm_freeze', 1, '0000:5d:00.0').text).toBe('nvme 0000:5e:00.0: PM: calling pci_pm_freeze @ 1, parent: 0000:5d:00.0');
		expect(fmt.callingCallback(resolveKernel('6.6.94'), dev, 'pci_pm_freeze', 1, '0000:5d:00.0').text).toBe('nvme 0000:5e:00.0: PM: calling pci_pm_freeze+0x0/0xe0 @ 1, parent: 0000:5d:00.0');
		expect(fmt.restartingKernelThreads(resolveKernel('6.17')).map(r => r.text)).toEqual(['Restarting kernel threads ...', 'Done restarting kernel threads.']);
		expect(fmt.acpiSavingNvs(resolveKernel('5.10')).text).toBe('PM: Saving platform NVS memory');
	});

	it('every row of the table names a subject, a first release and is used by a profile flag', () => {
		expect(behaviourChanges.map(c => c.id)).toEqual([...behaviourIds]);
		for (const change of behaviourChanges) {
			expect(change.subject.length).toBeGreaterThan(10);
			expect(change.since[0]).toBeGreaterThanOrEqual(5);
		}
	});
});
