/**
 * A run's sequence matches the kernel/ formatters for its release, line for
 * line (the fidelity test checks those formatters against real logs).
 */
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import * as fmt from '../source/kernel/log-format.js';
import {kernelIds, resolveKernel} from '../source/kernel/profiles.js';
import {fixturesDir} from '../source/paths.js';
import {shape} from './helpers/shape.js';
import {logs, simulate} from './helpers/sim.js';

/** The default scenario in a release: the sequence kernel/ formats for that release. */
describe('a default run prints, line for line, what kernel/ formats for its era', () => {
	for (const kernel of kernelIds) {
		it(`kernel ${kernel}, pm_debug_messages on`, () => {
			const k = resolveKernel(kernel);
			const texts = logs(simulate('default', 3, kernel).timeline).map(l => shape(l.text));
			const dpm = (records: fmt.LogRecord[]) => (k.dpmDebugInQuietExec ? records : []);
			const expected = [
				...(k.freezer === 'split' ? [fmt.freezingStart(k, 'user space processes')] : []),
				fmt.freezingDone(k, 'user space processes', 2),
				fmt.oomKillerDisabled(),
				...(k.freezer === 'split' ? [fmt.freezingStart(k, 'remaining freezable tasks')] : []),
				fmt.freezingDone(k, 'remaining freezable tasks', 1),
				fmt.suspendingConsoles(),
				...dpm([
					fmt.dpmShowTime('', 'freeze', false, 128_442),
					fmt.dpmShowTime('late', 'freeze', false, 911),
					fmt.dpmShowTime('noirq', 'freeze', false, 3082),
					fmt.dpmShowTime('end', 'freeze', false, 4120),
				]),
				fmt.acpiPreparing(k),
				fmt.acpiSavingNvs(k),
				fmt.acpiWaking(k),
				...dpm([
					fmt.dpmShowTime('noirq', 'thaw', false, 2764),
					fmt.dpmShowTime('early', 'thaw', false, 655),
					fmt.dpmShowTime('', 'thaw', false, 96_318),
				]),
				...fmt.restartingKernelThreads(k),
				fmt.oomKillerEnabled(),
				...fmt.restartingTasks(k),
			].map(r => shape(r.text));
			expect(texts).toEqual(expected);
		});
	}

	it('with pm_debug_messages off the dpm timing lines are gone (v6.2+ transcript)', () => {
		const texts = logs(simulate('noidle', 3).timeline).map(l => l.text);
		expect(texts.some(t => t.includes('of devices complete'))).toBe(false);
		expect(texts.length).toBeGreaterThan(8);
	});

	it('timestamps print as dmesg does', () => {
		expect(fmt.formatDmesgLine(7_316_402_113, 'x')).toBe('[ 7316.402113] x');
		expect(fmt.formatDmesgLine(41_788_282, 'x')).toBe('[   41.788282] x');
		expect(fmt.formatDmesgLine(0, 'x')).toBe('[    0.000000] x');
		expect(fmt.formatDmesgLine(123_456_789_012, 'x')).toBe('[123456.789012] x');
	});

	it('pr_cont lines of the 5.10 freezer carry the stamp of their start', () => {
		const events = logs(simulate('default', 3, '5.10').timeline);
		const done = events.find(e => e.text.startsWith('Freezing user space processes ... (elapsed'));
		expect(done?.stamp).toBeDefined();
		expect(done!.t - done!.stamp!).toBeGreaterThan(0);
	});
});

describe('shape()', () => {
	it('abstracts numbers, devices, symbols and verbs but keeps the wording', () => {
		expect(shape('PM: dpm_run_callback(): pci_pm_freeze+0x0/0xc0 returns -16')).toBe(shape('PM: dpm_run_callback(): pci_pm_suspend+0x0/0x160 returns -16'));
		expect(shape('Freezing user space processes completed (elapsed 0.002 seconds)')).not.toBe(shape('Freezing user space processes failed after 20.000 seconds'));
		expect(path.basename(fixturesDir('traces'))).toBe('traces');
	});
});
