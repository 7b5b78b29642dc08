/**
 * A sealed block of the packed store (player/event-store.ts) gives back each event as it went in
 * (as JSON would): times from their column, a log line's stamp when it is its time, and its place
 * ({file, line}) written as "the line after the row before" when it is — whatever the places:
 * consecutive, with gaps, going back, switching files, with an end line, absent, odd.
 */
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import type {TimelineEvent} from '../source/events.js';
import {PackedEvents} from '../source/player/event-store.js';

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

function sortKeys(value: unknown): unknown {
	if (typeof value !== 'object' || value === null) return value;
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sortKeys(v)]));
}
