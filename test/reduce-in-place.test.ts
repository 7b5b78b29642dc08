/**
 * reduceInPlace (replay --summary's reducer: the state changed where it stands) gives the same
 * state as the copy-on-write reduce, event by event, on every fixture log and every built-in
 * scenario's simulated timeline.
 */
import {readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import type {TimelineEvent} from '../source/events.js';
import {reduce, reduceInPlace} from '../source/monitor/reducer.js';
import {initialState} from '../source/monitor/state.js';
import {loadScenario} from '../source/sim/scenario.js';
import {Simulation} from '../source/sim/simulation.js';
import {parseLogText} from '../source/trace/log-parser.js';

const root = path.join(import.meta.dirname, '..', 'fixtures');

function logs(dir: string): string[] {
	return readdirSync(dir).flatMap(name => {
		const file = path.join(dir, name);
		return statSync(file).isDirectory() ? logs(file) : /\.log$|kmsg.*\.txt$/.test(name) ? [file] : [];
	});
}

function compare(events: TimelineEvent[]): number {
	let copied = initialState();
	const owned = initialState();
	for (const event of events) {
		copied = reduce(copied, event);
		reduceInPlace(owned, event);
	}

	expect(owned).toEqual(copied);
	return copied.totals.cycles + (copied.cycle ? 1 : 0);
}

describe('reduceInPlace', () => {
	it('agrees with reduce on every fixture log', () => {
		let cycles = 0;
		for (const file of logs(path.join(root, 'traces'))) cycles += compare(parseLogText(readFileSync(file, 'utf8'), file).events);
		expect(cycles).toBeGreaterThan(20);
	});

	it('agrees with reduce on every built-in scenario', () => {
		for (const name of readdirSync(path.join(root, 'scenarios')).map(f => f.replace(/\.(json|ya?ml)$/, ''))) {
			const timeline = new Simulation(loadScenario(name), {seed: 1}).run().timeline;
			expect(compare(timeline), name).toBeGreaterThan(0);
		}
	});
});
