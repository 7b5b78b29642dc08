import {Box, Text} from 'ink';
import {formatStamp} from '../kernel/log-format.js';
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
};

export function StatusBar(props: StatusBarProps) {
	const state = props.ended ? 'ENDED' : props.paused ? 'PAUSED' : 'PLAYING';
	const speed = `${props.speed}×`;
	return (
		<Box width={props.width}>
			<Text wrap="truncate">
				<Text bold color={color('cyan')}>
					quiesce{' '}
				</Text>
				<Text bold color={color(props.paused || props.ended ? 'yellow' : 'green')}>{state}</Text> {formatStamp(props.positionUs)} · {speed}
				{props.inSlowMotion ? ' (SLOW MOTION)' : ''}
				{props.slowMotion ? '' : ' · slow-mo off'} · {props.source}
				{props.kernel ? ` · kernel ${props.kernel}` : ''}
				<Text color={color('gray')}> · read-only</Text>
			</Text>
		</Box>
	);
}
