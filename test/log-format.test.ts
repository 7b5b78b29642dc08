/**
 * The simulator's log lines must be lines a real kernel prints: every one
 * has the shape of a line in the real traces (fixtures/traces), and a run's
 * sequence matches the kernel/ formatters for its era, line for line.
 */
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import * as fmt from '../source/kernel/log-format.js';
import {kernelIds, kernelProfiles} from '../source/kernel/profiles.js';
import {fixturesDir} from '../source/paths.js';
import {realMessages, shape} from './helpers/shape.js';
import {logs, simulate} from './helpers/sim.js';

const real = new Set([...realMessages(fixturesDir('traces'))].map(m => shape(m)));

/**
 * Lines no public trace holds (SOURCES.md: no real dmesg of this path
 * exists), each checked against the kernel source instead.
 */
const notInPublicTraces = [
	// drivers/pci/pcie/aer.c aer_print_error(); no AER report is among the traces.
	/AER: Uncorrected \(Non-Fatal\) error received/,
	/PCIe Bus Error: severity=/,
	/error status\/mask=/,
	/\[#\] CmpltTO/,
	// 5.10 sched_show_task() header (the traces have 3.x and 6.17 ones).
	/^task:<comm> state:D stack: # pid: ?# ppid: ?# flags:<hex>$/,
	// 6.6 header: left-aligned, before tgid was added.
	/^task:<comm> state:D stack:# pid:# ppid:# flags:<hex>$/,
	// x86 stack frames of the dump.
	/^ <sym>$/,
	/^ (?:<TASK>|<\/TASK>)$/,
	// dpm_prepare() refusal and the 6.x device-prefixed report lines.
	/not prepared for power transition: code -#$/,
	/^<dev>: PM: (?:dpm_run_callback|pci_pm_<cb>|device_prepare)\(\): <sym> returns -#$/,
	/^PM: device_prepare\(\): <sym> returns -#$/,
	/^<dev>: PM: failed to <verb>(?: async)?(?: late| noirq| early)?: error -#$/,
	/^PM: (?:early|noirq) recover of devices complete after #\.# msecs$/,
	/^PM: (?:(?:late|noirq|end) )?<verb> of devices aborted after #\.# msecs$/,
	// "ACPI: PM: " prefix (≈5.12+): the 6.1 trace shows it on "ACPI: PM: (supports S0 S3 S4 S5)".
	/^ACPI: PM: (?:Preparing to enter|Waking up from) system sleep state <state>$/,
	/^PM: end <verb> of devices complete after #\.# msecs$/,
	// The 5.x pr_cont fragment flushed by a failing freeze, and pr_err("\n").
	/^Freezing <what> \.\.\. $/,
	/^$/,
];

function unexplained(kernel: (typeof kernelIds)[number], scenario: string): string[] {
	const sim = simulate(scenario, 7, kernel);
	return logs(sim.timeline)
		.map(l => l.text)
		.filter(text => !real.has(shape(text)) && !notInPublicTraces.some(re => re.test(shape(text))));
}

describe('every simulated line has the shape of a real kernel line', () => {
	const scenarios = ['default', 'task-wont-freeze', 'kthread-wont-freeze', 'device-freeze-error', 'device-late-error', 'device-noirq-error', 'device-prepare-error', 'rdma-dma-during-quiesce', 'overflow'];
	for (const kernel of kernelIds) {
		it.each(scenarios)(`kernel ${kernel}: %s`, scenario => {
			expect(unexplained(kernel, scenario)).toEqual([]);
		});
	}

	it('the real traces hold the core lines of each era', () => {
		// Sanity of the oracle itself: these come from real machines.
		for (const [kernel, what] of [['5.10', 'remaining freezable tasks'], ['6.6', 'user space processes']] as const) {
			const k = kernelProfiles[kernel];
			expect(real.has(shape(fmt.freezingDone(k, what, 3).text))).toBe(true);
		}

		expect(real.has(shape(fmt.restartingTasks(kernelProfiles['6.17'])[0]!.text))).toBe(true);
		expect(real.has(shape(fmt.dpmShowTime('', 'freeze', false, 15_186).text))).toBe(true);
		expect(real.has(shape(fmt.taskHeader(kernelProfiles['6.17'], {comm: 'btrfs', state: 'D', pid: 15_156, tgid: 15_155, ppid: 4043, taskFlags: 0x44_01_40, flags: 0x40_06, stack: []})))).toBe(true);
	});
});

describe('a default run prints, line for line, what kernel/ formats for its era', () => {
	for (const kernel of ['5.10', '6.6', '6.17'] as const) {
		it(`kernel ${kernel}, pm_debug_messages on`, () => {
			const k = kernelProfiles[kernel];
			const texts = logs(simulate('default', 3, kernel).timeline).map(l => shape(l.text));
			const expected = [
				...(k.freezer === 'split' ? [fmt.freezingStart(k, 'user space processes')] : []),
				fmt.freezingDone(k, 'user space processes', 2),
				fmt.oomKillerDisabled(),
				...(k.freezer === 'split' ? [fmt.freezingStart(k, 'remaining freezable tasks')] : []),
				fmt.freezingDone(k, 'remaining freezable tasks', 1),
				fmt.suspendingConsoles(),
				fmt.dpmShowTime('', 'freeze', false, 128_442),
				fmt.dpmShowTime('late', 'freeze', false, 911),
				fmt.dpmShowTime('noirq', 'freeze', false, 3082),
				fmt.dpmShowTime('end', 'freeze', false, 4120),
				fmt.acpiPreparing(k),
				fmt.acpiWaking(k),
				fmt.dpmShowTime('noirq', 'thaw', false, 2764),
				fmt.dpmShowTime('early', 'thaw', false, 655),
				fmt.dpmShowTime('', 'thaw', false, 96_318),
				fmt.restartingKernelThreads(),
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
