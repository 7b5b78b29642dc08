/**
 * The device timeline as terminal rows, for the monitor's view: the cycle on
 * screen (the one around the playback position), the phase whose callbacks
 * ran last before that position, one row per callback started so far with a
 * bar on that phase's time axis. Pure: tested without a terminal.
 */
import type {CycleTimeline, DeviceCallback, DeviceTimeline} from './device-timeline.js';
import {deviceLabel, safe} from './report.js';

export type TimelineSort = 'start' | 'time';

export type TimelineRow = {key: string; label: string; bar: string; usecs: string; tone?: 'red' | 'yellow' | 'cyan'; mark: string};

export type TimelineView = {
	title: string;
	axis: string;
	rows: TimelineRow[];
	cycle?: CycleTimeline;
	phase?: string;
};

/** The cycle around `positionUs`: the last one that started at or before it, else the first. */
export function cycleAt(timeline: DeviceTimeline, positionUs: number): CycleTimeline | undefined {
	let found: CycleTimeline | undefined;
	for (const c of timeline.cycles) if (c.startUs <= positionUs) found = c;
	return found ?? timeline.cycles[0];
}

function markOf(c: DeviceCallback, running: boolean): {mark: string; tone?: TimelineRow['tone']} {
	if (c.status === 'failed') return {mark: '✗', tone: 'red'};
	if (running || c.status === 'unfinished') return {mark: '…', tone: 'yellow'};
	if (c.async) return {mark: '∥', tone: 'cyan'};
	return {mark: ' '};
}

/**
 * Rows for a box `width` columns wide. Bars: `█` sync, `▓` async, `!` failed,
 * `?` running or never returned — so the meaning survives NO_COLOR.
 */
export function timelineView(timeline: DeviceTimeline, positionUs: number, width: number, sort: TimelineSort): TimelineView {
	const cycle = cycleAt(timeline, positionUs);
	if (!cycle) return {title: 'Device timeline: no cycle in this log', axis: '', rows: []};
	const started = cycle.callbacks.filter(c => c.startUs <= positionUs);
	const last = started.reduce<DeviceCallback | undefined>((a, c) => (!a || c.startUs >= a.startUs ? c : a), undefined);
	const phaseName = last?.phase;
	const phase = cycle.phases.find(p => p.name === phaseName);
	const shown = started.filter(c => c.phase === phaseName);
	const total = cycle.callbacks.filter(c => c.phase === phaseName).length;
	const phases = cycle.phases.map(p => (p.name === phaseName ? `[${p.name}]` : p.name)).join(' ');
	const failed = cycle.callbacks.filter(c => c.status === 'failed' || c.status === 'unfinished').length;
	const title = `Device timeline — cycle ${cycle.index}/${timeline.cycles.length} (${cycle.kind})${cycle.failed ? ' FAILED' : ''} · ${cycle.callbacks.length === 0 ? 'no callback lines' : `${phases} · ${shown.length}/${total} shown${failed ? ` · ${failed} failed/never returned` : ''}`}`;
	if (!phase || shown.length === 0) return {title, axis: '', rows: [], cycle};

	const labelWidth = Math.max(10, Math.min(30, Math.floor(width * 0.3)));
	const usecsWidth = 9;
	const barWidth = Math.max(10, width - labelWidth - usecsWidth - 4);
	const t0 = phase.startUs;
	let end = phase.endUs;
	for (const c of shown) end = Math.max(end, c.status === 'unfinished' ? Math.min(c.endUs, positionUs) : c.endUs);
	const span = Math.max(1, end - t0);
	const col = (t: number) => Math.max(0, Math.min(barWidth - 1, Math.floor(((t - t0) / span) * barWidth)));
	const ordered = sort === 'time' ? [...shown].sort((a, b) => Number(b.status === 'failed' || b.status === 'unfinished') - Number(a.status === 'failed' || a.status === 'unfinished') || (b.usecs ?? Infinity) - (a.usecs ?? Infinity)) : shown;
	const rows = ordered.map((c, i): TimelineRow => {
		const running = c.endUs > positionUs;
		const endAt = running ? positionUs : c.endUs;
		const from = col(c.startUs);
		const to = Math.max(from, col(endAt));
		const glyph = c.status === 'failed' ? '!' : running || c.status === 'unfinished' ? '?' : c.async ? '▓' : '█';
		const bar = `${' '.repeat(from)}${glyph.repeat(to - from + 1)}`.padEnd(barWidth, ' ');
		const {mark, tone} = markOf(c, running);
		const label = safe(deviceLabel(c));
		const fitted = label.length <= labelWidth ? label.padEnd(labelWidth) : `${label.slice(0, labelWidth - 1)}…`;
		const usecs = running || c.usecs === undefined ? (c.status === 'failed' ? `rc ${c.rc}` : 'running') : c.status === 'failed' ? `rc ${c.rc}` : `${c.usecs} µs`;
		const row: TimelineRow = {key: `${c.line}:${i}`, label: fitted, bar, usecs: usecs.padStart(usecsWidth), mark};
		if (tone) row.tone = tone;
		return row;
	});
	const axis = `${phase.name} ${(span / 1000).toFixed(3)} ms${phase.kernelUsecs === undefined ? '' : ` (kernel: ${(phase.kernelUsecs / 1000).toFixed(3)} ms)`} · sort: ${sort === 'start' ? 'by start' : 'slowest first'}`;
	return {title, axis, rows, cycle, phase: phase.name};
}
