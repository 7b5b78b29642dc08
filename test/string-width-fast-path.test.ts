/**
 * scripts/build.mjs asciiFastPath: the bundle's copies of string-width 7.2 (cliui's and wrap-ansi's:
 * help layout and Ink's wrapped text) measure printable ASCII as its length without segmenting, as
 * 8.3 does upstream. The patched module must measure every string as the original does.
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import fc from 'fast-check';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {packageRoot} from '../source/paths.js';
import {execa} from 'execa';
import {cliPath, ensureBuilt} from './helpers/cli.js';

type StringWidth = (text: string, options?: {ambiguousIsNarrow?: boolean; countAnsiEscapeCodes?: boolean}) => number;
const root = packageRoot();
const original = path.join(root, 'node_modules', 'cliui', 'node_modules', 'string-width', 'index.js');

describe('string-width 7.2 with the printable-ASCII fast path', () => {
	let dir: string;
	let before: StringWidth;
	let after: StringWidth;
	beforeAll(async () => {
		const {asciiFastPath} = (await import(pathToFileURL(path.join(root, 'scripts', 'build.mjs')).href)) as {asciiFastPath: (text: string) => {contents?: string; error?: string}};
		const patched = asciiFastPath(readFileSync(original, 'utf8'));
		expect(patched.error).toBeUndefined();
		expect(patched.contents).toMatch(/Fast path: printable ASCII/);
		// Beside the original, so that its imports (strip-ansi, emoji-regex…) resolve the same way.
		dir = mkdtempSync(path.join(path.dirname(original), '.fast-path-test-'));
		writeFileSync(path.join(dir, 'index.js'), patched.contents!);
		before = ((await import(pathToFileURL(original).href)) as {default: StringWidth}).default;
		after = ((await import(pathToFileURL(path.join(dir, 'index.js')).href)) as {default: StringWidth}).default;
	});
	afterAll(() => rmSync(dir, {recursive: true, force: true}));

	it('measures what the original measures: printable ASCII, any Unicode, ANSI codes, both ambiguity settings', () => {
		const ansi = fc.constantFrom('', '\u001B[31m', '\u001B[0m', '\u001B[1;4m', '\u001B]8;;http://x\u0007');
		const text = fc.oneof(
			fc.string({unit: fc.integer({min: 0x20, max: 0x7E}).map(c => String.fromCharCode(c)), maxLength: 120}),
			// Around the fast path's edges: controls, DEL, C1 controls, NBSP.
			fc.string({unit: fc.oneof({weight: 9, arbitrary: fc.integer({min: 0x20, max: 0x7E})}, {weight: 1, arbitrary: fc.integer({min: 0, max: 0xA0})}).map(c => String.fromCharCode(c)), maxLength: 20}),
			fc.string({unit: 'grapheme', maxLength: 40}),
			fc.string({unit: 'binary', maxLength: 40}),
			fc.tuple(ansi, fc.string({maxLength: 30}), ansi, fc.string({unit: 'grapheme-composite', maxLength: 10})).map(parts => parts.join('')),
		);
		fc.assert(
			fc.property(text, fc.boolean(), fc.boolean(), (s, ambiguousIsNarrow, countAnsiEscapeCodes) => {
				expect(after(s, {ambiguousIsNarrow, countAnsiEscapeCodes})).toBe(before(s, {ambiguousIsNarrow, countAnsiEscapeCodes}));
				expect(after(s)).toBe(before(s));
			}),
			{numRuns: 1000},
		);
	});

	it('on strings a reviewer would pick: tabs, DEL, wide, combining, emoji, zero-width', () => {
		for (const s of ['plain', 'tab\there', 'del\u007F', '漢字', 'e\u0301', '👍🏽', 'a\u200Bb', '0\uFE0F\u20E3', '#', '×≥–µ', '\u001B[32mok\u001B[0m', '']) expect(after(s)).toBe(before(s));
	});
});

describe('help text', () => {
	it.each(['', 'sim', 'replay', 'record', 'capture', 'rehearse', 'risk', 'scenarios'])('quiesce %s --help is printable ASCII and builds no Intl.Segmenter', async command => {
		ensureBuilt();
		const log = path.join(mkdtempSync(path.join(root, 'dist', '.segmenters-')), 'count');
		try {
			const result = await execa('node', ['--import', path.join(root, 'test', 'process', 'count-segmenters.mjs'), cliPath, ...(command ? [command] : []), '--help'], {reject: false, stdin: 'ignore', env: {QUIESCE_SEGMENTER_LOG: log, NO_COLOR: '1', COLUMNS: '100'}});
			expect(result.exitCode).toBe(0);
			expect(result.stdout.split('\n').filter(line => !/^[\u0020-\u007E]*$/.test(line))).toEqual([]);
			expect(readFileSync(log, 'utf8')).toBe('0');
		} finally {
			rmSync(path.dirname(log), {recursive: true, force: true});
		}
	});
});
