import {Box, Text} from 'ink';
import type {Cycle} from '../monitor/state.js';
import {color, phaseColor, phaseMark} from './theme.js';
import {duration, fit} from './format.js';

const cycleTitle: Record<Cycle['kind'], string> = {
	'fwa-quiesce': 'firmware activation (quiesce)',
	'fwa-live': 'firmware activation (live: no freeze)',
	suspend: 'suspend',
	hibernate: 'hibernation',
	freeze: 'freeze cycle',
};

export function FreezeProgress({cycle, nowUs, width, height, border = true}: {cycle?: Cycle; nowUs: number; width: number; height: number; border?: boolean}) {
	const inner = width - (border ? 4 : 1);
	return (
		<Box flexDirection="column" borderStyle={border ? 'round' : undefined} width={width} height={height} paddingX={border ? 1 : 0}>
			<Text bold wrap="truncate">
				Freeze progress{cycle ? ` — ${cycleTitle[cycle.kind]}${cycle.detail ? ` (${cycle.detail})` : ''}` : ''}
				{cycle?.status === 'failed' ? ' — FAILED' : cycle?.status === 'ok' ? ' — done' : ''}
			</Text>
			{cycle ? (
				cycle.phases.map(p => {
					const elapsed = p.startUs === undefined ? '' : duration((p.endUs ?? nowUs) - p.startUs);
					const progress = p.progress ? `${p.progress.done}${p.progress.total === undefined ? '' : `/${p.progress.total}`} ${p.progress.what}` : '';
					const label = fit(p.label, Math.min(28, Math.max(12, inner - 34)));
					return (
						<Text key={p.id} wrap="truncate">
							<Text color={color(phaseColor[p.status])}>{phaseMark[p.status]} {label} {fit(p.status.toUpperCase(), 8)}</Text>
							<Text> {fit(elapsed, 9)} {progress}</Text>
						</Text>
					);
				})
			) : (
				<Text color={color('gray')}>no freeze cycle yet</Text>
			)}
		</Box>
	);
}
