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

	const generation = useRef(0);
	const reset = (next: string) => {
		value.current = next;
		gap.current = [];
		generation.current++;
		setMount({key: generation.current, value: next});
	};

	/** The input of generation `k` listens: replay what it missed (unless a newer one is already coming). */
	const ready = (k: number) => {
		if (k !== generation.current) return;
		// After this commit's effects (the editor's own listener re-subscribes after its children's effects).
		queueMicrotask(() => {
			// One chunk, as a paste: the input's handler reads its value from the last render, so keys
			// replayed one by one in the same tick would each see the line as it was before them.
			const typed = (gap.current ?? []).join('');
			gap.current = undefined;
			if (typed !== '') events.emit('input', typed);
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
				const editing = (key.ctrl && (input === 'u' || input === 'w')) || key.upArrow || key.downArrow;
				if (!editing) {
					if (key.return) gap.current.push('\r');
					else if (!key.ctrl && !key.meta && input !== '') gap.current.push(input);
					return;
				}

				// An edit key before the new input listens: it applies to the line with what was typed meanwhile.
				value.current += gap.current.join('').replace(/[\r\n]/g, '');
				gap.current = undefined;
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

			// A paste of several lines (or text then Enter, replayed after a remount): each complete line is a command.
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
			<Listening key={`listening-${mount.key}`} onReady={() => ready(mount.key)} />
		</Text>
	);
}
