import {Box, Text} from 'ink';
import {memo, type ReactElement} from 'react';
import type {ActionEvent, LogEvent} from '../events.js';
import {escapeControls} from '../escape.js';
import {formatStamp} from '../kernel/log-format.js';
import {isFailureLine, type LogFilter} from '../monitor/selectors.js';
import type {PaneEntry} from '../player/player.js';
import {color, levelColor} from './theme.js';

/** An operator's read or write, as what it is: not a kernel line. */
export function actionText(e: ActionEvent): string {
	const path = escapeControls(e.path);
	if (e.op === 'read') return `${e.actor} read ${path}${e.result === null ? '' : e.result.ok ? ` = ${escapeControls(e.result.value ?? '')}` : ` → -${e.result.code} ${e.result.errno}`}`;
	const value = escapeControls(JSON.stringify((e.value ?? '').trim()));
	if (e.result === null) return `${e.actor} write ${value} > ${path} … blocked (the kernel runs the cycle)`;
	return `${e.actor} write ${value} > ${path} → ${e.result.ok ? 'returned 0' : `-${e.result.code} ${e.result.errno}`}`;
}

/** The text a pane line shows (escaped), also what `/` searches. */
export function entryText(event: LogEvent | ActionEvent): string {
	if (event.kind === 'action') return `» ${actionText(event)}`;
	// A /dev/kmsg record from user space keeps its "ident:" in the text (the ident is read from it): once is enough.
	const named = event.ident !== undefined && !event.text.startsWith(`${event.ident}:`) && !event.text.startsWith(`${event.ident}[`);
	return `${named ? `${escapeControls(event.ident!)}: ` : ''}${escapeControls(event.text)}`;
}

function Highlighted({text, term}: {text: string; term?: string}) {
	if (!term) return <>{text}</>;
	const parts: ReactElement[] = [];
	const lower = text.toLowerCase();
	const needle = term.toLowerCase();
	let at = 0;
	let i = lower.indexOf(needle);
	while (i !== -1 && needle.length > 0) {
		if (i > at) parts.push(<Text key={`t${at}`}>{text.slice(at, i)}</Text>);
		parts.push(
			<Text key={`m${i}`} inverse>
				{text.slice(i, i + needle.length)}
			</Text>,
		);
		at = i + needle.length;
		i = lower.indexOf(needle, at);
	}

	if (at < text.length) parts.push(<Text key={`t${at}`}>{text.slice(at)}</Text>);
	return <>{parts}</>;
}

type KernelLogProps = {entries: PaneEntry[]; total: number; back: number; width: number; height: number; border?: boolean; filter?: LogFilter; search?: string; focused?: boolean; current?: number};

function KernelLogPane({entries, total, back, width, height, border = true, filter = 'all', search, focused = false, current}: KernelLogProps) {
	return (
		<Box flexDirection="column" borderStyle={border ? 'round' : undefined} borderColor={focused ? color('cyan') : undefined} width={width} height={height} paddingX={border ? 1 : 0}>
			<Text bold wrap="truncate">
				{focused ? '▸ ' : ''}Kernel log{' '}
				<Text color={color('gray')}>
					({total} lines{filter === 'all' ? '' : `, filter: ${filter}`}
					{back > 0 ? `, ${back} back from the tail — End follows` : ', following'}){search ? ` · /${escapeControls(search)}` : ''}
				</Text>
			</Text>
			{entries.map(({index, event}) => {
				const failure = event.kind === 'log' ? isFailureLine(event) : event.result !== null && !event.result.ok;
				// Simulated records always have a printk time; parsed ones only when the line carried one.
				const stamp = event.kind === 'log' ? (event.stamp ?? (event.origin === undefined ? event.t : undefined)) : event.t;
				const tone = failure ? 'red' : event.kind === 'action' ? 'magenta' : event.origin === 'userspace' ? 'gray' : levelColor[event.level ?? 6];
				return (
					<Text key={index} wrap="truncate" color={color(tone)} bold={failure || index === current}>
						{stamp === undefined ? '' : `${formatStamp(stamp)} `}
						{failure ? '!! ' : ''}
						<Highlighted text={entryText(event)} term={search} />
					</Text>
				);
			})}
		</Box>
	);
}

/** The same window of the same log renders the same: skip it when only the clock moved. */
export const KernelLog = memo(
	KernelLogPane,
	(a: KernelLogProps, b: KernelLogProps) =>
		a.total === b.total && a.back === b.back && a.width === b.width && a.height === b.height && a.border === b.border && a.entries.length === b.entries.length && a.filter === b.filter && a.search === b.search && a.focused === b.focused && a.current === b.current && a.entries[0]?.index === b.entries[0]?.index,
);
