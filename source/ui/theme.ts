/**
 * Colours, with meaning always carried by text too (OK/WARN/CRIT, status
 * words), so the monitor reads the same without colour (NO_COLOR) and on a
 * light background (no white or black foregrounds, no backgrounds).
 */
import process from 'node:process';
import type {PhaseStatus} from '../monitor/state.js';

export const colorEnabled = !('NO_COLOR' in process.env && process.env['NO_COLOR'] !== '') || Boolean(process.env['FORCE_COLOR']);

type Color = 'green' | 'yellow' | 'red' | 'cyan' | 'blue' | 'magenta' | 'gray';

export function color(c: Color | undefined): Color | undefined {
	return colorEnabled ? c : undefined;
}

export const phaseColor: Record<PhaseStatus, Color | undefined> = {
	pending: 'gray',
	running: 'cyan',
	done: 'green',
	failed: 'red',
	unwound: 'yellow',
	skipped: 'gray',
};

export const phaseMark: Record<PhaseStatus, string> = {
	pending: '·',
	running: '▶',
	done: '✓',
	failed: '✗',
	unwound: '↺',
	skipped: '-',
};

/** OK / WARN / CRIT for a fraction of a budget used. */
export function budgetLevel(used: number, budget: number): {label: 'OK' | 'WARN' | 'CRIT'; color: Color} {
	const fraction = budget > 0 ? used / budget : 0;
	if (fraction >= 0.9) return {label: 'CRIT', color: 'red'};
	if (fraction >= 0.7) return {label: 'WARN', color: 'yellow'};
	return {label: 'OK', color: 'green'};
}

export const levelColor: Array<Color | undefined> = ['red', 'red', 'red', 'red', 'yellow', 'cyan', undefined, 'gray'];
