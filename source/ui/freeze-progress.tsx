import {Box, Text} from 'ink';
import type {Cycle, MonitorState} from '../monitor/state.js';
import {phaseRows, type Evidence} from '../monitor/selectors.js';
import {fit} from './format.js';
import {color} from './theme.js';

const cycleTitle: Record<Cycle['kind'], string> = {
	'fwa-quiesce': 'firmware activation (quiesce)',
	'fwa-live': 'firmware activation (live)',
	suspend: 'suspend',
	hibernate: 'hibernation',
	freeze: 'freeze cycle',
};

/** Width the phase list needs to show every label, status, time and count uncut. */
export const phaseListWidth = 2 + 27 + 1 + 8 + 1 + 8 + 1 + 7;

export function FreezeProgress({state, nowUs, width, height, border = true, evidence}: {state: MonitorState; nowUs: number; width: number; height: number; border?: boolean; evidence?: Evidence}) {
	const cycle = state.cycle;
	const inner = width - (border ? 4 : 1);
	const rows = phaseRows(state, nowUs, evidence);
	const labelWidth = Math.max(12, Math.min(27, inner - 28));
	// Room left after the label, status and time: the count, then its words when they fit.
	const countWidth = Math.max(0, inner - labelWidth - 2 - 9 - 9);
	return (
		<Box flexDirection="column" borderStyle={border ? 'round' : undefined} width={width} height={height} paddingX={border ? 1 : 0}>
			<Text bold wrap="truncate">
				Phases{cycle ? ` — ${cycleTitle[cycle.kind]}${cycle.detail ? ` (${cycle.detail})` : ''}` : ''}
				{cycle?.status === 'failed' ? ' — FAILED' : cycle?.status === 'ok' ? ' — ended' : ''}
			</Text>
			{cycle ? (
				rows.map(p => {
					const count = p.progress.length <= countWidth ? p.progress : p.progress.split(' ')[0] ?? '';
					return (
						<Text key={p.id} wrap="truncate">
							<Text color={color(p.tone)}>
								{p.mark} {fit(p.label, labelWidth)} {fit(p.status, 8)}
							</Text>
							{/* Unstyled: plain text in the row, not a Text of its own (the same characters, one node fewer per row). */}
							{` ${fit(p.elapsed, 8)} ${count}`}
						</Text>
					);
				})
			) : (
				<Text color={color('gray')}>no freeze cycle yet</Text>
			)}
		</Box>
	);
}
