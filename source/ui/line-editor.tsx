/**
 * The action line: a controlled line editor over line-editing.ts (the
 * editing rules of @inkjs/ui's TextInput plus readline's keys), drawn as
 * TextInput draws itself: the character under the cursor inverse, a dim
 * placeholder when empty.
 */
import {Text, useInput} from 'ink';
import {useRef, useState} from 'react';
import {editLine, emptyLine, lineKeyOf, type LineState} from './line-editing.js';

export type LineEditorProps = {
	onSubmit: (line: string) => void;
	/** While false, typing goes on but Enter waits (the kernel is busy). */
	canSubmit?: boolean;
	isDisabled?: boolean;
	placeholder?: string;
};

export function LineEditor({onSubmit, canSubmit = true, isDisabled = false, placeholder = 'type a command (help lists them)'}: LineEditorProps) {
	// The state lives in a ref as well: keys that arrive in one chunk are handled before React renders again.
	const line = useRef<LineState>(emptyLine);
	const [shown, setShown] = useState<LineState>(emptyLine);

	useInput(
		(input, key) => {
			const lineKey = lineKeyOf(input, key);
			if (!lineKey) return;
			if (!canSubmit && (lineKey.kind === 'submit' || (lineKey.kind === 'text' && /[\r\n]/.test(lineKey.text)))) return; // Enter waits
			const {state, submitted} = editLine(line.current, lineKey);
			line.current = state;
			setShown(state);
			for (const text of submitted) onSubmit(text);
		},
		{isActive: !isDisabled},
	);

	const {value, cursor} = shown;
	return (
		<Text>
			<Text color="cyan">{'> '}</Text>
			{value === '' ? (
				isDisabled ? (
					<Text dimColor>{placeholder}</Text>
				) : (
					<Text>
						<Text inverse>{placeholder[0] ?? ' '}</Text>
						<Text dimColor>{placeholder.slice(1)}</Text>
					</Text>
				)
			) : (
				<Text>
					{value.slice(0, cursor)}
					{isDisabled ? value.slice(cursor, cursor + 1) : <Text inverse>{value[cursor] ?? ' '}</Text>}
					{value.slice(cursor + 1)}
				</Text>
			)}
		</Text>
	);
}
