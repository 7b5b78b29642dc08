import {Box, Text} from 'ink';
import {helpRows} from './keymap.js';

export function HelpOverlay({width, height = 40}: {width: number; height?: number}) {
	const rows = helpRows();
	// Two columns when the terminal is too short for one.
	const twoColumns = rows.length + 5 > height && width >= 100;
	const half = Math.ceil(rows.length / 2);
	// Too short for one column and too narrow for two: the title stays on screen (an overflowing
	// frame scrolls it away); the rows that fit are shown, then how many more a taller terminal shows.
	// When cut, the legend lines give their room to keys, and `q` and `?` come first: they must never be the ones cut.
	const fits = Math.max(1, height - 2 - 1 - 2);
	const cut = !twoColumns && rows.length > fits;
	const room = cut ? fits + 2 : fits;
	const essential = (label: string) => label === 'q' || label.startsWith('?');
	const ordered = cut ? [...rows.filter(([k]) => essential(k)), ...rows.filter(([k]) => !essential(k))] : rows;
	const shown = cut ? ordered.slice(0, Math.max(0, room - 1)) : rows;
	const column = (list: Array<[string, string]>, w: number) => (
		<Box flexDirection="column" width={w}>
			{list.map(([keys, help]) => (
				<Text key={keys} wrap="truncate">
					<Text bold>{keys.padEnd(12)}</Text>
					{help}
				</Text>
			))}
		</Box>
	);
	return (
		<Box flexDirection="column" borderStyle="double" paddingX={1} width={Math.min(width, twoColumns ? width : 100)}>
			<Text bold>Keys — any key closes this help (Ctrl-C quits)</Text>
			{twoColumns ? (
				<Box>
					{column(rows.slice(0, half), Math.floor((width - 4) / 2))}
					{column(rows.slice(half), Math.floor((width - 4) / 2))}
				</Box>
			) : (
				column(shown, Math.min(width, 100) - 4)
			)}
			{cut ? <Text wrap="truncate">… {rows.length - shown.length} more keys: a taller terminal shows them all</Text> : null}
			{cut ? null : <Text wrap="truncate">Phases: ✓ done ▶ running ✗ failed ↺ unwound - skipped · pending</Text>}
			{cut ? null : <Text wrap="truncate">Nothing here writes to /sys: simulations and replays are read-only.</Text>}
		</Box>
	);
}
