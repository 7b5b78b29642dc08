/**
 * Pane sizes for a terminal size. The whole screen stays one row shorter
 * than the terminal (Ink clears and redraws everything once output reaches
 * the full height: flicker).
 */
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
	const border = rows >= 30;
	const frame = border ? 2 : 0;
	const topHeight = 10 + frame; // title + 9 phases
	const chrome = 3; // status bar + warning line + key hints
	const rest = Math.max(6, usable - topHeight - chrome);
	const devicesHeight = Math.max(3 + frame, Math.min(Math.floor(rest * 0.4), 16));
	const countdownWidth = Math.max(34, Math.min(48, Math.floor(columns * 0.42)));
	return {
		columns,
		rows,
		tooSmall: columns < minColumns || rows < minRows,
		border,
		frame,
		phasesWidth: columns - countdownWidth,
		countdownWidth,
		topHeight,
		devicesHeight,
		logHeight: Math.max(2 + frame, rest - devicesHeight),
	};
}
