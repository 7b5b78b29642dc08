/**
 * The rehearsal's action line as a pure state machine: what a shell line
 * does (readline's emacs keys), one key at a time.
 *
 * Insertion, ←/→ and Backspace are @inkjs/ui's TextInput reducer
 * (build/components/text-input/use-text-input-state.js, MIT): insert at the
 * cursor, Backspace and Delete both remove the character before it (terminals
 * disagree on which of the two the Backspace key sends). Added to it, with
 * readline's meanings: Ctrl-A / Home and Ctrl-E / End, Ctrl-U (unix-line-
 * discard: delete from the start of the line to the cursor), Ctrl-K (kill to
 * the end), Ctrl-W (unix-word-rubout: the whitespace before the cursor, then
 * the word before it), ↑/↓ history with the line being typed kept as a draft,
 * and pastes of several lines (each complete line is a command).
 *
 * TextInput itself is uncontrolled (its value is set only at mount), so the
 * editing keys it lacks could only be added by remounting it and replaying
 * keys, which raced with typing; this keeps one state and no races.
 */
export type LineState = {
	readonly value: string;
	/** 0…value.length: the character the cursor is on (value.length: after the end). */
	readonly cursor: number;
	/** Submitted lines, oldest first. */
	readonly history: readonly string[];
	/** How far back in history ↑ has gone (0: the line being typed). */
	readonly back: number;
	/** The line being typed when ↑ was first pressed, given back by ↓. */
	readonly draft: string;
};

export type LineKey =
	| {kind: 'text'; text: string}
	| {kind: 'backspace' | 'left' | 'right' | 'home' | 'end' | 'kill-to-start' | 'kill-to-end' | 'kill-word-before' | 'older' | 'newer' | 'submit'};

export const emptyLine: LineState = {value: '', cursor: 0, history: [], back: 0, draft: ''};

const historyLimit = 200;

function withValue(state: LineState, value: string, cursor: number): LineState {
	return {...state, value, cursor: Math.max(0, Math.min(value.length, cursor)), back: 0};
}

function recall(state: LineState, back: number): LineState {
	const draft = state.back === 0 ? state.value : state.draft;
	const value = back === 0 ? draft : state.history[state.history.length - back]!;
	return {...state, value, cursor: value.length, back, draft};
}

function remember(history: readonly string[], line: string): readonly string[] {
	if (line.trim() === '' || history.at(-1) === line) return history;
	return [...history, line].slice(-historyLimit);
}

/** One key: the next state, and the lines it submitted (Enter, or a paste that holds line ends). */
export function editLine(state: LineState, key: LineKey): {state: LineState; submitted: string[]} {
	const {value, cursor} = state;
	const same = {state, submitted: []};
	switch (key.kind) {
		case 'text': {
			// Control characters other than line ends are not text (Ink hands unknown escapes over as input).
			// eslint-disable-next-line no-control-regex
			const text = key.text.replace(/[\u0000-\u0009\u000B\u000C\u000E-\u001F\u007F]/g, '');
			if (text === '') return same;
			const typed = value.slice(0, cursor) + text + value.slice(cursor);
			const parts = typed.split(/\r\n|\r|\n/);
			if (parts.length === 1) return {state: withValue(state, typed, cursor + text.length), submitted: []};
			const rest = parts.pop()!;
			let history = state.history;
			for (const line of parts) history = remember(history, line);
			return {state: {...withValue(state, rest, rest.length), history}, submitted: parts};
		}

		case 'backspace':
			return cursor === 0 ? same : {state: withValue(state, value.slice(0, cursor - 1) + value.slice(cursor), cursor - 1), submitted: []};
		case 'left':
			return {state: {...state, cursor: Math.max(0, cursor - 1)}, submitted: []};
		case 'right':
			return {state: {...state, cursor: Math.min(value.length, cursor + 1)}, submitted: []};
		case 'home':
			return {state: {...state, cursor: 0}, submitted: []};
		case 'end':
			return {state: {...state, cursor: value.length}, submitted: []};
		case 'kill-to-start':
			return {state: withValue(state, value.slice(cursor), 0), submitted: []};
		case 'kill-to-end':
			return {state: withValue(state, value.slice(0, cursor), cursor), submitted: []};
		case 'kill-word-before': {
			const kept = value.slice(0, cursor).replace(/\S+\s*$|\s+$/, '');
			return {state: withValue(state, kept + value.slice(cursor), kept.length), submitted: []};
		}

		case 'older':
			return state.back >= state.history.length ? same : {state: recall(state, state.back + 1), submitted: []};
		case 'newer':
			return state.back === 0 ? same : {state: recall(state, state.back - 1), submitted: []};
		case 'submit':
			return {state: {...emptyLine, history: remember(state.history, value)}, submitted: [value]};
	}
}

/** Ink's parsed key, as a line-editing key (undefined: not for the line: Tab, PgUp, Ctrl-C…). */
export function lineKeyOf(
	input: string,
	key: {return?: boolean; backspace?: boolean; delete?: boolean; leftArrow?: boolean; rightArrow?: boolean; upArrow?: boolean; downArrow?: boolean; ctrl?: boolean; meta?: boolean; tab?: boolean; home?: boolean; end?: boolean; pageUp?: boolean; pageDown?: boolean; escape?: boolean},
): LineKey | undefined {
	if (key.return) return {kind: 'submit'};
	if (key.backspace || key.delete) return {kind: 'backspace'};
	if (key.leftArrow) return {kind: 'left'};
	if (key.rightArrow) return {kind: 'right'};
	if (key.upArrow) return {kind: 'older'};
	if (key.downArrow) return {kind: 'newer'};
	if (key.home) return {kind: 'home'};
	if (key.end) return {kind: 'end'};
	if (key.ctrl) {
		const byLetter: Record<string, LineKey['kind']> = {a: 'home', e: 'end', u: 'kill-to-start', k: 'kill-to-end', w: 'kill-word-before', b: 'left', f: 'right', p: 'older', n: 'newer', h: 'backspace'};
		const kind = byLetter[input];
		return kind ? ({kind} as LineKey) : undefined;
	}

	if (key.meta || key.tab || key.pageUp || key.pageDown || key.escape || input === '') return undefined;
	return {kind: 'text', text: input};
}
