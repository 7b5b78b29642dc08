import {Box, Text} from 'ink';
import {formatStamp} from '../kernel/log-format.js';
import {escapeControls} from '../escape.js';
import {color} from './theme.js';

export type StatusBarProps = {
	source: string;
	kernel?: string;
	positionUs: number;
	speed: number;
	paused: boolean;
	ended: boolean;
	slowMotion: boolean;
	inSlowMotion: boolean;
	width: number;
	cycle?: {k: number; n: number};
	/** Idle gaps compressed to this many µs (replays). */
	idleLimitUs?: number;
};

export function StatusBar(props: StatusBarProps) {
	const state = props.ended ? 'ENDED' : props.paused ? 'PAUSED' : 'PLAYING';
	const speed = `${props.speed}×`;
	const cycle = props.cycle && props.cycle.n > 0 ? ` · cycle ${props.cycle.k} of ${props.cycle.n}` : '';
	return (
		<Box width={props.width}>
			<Text wrap="truncate">
				{props.width >= 100 ? (
					<Text bold color={color('cyan')}>
						quiesce{' '}
					</Text>
				) : null}
				<Text bold color={color(props.paused || props.ended ? 'yellow' : 'green')}>{state}</Text> {props.width >= 100 ? formatStamp(props.positionUs) : formatStamp(props.positionUs).replace(/[[\]\s]/g, '')} {speed}
				{props.inSlowMotion ? ' (SLOW MOTION)' : ''}
				{cycle}
				{props.kernel ? ` · kernel ${escapeControls(props.kernel)}` : ''} · {escapeControls(props.source)}
				{props.idleLimitUs === undefined ? '' : ` · idle gaps > ${props.idleLimitUs / 1_000_000} s skipped`}
				{props.slowMotion ? '' : ' · slow-mo off'}
				{props.width >= 100 ? <Text color={color('gray')}> · read-only</Text> : null}
			</Text>
		</Box>
	);
}
