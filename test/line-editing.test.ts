import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {editLine, emptyLine, lineKeyOf, type LineKey, type LineState} from '../source/ui/line-editing.js';

/** Type keys; return the state and everything submitted. The line is shown with `|` at the cursor. */
function type(keys: ReadonlyArray<LineKey | string>, from: LineState = emptyLine) {
	let state = from;
	const submitted: string[] = [];
	for (const key of keys) {
		const result = editLine(state, typeof key === 'string' ? {kind: 'text', text: key} : key);
		state = result.state;
		submitted.push(...result.submitted);
	}

	return {state, submitted, shown: `${state.value.slice(0, state.cursor)}|${state.value.slice(state.cursor)}`};
}

const k = (kind: Exclude<LineKey['kind'], 'text'>): LineKey => ({kind});
const left = (n: number) => Array.from({length: n}, () => k('left'));

describe('the action line, key by key (readline emacs meanings)', () => {
	it('inserts at the cursor; ←/→ stop at the ends', () => {
		expect(type(['inspct', ...left(2), 'e']).shown).toBe('inspe|ct');
		expect(type(['ab', ...left(5), 'X']).shown).toBe('X|ab');
		expect(type(['ab', k('right'), k('right'), 'Y']).shown).toBe('abY|');
	});

	it('Backspace deletes the character before the cursor, and nothing at the start', () => {
		expect(type(['inspectXY', k('backspace'), k('backspace')]).shown).toBe('inspect|');
		expect(type(['abc', ...left(1), k('backspace')]).shown).toBe('a|c');
		expect(type(['abc', k('home'), k('backspace')]).shown).toBe('|abc');
	});

	it('Ctrl-W deletes the word before the cursor (and the blanks after it), not the last word', () => {
		expect(type(['read ndbus0/firmware/activate', ...left(8), k('kill-word-before')]).shown).toBe('read |activate');
		expect(type(['arm nmem0   ', k('kill-word-before')]).shown).toBe('arm |');
		expect(type(['   ', k('kill-word-before')]).shown).toBe('|');
		expect(type(['word', k('home'), k('kill-word-before')]).shown).toBe('|word');
	});

	it('Ctrl-U deletes from the start to the cursor, Ctrl-K from the cursor to the end', () => {
		expect(type(['inspZect', ...left(3), k('kill-to-start')]).shown).toBe('|ect');
		expect(type(['inspZect', k('kill-to-start')]).shown).toBe('|');
		expect(type(['inspZect', ...left(3), k('kill-to-end')]).shown).toBe('inspZ|');
	});

	it('Ctrl-A / Ctrl-E go to the start / end', () => {
		expect(type(['read', k('home'), '#', k('end'), '!']).shown).toBe('#read!|');
	});

	it('Enter submits the line and clears it; history ↑/↓ keeps the line being typed as a draft', () => {
		const first = type(['inspect', k('submit'), 'trigger quiesce', k('submit')]);
		expect(first.submitted).toEqual(['inspect', 'trigger quiesce']);
		expect(first.shown).toBe('|');
		const recalled = type(['half typed', k('older')], first.state);
		expect(recalled.shown).toBe('trigger quiesce|');
		expect(type([k('older')], recalled.state).shown).toBe('inspect|');
		expect(type([k('older'), k('older')], recalled.state).shown).toBe('inspect|'); // stops at the oldest
		expect(type([k('newer')], recalled.state).shown).toBe('half typed|');
		expect(type([k('submit')], recalled.state).submitted).toEqual(['trigger quiesce']);
	});

	it('an empty or blank line is submitted but not kept in history; a repeat is kept once', () => {
		const {state, submitted} = type([k('submit'), '  ', k('submit'), 'wait 5s', k('submit'), 'wait 5s', k('submit')]);
		expect(submitted).toEqual(['', '  ', 'wait 5s', 'wait 5s']);
		expect(state.history).toEqual(['wait 5s']);
	});

	it('a paste of several lines submits each complete line and keeps the rest', () => {
		const {state, submitted} = type(['ins', 'pect\rarm nmem0\r\narm nm']);
		expect(submitted).toEqual(['inspect', 'arm nmem0']);
		expect(state.value).toBe('arm nm');
	});

	it('control characters are not inserted', () => {
		expect(type(['a\u001Bb\u0007c\u007F']).shown).toBe('abc|');
	});
});

describe('Ink keys as line keys', () => {
	const none = {};
	it.each([
		['\u0015', {ctrl: true}, 'u', 'kill-to-start'],
		['\u0017', {ctrl: true}, 'w', 'kill-word-before'],
		['\u0001', {ctrl: true}, 'a', 'home'],
		['\u0005', {ctrl: true}, 'e', 'end'],
		['\u000B', {ctrl: true}, 'k', 'kill-to-end'],
	] as const)('%j (Ctrl-%s) is %s', (_raw, key, input, kind) => {
		expect(lineKeyOf(input, key)).toEqual({kind});
	});

	it('keys that are not for the line are left to the screen: Tab, PgUp/PgDn, Escape, Ctrl-C, Meta', () => {
		expect(lineKeyOf('', {tab: true})).toBeUndefined();
		expect(lineKeyOf('', {pageUp: true})).toBeUndefined();
		expect(lineKeyOf('', {pageDown: true})).toBeUndefined();
		expect(lineKeyOf('', {escape: true})).toBeUndefined();
		expect(lineKeyOf('c', {ctrl: true})).toBeUndefined();
		expect(lineKeyOf('x', {meta: true})).toBeUndefined();
		expect(lineKeyOf('x', none)).toEqual({kind: 'text', text: 'x'});
		expect(lineKeyOf('', {delete: true})).toEqual({kind: 'backspace'});
	});
});

describe('property: any key sequence', () => {
	const keyArb = fc.oneof(
		fc.string({maxLength: 4}).map(text => ({kind: 'text', text}) as LineKey),
		fc.constantFrom<LineKey['kind']>('backspace', 'left', 'right', 'home', 'end', 'kill-to-start', 'kill-to-end', 'kill-word-before', 'older', 'newer', 'submit').map(kind => ({kind}) as LineKey),
	);

	it('keeps the cursor inside the line, never holds a line end, and submits exactly what Enter saw', () => {
		fc.assert(
			fc.property(fc.array(keyArb, {maxLength: 200}), keys => {
				let state = emptyLine;
				for (const key of keys) {
					const before = state;
					const {state: next, submitted} = editLine(state, key);
					expect(next.cursor).toBeGreaterThanOrEqual(0);
					expect(next.cursor).toBeLessThanOrEqual(next.value.length);
					expect(next.value).not.toMatch(/[\r\n]/);
					if (key.kind === 'submit') expect(submitted).toEqual([before.value]);
					if (key.kind === 'left' || key.kind === 'right' || key.kind === 'home' || key.kind === 'end') expect(next.value).toBe(before.value);
					state = next;
				}
			}),
			{numRuns: 300},
		);
	});
});
