import {Box, Text} from 'ink';
import {escapeControls} from '../escape.js';
import {warningRows, type ListedWarning} from '../monitor/selectors.js';
import {color} from './theme.js';

/** Every warning, oldest first, scrollable (↑/↓, PgUp/PgDn); any other key closes. */
export function WarningsOverlay({warnings, width, height, scroll}: {warnings: ListedWarning[]; width: number; height: number; scroll: number}) {
	const rows = warningRows(warnings);
	const visible = Math.max(1, height - 4);
	const first = Math.max(0, Math.min(scroll, rows.length - visible));
	return (
		<Box flexDirection="column" borderStyle="double" paddingX={1} width={width}>
			<Text bold wrap="truncate">
				Warnings ({rows.length === 0 ? 'none' : `${first + 1}–${Math.min(rows.length, first + visible)} of ${rows.length}`}) — ↑/↓ PgUp/PgDn scroll, any other key closes
			</Text>
			{rows.slice(first, first + visible).map((row, i) => (
				<Text key={first + i} color={color(row.tone)} wrap="truncate">
					{escapeControls(row.text)}
				</Text>
			))}
		</Box>
	);
}
