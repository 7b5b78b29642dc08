/**
 * A device that failed in one cycle is no damage of the next: the outcome of a later clean cycle
 * of the same log is "completed", and the earlier cycle keeps its failure.
 * Lines in the 5.12+ wording (drivers/base/power/main.c dpm_suspend(): "PM: failed to suspend
 * async: error %d" via dev_err; kernel/power/suspend.c: "Some devices failed to suspend, or early
 * wake event detected").
 */
import {describe, expect, it} from 'vitest';
import {reduce} from '../source/monitor/reducer.js';
import {collateralDamage, outcome} from '../source/monitor/selectors.js';
import {initialState} from '../source/monitor/state.js';
import {parseLogText} from '../source/trace/log-parser.js';

const failing = [
	'[  100.000000] PM: suspend entry (deep)',
	'[  100.010000] Filesystems sync: 0.010 seconds',
	'[  100.020000] Freezing user space processes ... (elapsed 0.001 seconds) done.',
	'[  100.021000] OOM killer disabled.',
	'[  100.022000] Freezing remaining freezable tasks ... (elapsed 0.001 seconds) done.',
	'[  100.100000] xhci_hcd 0000:00:14.0: PM: failed to suspend async: error -16',
	'[  100.200000] PM: Some devices failed to suspend, or early wake event detected',
	'[  100.300000] OOM killer enabled.',
	'[  100.301000] Restarting tasks ... done.',
	'[  100.400000] PM: suspend exit',
];

const clean = [
	'[  200.000000] PM: suspend entry (deep)',
	'[  200.010000] Filesystems sync: 0.010 seconds',
	'[  200.020000] Freezing user space processes ... (elapsed 0.001 seconds) done.',
	'[  200.021000] OOM killer disabled.',
	'[  200.022000] Freezing remaining freezable tasks ... (elapsed 0.001 seconds) done.',
	'[  200.023000] printk: Suspending console(s) (use no_console_suspend to debug)',
	'[  200.300000] OOM killer enabled.',
	'[  200.301000] Restarting tasks ... done.',
	'[  200.400000] PM: suspend exit',
];

function replay(lines: string[]) {
	let state = initialState();
	for (const event of parseLogText(lines.join('\n') + '\n', 'test.log').events) state = reduce(state, event);
	return state;
}

describe('device errors belong to their cycle', () => {
	it('the failing cycle fails, naming the device', () => {
		const state = replay(failing);
		expect(outcome(state).kind).toBe('failed');
		expect(outcome(state).line).toMatch(/0000:00:14\.0/);
	});

	it('a clean cycle after it is completed, with no damage carried over', () => {
		const state = replay([...failing, ...clean]);
		expect(state.cycles.map(c => c.status)).toEqual(['failed']);
		expect(state.cycle?.status).toBe('ok');
		expect(outcome(state)).toMatchObject({kind: 'completed', word: 'DONE', damage: []});
		expect(collateralDamage(state)).toEqual([]);
		// The devices pane still lists the device's error (history), the cycle it was in is the first.
		expect(state.devices['xhci_hcd 0000:00:14.0']?.errors.at(-1)).toMatch(/error -16/);
	});
});
