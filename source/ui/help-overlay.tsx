import {Box, Text} from 'ink';
import {helpRows} from './keymap.js';

export function HelpOverlay({width}: {width: number}) {
	return (
		<Box flexDirection="column" borderStyle="double" paddingX={2} width={Math.min(width, 72)}>
			<Text bold>Keys — any key closes this help</Text>
			{helpRows().map(([keys, help]) => (
				<Text key={keys} wrap="truncate">
					<Text bold>{keys.padEnd(14)}</Text>
					{help}
				</Text>
			))}
			<Text> </Text>
			<Text wrap="truncate">Phases: ✓ done ▶ running ✗ failed ↺ unwound - skipped · pending</Text>
			<Text wrap="truncate">Nothing here writes to /sys: simulations and replays are read-only.</Text>
		</Box>
	);
}
