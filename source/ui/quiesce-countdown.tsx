import {Box, Text} from 'ink';
import type {Cycle, Quiesce} from '../monitor/state.js';
import {bar, bigDigits, duration} from './format.js';
import {budgetLevel, color} from './theme.js';

export type QuiesceCountdownProps = {quiesce: Quiesce; cycle?: Cycle; nowUs: number; width: number; height: number; border?: boolean};

/** µs of the memory quiesce elapsed at `nowUs` (it advances smoothly between events). */
export function quiesceElapsed(q: Quiesce, nowUs: number): number | undefined {
	if (q.startUs === undefined || q.stallUs === undefined) return undefined;
	if (q.state === 'done') return q.stallUs;
	return Math.round(Math.max(0, Math.min(q.stallUs, nowUs - q.startUs)));
}

export function QuiesceCountdown({quiesce: q, cycle, nowUs, width, height, border = true}: QuiesceCountdownProps) {
	const elapsed = quiesceElapsed(q, nowUs);
	const budget = q.budgetUs ?? 0;
	const level = budgetLevel(elapsed ?? q.estimateUs ?? 0, budget);
	const digits = bigDigits(String(elapsed ?? 0).padStart(3, ' '));
	const frozenFrom = cycle?.userFrozenFromUs;
	const frozen = frozenFrom === undefined ? undefined : (cycle?.userFrozenToUs ?? nowUs) - frozenFrom;
	const live = q.method === 'live' || cycle?.kind === 'fwa-live';
	let title = 'Memory quiesce';
	if (q.state === 'running') title += ' — STALLED';
	else if (q.state === 'done') title += ' — complete';
	else if (q.state === 'refused') title += ' — REFUSED';
	return (
		<Box flexDirection="column" borderStyle={border ? 'round' : undefined} width={width} height={height} paddingX={border ? 1 : 0} paddingLeft={1}>
			<Text bold wrap="truncate">
				{title} <Text color={color(level.color)}>[{q.state === 'refused' ? 'CRIT' : level.label}]</Text>
			</Text>
			{digits.map((row, i) => (
				<Text key={i} color={color(q.state === 'idle' ? 'gray' : level.color)} wrap="truncate">
					{row}
					{i === 0 ? ' µs' : i === 1 ? ` of ${budget || '?'} µs` : ''}
				</Text>
			))}
			<Text wrap="truncate" color={color(level.color)}>
				{bar(budget > 0 ? (elapsed ?? 0) / budget : 0, Math.max(10, width - 12))} {budget > 0 ? `${Math.round(((elapsed ?? 0) / budget) * 100)} %` : ''}
			</Text>
			<Text wrap="truncate">
				{q.state === 'refused'
					? 'platform refused: nothing activated'
					: elapsed === undefined
						? `${q.estimateUs === undefined ? '' : `estimate ${q.estimateUs} µs · `}budget ${budget || '?'} µs`
						: `${Math.max(0, budget - elapsed)} µs of budget left`}
			</Text>
			{live ? (
				<Text bold color={color('red')} wrap="truncate">
					LIVE: no freeze protects the system
				</Text>
			) : (
				<Text wrap="truncate">
					User space frozen: <Text bold>{frozen === undefined ? '—' : duration(frozen)}</Text>
					{cycle?.userFrozenToUs === undefined && frozen !== undefined ? ' and counting' : ''}
				</Text>
			)}
			{q.forceIdle !== undefined ? <Text color={color('gray')} wrap="truncate">{q.forceIdle ? 'platform force-idles I/O (noidle=N)' : 'OS idle trusted (noidle=Y)'}</Text> : null}
		</Box>
	);
}
