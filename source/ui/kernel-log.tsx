import {Box, Text} from 'ink';
import {memo} from 'react';
import type {LogEvent} from '../events.js';
import {formatStamp} from '../kernel/log-format.js';
import {isFailureSignal, recognise} from '../kernel/recognise.js';
import {color, levelColor} from './theme.js';



type KernelLogProps = {lines: LogEvent[]; total: number; back: number; width: number; height: number; border?: boolean};

function KernelLogPane({lines, total, back, width, height, border = true}: KernelLogProps) {
	return (
		<Box flexDirection="column" borderStyle={border ? 'round' : undefined} width={width} height={height} paddingX={border ? 1 : 0}>
			<Text bold wrap="truncate">
				Kernel log <Text color={color('gray')}>({total} lines{back > 0 ? `, ${back} back from the tail — F follows` : ', following'})</Text>
			</Text>
			{lines.map((line, i) => {
				const signal = recognise(line.text);
				const failure = signal !== undefined && isFailureSignal(signal);
				// Simulated records always have a printk time; parsed ones only when the line carried one.
				const stamp = line.stamp ?? (line.origin === undefined ? line.t : undefined);
				return (
					<Text key={`${total - back - lines.length + i}`} wrap="truncate" color={color(failure ? 'red' : line.origin === 'userspace' ? 'gray' : levelColor[line.level ?? 6])} bold={failure}>
						{stamp === undefined ? '' : `${formatStamp(stamp)} `}
						{failure ? '!! ' : ''}
						{line.ident ? `${line.ident}: ` : ''}
						{line.text}
					</Text>
				);
			})}
		</Box>
	);
}

/** The same window of the same log renders the same: skip it when only the clock moved. */
export const KernelLog = memo(KernelLogPane, (a: KernelLogProps, b: KernelLogProps) => a.total === b.total && a.back === b.back && a.width === b.width && a.height === b.height && a.border === b.border && a.lines.length === b.lines.length);
