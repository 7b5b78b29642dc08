/**
 * Pane sizes for a terminal size. The whole screen stays one row shorter
 * than the terminal (Ink clears and redraws everything once output reaches
 * the full height: flicker). Below 80×24 the monitor shows one line saying
 * so instead of a broken layout.
 */
import {phaseListWidth} from './freeze-progress.js';

export const minColumns = 80;
export const minRows = 24;

export type Layout = {
	columns: number;
	rows: number;
	tooSmall: boolean;
	/** Pane borders cost two rows each: short terminals go without. */
	border: boolean;
	/** Rows a pane spends on its border (0 or 2). */
	frame: number;
	phasesWidth: number;
	countdownWidth: number;
	topHeight: number;
	devicesHeight: number;
	logHeight: number;
};

export function layout(columns: number, rows: number): Layout {
	const usable = Math.max(rows - 1, 10);
	const border = rows >= 30 && columns >= 100;
	const frame = border ? 2 : 0;
	const topHeight = 10 + frame; // title + 9 phases
	const chrome = 3; // status bar + warning line + key hints
	const rest = Math.max(6, usable - topHeight - chrome);
	const devicesHeight = Math.max(4 + frame, Math.min(Math.floor(rest * 0.4), 24));
	// The phase list gets what it needs to show every label, status, time and count; the rest goes to the quiesce pane (up to 60).
	const phasesWidth = Math.max(phaseListWidth + (border ? 4 : 1), Math.min(phaseListWidth + (border ? 4 : 1) + 24, columns - 60));
	return {
		columns,
		rows,
		tooSmall: columns < minColumns || rows < minRows,
		border,
		frame,
		phasesWidth: Math.min(phasesWidth, columns - 24),
		countdownWidth: columns - Math.min(phasesWidth, columns - 24),
		topHeight,
		devicesHeight,
		logHeight: Math.max(2 + frame, rest - devicesHeight),
	};
}
