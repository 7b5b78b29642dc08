/**
 * Property tests with real invariants on long inputs: hundreds of real
 * kernel-log lines from fixtures/traces, shuffled together with garbage.
 * Whatever the mix, every byte of every line is in an event (helpers/lost-text),
 * time never runs backwards, and source lines come in file order.
 */
import {readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {reduceAll} from '../source/monitor/reducer.js';
import {fixturesDir} from '../source/paths.js';
import {parseLogText} from '../source/trace/log-parser.js';
import {lostText} from './helpers/lost-text.js';

function realLines(dir: string): string[] {
	return readdirSync(dir).flatMap(name => {
		const full = path.join(dir, name);
		if (statSync(full).isDirectory()) return realLines(full);
		return name.endsWith('.log') ? readFileSync(full, 'utf8').split('\n').filter(l => l.trim() !== '') : [];
	});
}

const real = realLines(fixturesDir('traces'));
const line = fc.oneof(
	{weight: 8, arbitrary: fc.constantFrom(...real)},
	{weight: 1, arbitrary: fc.string({maxLength: 100}).map(s => s.replaceAll('\n', ' ').replaceAll('\r', ' '))},
	{weight: 1, arbitrary: fc.string({unit: 'binary', maxLength: 60}).map(s => s.replace(/[\n\r\u2028\u2029]/g, ' '))},
);

describe('the log parser on long mixes of real lines and garbage', () => {
	it('has a corpus to draw from', () => {
		expect(real.length).toBeGreaterThan(1000);
	});

	it('keeps every byte of every line, in order, with time never going backwards (120–400 lines)', () => {
		fc.assert(
			fc.property(fc.array(line, {minLength: 120, maxLength: 400}), lines => {
				const {events} = parseLogText(lines.join('\n'), 'mix.log');
				expect(lostText(lines, events)).toEqual([]);
				for (let i = 1; i < events.length; i++) {
					expect(events[i]!.t).toBeGreaterThanOrEqual(events[i - 1]!.t);
					expect(events[i]!.source!.line).toBeGreaterThanOrEqual(events[i - 1]!.source!.line);
				}

				const state = reduceAll(events);
				expect(state.cycles.length).toBeLessThanOrEqual(state.totals.cycles);
				expect(state.totals.failed).toBeLessThanOrEqual(state.totals.cycles);
			}),
			{numRuns: 60},
		);
	});
});
