import {Box, Text} from 'ink';
import {memo, useMemo} from 'react';
import type {DeviceView, DimmView} from '../monitor/state.js';
import {countBy} from '../monitor/summary.js';
import {fit} from './format.js';
import {color} from './theme.js';

export type DeviceRow = {key: string; text: string; tone?: 'red' | 'yellow' | 'green' | 'gray'};

function counts(values: Array<string | undefined>): string {
	return Object.entries(countBy(values)).map(([k, n]) => `${n} ${k}`).join(', ');
}

/** All rows of the device list (DIMMs first); the pane shows a window of them. */
export function deviceRows(dimms: Record<string, DimmView>, devices: Record<string, DeviceView>): DeviceRow[] {
	const rows: DeviceRow[] = [];
	const dimmList = Object.values(dimms).sort((a, b) => Number(a.name.slice(4)) - Number(b.name.slice(4)));
	for (const d of dimmList) {
		const fw = d.current === undefined ? '' : `${d.current ?? '?'}${d.next ? ` → ${d.next}` : ''}`;
		const tone = d.result === 'fail' ? 'red' : d.result === 'need_reset' || d.result === 'not_staged' ? 'yellow' : d.result === 'success' ? 'green' : undefined;
		rows.push({key: d.name, text: `${d.name.padEnd(7)} ${fit(fw, 32)} ${fit(d.activate ?? '—', 8)} ${d.result ?? '—'}`, tone});
	}

	for (const d of Object.values(devices)) {
		const dma = d.dmaInflight === undefined ? '' : ` · DMA ${d.dmaInflight} in flight${d.completionTimeoutUs === undefined ? '' : `, CTO ${d.completionTimeoutUs} µs`}`;
		const errors = d.errors.length > 0 ? ` · ERR ${d.errors.at(-1)}` : '';
		rows.push({key: d.name, text: `${fit(d.name, 30)} ${fit(d.pm, 14)}${dma}${errors}`, tone: d.errors.length > 0 || d.dmaTimedOut ? 'red' : d.dmaInflight ? 'yellow' : undefined});
	}

	return rows;
}

function DevicesPane({dimms, devices, width, height, scroll, border = true}: {dimms: Record<string, DimmView>; devices: Record<string, DeviceView>; width: number; height: number; scroll: number; border?: boolean}) {
	const rows = useMemo(() => deviceRows(dimms, devices), [dimms, devices]);
	const visible = Math.max(1, height - (border ? 3 : 1));
	const first = Math.max(0, Math.min(scroll, rows.length - visible));
	const dimmList = Object.values(dimms);
	const deviceList = Object.values(devices);
	const summary = [
		dimmList.length > 0 ? `DIMMs ${dimmList.length}: ${counts(dimmList.map(d => d.activate))}; results ${counts(dimmList.map(d => d.result))}` : 'no DIMMs seen',
		deviceList.length > 0 ? `devices ${deviceList.length}: ${counts(deviceList.map(d => d.pm))}${deviceList.some(d => d.errors.length > 0) ? `; ${deviceList.filter(d => d.errors.length > 0).length} with errors` : ''}` : '',
	].filter(Boolean).join(' · ');
	return (
		<Box flexDirection="column" borderStyle={border ? 'round' : undefined} width={width} height={height} paddingX={border ? 1 : 0}>
			<Text bold wrap="truncate">
				Devices <Text color={color('gray')}>({rows.length === 0 ? 'none' : `${first + 1}–${Math.min(rows.length, first + visible)} of ${rows.length}, ↑/↓`})</Text> {summary}
			</Text>
			{rows.slice(first, first + visible).map(row => (
				<Text key={row.key} color={color(row.tone)} wrap="truncate">
					{row.text}
				</Text>
			))}
		</Box>
	);
}

/** Re-rendered only when the DIMMs or devices change (the reducer keeps them by identity). */
export const Devices = memo(DevicesPane);
