/**
 * The device-timeline view of the monitor (key `t`): the cycle on screen,
 * one row per device callback of the current phase, bars on the phase's time
 * axis (async ones `▓` and parallel, failed `!`, running or never returned
 * `?`), scrollable with ↑/↓, sorted by start or slowest first (key `o`).
 */
import {Box, Text} from 'ink';
import {memo} from 'react';
import type {DeviceTimeline} from '../timeline/device-timeline.js';
import {timelineView, type TimelineSort} from '../timeline/terminal-view.js';
import {color} from './theme.js';

export type DeviceTimelinePaneProps = {timeline: DeviceTimeline; positionUs: number; width: number; height: number; scroll: number; sort: TimelineSort; border?: boolean};

function DeviceTimelinePane({timeline, positionUs, width, height, scroll, sort, border = true}: DeviceTimelinePaneProps) {
	const inner = width - (border ? 4 : 0);
	const view = timelineView(timeline, positionUs, inner, sort);
	const visible = Math.max(1, height - (border ? 4 : 2));
	const first = Math.max(0, Math.min(scroll, view.rows.length - visible));
	return (
		<Box flexDirection="column" borderStyle={border ? 'round' : undefined} width={width} height={height} paddingX={border ? 1 : 0}>
			<Text bold wrap="truncate">
				{view.title}
			</Text>
			<Text color={color('gray')} wrap="truncate">
				{view.rows.length > visible ? `${first + 1}–${Math.min(view.rows.length, first + visible)} of ${view.rows.length} ↑/↓ · ` : ''}
				{view.axis || (view.cycle && view.cycle.callbacks.length === 0 ? 'no per-device callback lines in this cycle (echo 1 > /sys/power/pm_print_times)' : 'no callback of this cycle has started yet at this position')}
			</Text>
			{view.rows.slice(first, first + visible).map(row => (
				<Text key={row.key} wrap="truncate">
					<Text color={color(row.tone)}>{row.mark}</Text> {row.label} <Text color={color(row.tone)}>{row.bar}</Text> {row.usecs}
				</Text>
			))}
		</Box>
	);
}

export const DeviceTimelineView = memo(DeviceTimelinePane);
