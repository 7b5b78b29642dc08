/**
 * A sealed block of the packed store (player/event-store.ts) gives back each event as it went in
 * (as JSON would): times from their column, a log line's stamp when it is its time, and its place
 * ({file, line}) written as "the line after the row before" when it is — whatever the places:
 * consecutive, with gaps, going back, switching files, with an end line, absent, odd.
 */
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import type {TimelineEvent} from '../source/events.js';
import {PackedEvents, TimeColumn} from '../source/player/event-store.js';

const place = fc.oneof(
	fc.constant(undefined),
	fc.record({file: fc.constantFrom('a.log', 'b.log', ''), line: fc.integer({min: 0, max: 5})}),
	fc.record({file: fc.constantFrom('a.log', 'b.log'), line: fc.integer({min: 1, max: 3}), endLine: fc.integer({min: 3, max: 9})}),
	fc.record({file: fc.constantFrom('a.log'), line: fc.constantFrom(1.5, -1, 2 ** 40)}),
);

const event = fc.tuple(fc.integer({min: 0, max: 1e9}), fc.string(), place, fc.boolean()).map(([t, text, source, stampIsTime]) => {
	const e: Record<string, unknown> = {kind: 'log', t, text, origin: 'kernel', stamp: stampIsTime ? t : t + 1};
	if (source !== undefined) e['source'] = source;
	return e as TimelineEvent;
});

describe('packed rows', () => {
	it('give back every event as it went in', () => {
		fc.assert(
			fc.property(fc.array(event, {maxLength: 60}), fc.integer({min: 1, max: 9}), (events, blockSize) => {
				// Places that follow each other most of the time, as in a log.
				let line = 0;
				for (const e of events) if ((e as {source?: {line: number}}).source && e.t % 10 < 7) (e as {source: {line: number}}).source.line = ++line;
				const sorted = events.toSorted((a, b) => a.t - b.t);
				const store = new PackedEvents(blockSize, 2);
				for (const e of sorted) store.push(e);
				for (let i = 0; i < sorted.length; i++) expect(JSON.stringify(sortKeys(store.at(i)))).toBe(JSON.stringify(sortKeys(sorted[i]!)));
				expect(store.all().map(sortKeys)).toEqual(sorted.map(sortKeys));
			}),
			{numRuns: 200},
		);
	});
});

describe('time column', () => {
	it('gives back every time exactly: whole µs, fractions, far apart, negative zero', () => {
		const time = fc.oneof(fc.integer({min: 0, max: 2 ** 45}), fc.double({noNaN: true}), fc.constantFrom(0, -0, 2 ** 31, -(2 ** 31), 2 ** 53, 0.1, 1e300));
		fc.assert(
			fc.property(fc.array(fc.oneof(time, fc.integer({min: 1_000_000, max: 1_000_900})), {maxLength: 80}), fc.integer({min: 1, max: 9}), (times, blockSize) => {
				const column = new TimeColumn(blockSize);
				for (const t of times) column.push(t);
				for (let i = 0; i < times.length; i++) expect(Object.is(column.at(i), times[i]), `${i}: ${times[i]} → ${column.at(i)}`).toBe(true);
				column.trim();
				for (let i = 0; i < times.length; i++) expect(Object.is(column.at(i), times[i])).toBe(true);
			}),
			{numRuns: 300},
		);
	});

	it('keeps whole µs in 4 bytes each', () => {
		const column = new TimeColumn(512);
		for (let i = 0; i < 512 * 100; i++) column.push(5_000_000_000 + i * 37);
		column.trim();
		expect(column.bytes).toBeLessThan(512 * 100 * 4 + 512 * 8 + 100 * 8 + 1);
	});
});

function sortKeys(value: unknown): unknown {
	if (typeof value !== 'object' || value === null) return value;
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sortKeys(v)]));
}
