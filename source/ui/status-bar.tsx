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
	width: number;
	cycle?: {k: number; n: number};
	/** How time is played right now (player/pace.ts): `×0.01 slow`, `gap skipped 19.2 s`, `strict real time`. */
	pace?: string;
	/** The end is not known yet: this input is still being read (`(stdin)`). */
	reading?: string;
	/** Waiting at the end so far of an input still being read. */
	following?: boolean;
};

export function StatusBar(props: StatusBarProps) {
	const state = props.ended ? 'ENDED' : props.paused ? 'PAUSED' : props.following ? 'FOLLOWING' : 'PLAYING';
	const speed = `${props.speed}×`;
	// While the input is still read, the count of cycles is only a floor.
	const of = props.reading === undefined ? '' : '≥';
	const cycle = props.cycle && props.cycle.n > 0 ? (props.cycle.k === 0 ? ` · before cycle 1 of ${of}${props.cycle.n}` : ` · cycle ${props.cycle.k} of ${of}${props.cycle.n}`) : '';
	const reading = props.reading === undefined ? '' : ` · reading ${escapeControls(props.reading)}…`;
	return (
		<Box width={props.width}>
			<Text wrap="truncate">
				{props.width >= 100 ? (
					<Text bold color={color('cyan')}>
						quiesce{' '}
					</Text>
				) : null}
				<Text bold color={color(props.paused || props.ended ? 'yellow' : 'green')}>{state}</Text> {props.width >= 100 ? formatStamp(props.positionUs) : formatStamp(props.positionUs).replace(/[[\]\s]/g, '')} {speed}
				{props.pace ? ` · ${props.pace}` : ''}
				{cycle}
				{reading}
				{props.kernel ? ` · kernel ${escapeControls(props.kernel)}` : ''}
				{props.reading === undefined ? ` · ${escapeControls(props.source)}` : ''}
				{props.width >= 100 ? <Text color={color('gray')}> · read-only</Text> : null}
			</Text>
		</Box>
	);
}
