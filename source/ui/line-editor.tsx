/**
 * The action line: @inkjs/ui's TextInput does the editing (cursor keys,
 * Backspace held or repeated, insertion anywhere); around it, what a shell
 * line also has — ↑/↓ history, Ctrl-U (clear the line), Ctrl-W (delete the
 * last word) and multi-line pastes — by remounting the input with a new
 * value (TextInput is uncontrolled: its value is only ever set at mount).
 */
import {TextInput} from '@inkjs/ui';
import {Text, useInput, useStdin} from 'ink';
import {useEffect, useRef, useState} from 'react';

/** Rendered after the input: its effect runs once the new input listens. */
function Listening({onReady}: {onReady: () => void}) {
	useEffect(onReady, []);
	return null;
}

export type LineEditorProps = {
	onSubmit: (line: string) => void;
	/** While false, typing goes on but Enter waits (the kernel is busy). */
	canSubmit?: boolean;
	isDisabled?: boolean;
};

export function LineEditor({onSubmit, canSubmit = true, isDisabled = false}: LineEditorProps) {
	const [mount, setMount] = useState({key: 0, value: ''});
	const value = useRef('');
	const history = useRef<string[]>([]);
	const back = useRef(0);
	// Keys typed between a remount and the new input listening: replayed to it (else the old one eats them).
	const gap = useRef<string[] | undefined>(undefined);
	const {internal_eventEmitter: events} = useStdin() as unknown as {internal_eventEmitter: {emit: (event: string, data: string) => void}};

	const reset = (next: string) => {
		value.current = next;
		gap.current = [];
		setMount(m => ({key: m.key + 1, value: next}));
	};

	const ready = () => {
		// After this commit's effects (the editor's own listener re-subscribes after its children's effects).
		queueMicrotask(() => {
			const typed = gap.current ?? [];
			gap.current = undefined;
			for (const data of typed) events.emit('input', data);
		});
	};

	const submit = (line: string) => {
		if (line.trim() !== '') history.current.push(line);
		back.current = 0;
		onSubmit(line);
	};

	useInput(
		(input, key) => {
			if (gap.current) {
				if (key.return) gap.current.push('\r');
				else if (!key.ctrl && !key.meta && input !== '') gap.current.push(input);
				return;
			}

			if (key.upArrow || key.downArrow) {
				const list = history.current;
				if (list.length === 0) return;
				back.current = Math.max(0, Math.min(list.length, back.current + (key.upArrow ? 1 : -1)));
				reset(back.current === 0 ? '' : list[list.length - back.current]!);
				return;
			}

			if (key.ctrl && input === 'u') {
				reset('');
				return;
			}

			if (key.ctrl && input === 'w') {
				reset(value.current.replace(/\S+\s*$/, ''));
				return;
			}

			// A paste of several lines: each complete line is a command.
			if (!key.return && /[\r\n]/.test(input)) {
				const parts = `${value.current}${input}`.split(/\r\n|\r|\n/);
				const rest = parts.pop() ?? '';
				if (canSubmit) for (const line of parts) submit(line);
				reset(rest);
			}
		},
		{isActive: !isDisabled},
	);

	return (
		<Text>
			<Text color="cyan">{'> '}</Text>
			<TextInput
				key={`input-${mount.key}`}
				isDisabled={isDisabled}
				defaultValue={mount.value}
				placeholder="type a command (help lists them)"
				onChange={next => {
					// During a remount the old input may still hear keys: they are replayed to the new one instead.
					if (!gap.current) value.current = next;
				}}
				onSubmit={line => {
					if (!canSubmit || gap.current) return;
					submit(line);
					reset('');
				}}
			/>
			<Listening key={`listening-${mount.key}`} onReady={ready} />
		</Text>
	);
}
