/**
 * The parser's plain path (issue 18): a text without control characters, U+FFFD, U+2028 or U+2029
 * is not tested line by line, and its `[ seconds.micros] text` lines are read without a regex. It
 * must give the same events and warnings as the regex path, line for line: on every fixture log,
 * and on generated lines that sit at the edges of the stamp's shape.
 */
import {readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {LineSplitter, LogParser, maxLineLength, notPlainText} from '../source/trace/log-parser.js';

const root = path.join(import.meta.dirname, '..', 'fixtures');

function files(dir: string): string[] {
	return readdirSync(dir).flatMap(name => {
		const file = path.join(dir, name);
		return statSync(file).isDirectory() ? files(file) : [file];
	});
}

/** Events and warnings of a text, through the splitter, with or without its plain test. */
function parse(text: string, plain: boolean): unknown {
	const parser = new LogParser('f.log');
	const events: unknown[] = [];
	const splitter = new LineSplitter((line, lineNo, part, _ending, isPlain) => events.push(...parser.push(line, lineNo, part, isPlain)), maxLineLength, plain ? notPlainText : undefined);
	splitter.push(text);
	splitter.end();
	events.push(...parser.finish());
	return {events, warnings: parser.warnings};
}

describe('LogParser plain path', () => {
	it('gives the regex path events on every fixture text', () => {
		let compared = 0;
		for (const file of [...files(path.join(root, 'traces')), ...files(path.join(root, 'inputs'))]) {
			const text = readFileSync(file, 'utf8');
			expect(parse(text, true), file).toEqual(parse(text, false));
			compared++;
		}

		expect(compared).toBeGreaterThan(70);
	});

	it('gives the regex path events on lines at the edges of a stamp', () => {
		const piece = fc.constantFrom('[', ']', ' ', '  ', '\t', '.', '0', '7', '123', '99999999999', '999999999999', '1234567', 'T12', '[T1]', '<6>', 'kernel', 'PM: ', 'x', '\u2028', '\u0001', '\uFFFD', 'é', 'done.');
		const digits = fc.stringMatching(/^\d{0,14}$/);
		// A stamp-shaped line with each part varied: spaces or tabs inside, digits of any count, a fraction or none, what follows the ']'.
		const stamped = fc
			.tuple(fc.constantFrom('', '<6>', '> ', ' '), fc.constantFrom('', ' ', '    ', '\t'), digits, fc.option(digits), fc.constantFrom(' ', '', '\t', '[T12] ', '[ C3] ', 'x', '  '), fc.array(piece, {maxLength: 4}))
			.map(([before, pad, whole, fraction, after, rest]) => `${before}[${pad}${whole}${fraction === null ? '' : `.${fraction}`}]${after}${rest.join('')}`);
		const line = fc.oneof(fc.array(piece, {maxLength: 12}).map(parts => parts.join('')), stamped);
		fc.assert(
			fc.property(fc.array(line, {minLength: 1, maxLength: 6}), lines => {
				const text = lines.join('\n');
				expect(parse(text, true)).toEqual(parse(text, false));
			}),
			{numRuns: 3000},
		);
	});

	it('reads the common line as the regex does: stamp, text, clock', () => {
		const parsed = parse('[    0.000000] Linux version 6.1\n[   50.262773] PM: hibernation: hibernation entry\n[  123.4] short fraction\n[   51.000000]\n', true) as {events: Array<{t: number; stamp: number; text: string}>};
		expect(parsed.events.map(e => [e.stamp, e.text])).toEqual([
			[0, 'Linux version 6.1'],
			[50_262_773, 'PM: hibernation: hibernation entry'],
			[123_400_000, 'short fraction'],
			[51_000_000, ''],
		]);
	});
});
