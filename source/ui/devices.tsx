import {Box, Text} from 'ink';
import {memo, useMemo} from 'react';
import {deviceHeader, deviceRows} from '../monitor/selectors.js';
import type {DeviceView, DimmView} from '../monitor/state.js';
import {countBy} from '../monitor/summary.js';
import {color} from './theme.js';

function counts(values: Array<string | undefined>): string {
	return Object.entries(countBy(values)).map(([k, n]) => `${n} ${k}`).join(', ');
}

export type DevicesProps = {dimms: Record<string, DimmView>; devices: Record<string, DeviceView>; width: number; height: number; scroll: number; border?: boolean; focused?: boolean};

/** Rows the device list shows at a pane height. */
export function deviceRowsVisible(height: number, border: boolean): number {
	return Math.max(1, height - (border ? 4 : 2));
}

function DevicesPane({dimms, devices, width, height, scroll, border = true, focused = false}: DevicesProps) {
	const rows = useMemo(() => deviceRows(dimms, devices), [dimms, devices]);
	const visible = deviceRowsVisible(height, border);
	const first = Math.max(0, Math.min(scroll, rows.length - visible));
	const shown = rows.slice(first, first + visible);
	const above = first;
	const below = Math.max(0, rows.length - first - shown.length);
	const failed = rows.filter(r => r.failed).length;
	const dimmList = Object.values(dimms);
	const summary = [
		dimmList.length > 0 ? `DIMMs ${dimmList.length}: ${counts(dimmList.map(d => d.activate))}; results ${counts(dimmList.map(d => d.result))}` : 'no DIMMs seen',
		Object.keys(devices).length > 0 ? `devices ${Object.keys(devices).length}` : '',
	].filter(Boolean).join(' · ');
	return (
		<Box flexDirection="column" borderStyle={border ? 'round' : undefined} borderColor={focused ? color('cyan') : undefined} width={width} height={height} paddingX={border ? 1 : 0}>
			<Text bold wrap="truncate">
				{focused ? '▸ ' : ''}Devices{failed > 0 ? <Text color={color('red')}> {failed} failing (top)</Text> : ''}{' '}
				<Text color={color('gray')}>
					{rows.length === 0 ? '(none)' : `(${above > 0 ? `${above} above, ` : ''}${below > 0 ? `${below} more below` : 'all shown'})`}
				</Text>{' '}
				{summary}
			</Text>
			<Text color={color('gray')} wrap="truncate">
				{deviceHeader}
			</Text>
			{shown.map(row => (
				<Text key={row.key} color={color(row.tone)} wrap="truncate">
					{row.text}
				</Text>
			))}
		</Box>
	);
}

/** Re-rendered only when the DIMMs or devices change (the reducer keeps them by identity). */
export const Devices = memo(DevicesPane);
