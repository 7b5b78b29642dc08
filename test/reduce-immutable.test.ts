/**
 * The copy-on-write reducer never changes the state it is given: the player keeps checkpoints of
 * earlier states for seeking back, and a change to one would show a later line's failure at an
 * earlier position. Every state is deep-frozen before the next event: a write to it throws.
 */
import {readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import type {TimelineEvent} from '../source/events.js';
import {reduce} from '../source/monitor/reducer.js';
import {initialState, type MonitorState} from '../source/monitor/state.js';
import {builtinScenarioNames, loadScenario} from '../source/sim/scenario.js';
import {Simulation} from '../source/sim/simulation.js';
import {parseLogText} from '../source/trace/log-parser.js';

const root = path.join(import.meta.dirname, '..', 'fixtures');

function logs(dir: string): string[] {
	return readdirSync(dir).flatMap(name => {
		const file = path.join(dir, name);
		return statSync(file).isDirectory() ? logs(file) : /\.log$|kmsg.*\.txt$/.test(name) ? [file] : [];
	});
}

function deepFreeze<T>(value: T, seen = new Set<unknown>()): T {
	if (value === null || typeof value !== 'object' || seen.has(value)) return value;
	seen.add(value);
	for (const child of Object.values(value as object)) deepFreeze(child, seen);
	return Object.freeze(value);
}

function replayFrozen(events: readonly TimelineEvent[], where: string): MonitorState {
	let state = initialState();
	for (const [i, event] of events.entries()) {
		deepFreeze(state);
		try {
			state = reduce(state, event);
		} catch (error) {
			throw new Error(`${where}, event ${i} (${event.kind}${event.kind === 'log' ? `: ${event.text}` : ''}): ${(error as Error).message}`);
		}
	}

	return state;
}

describe('reduce leaves the state it was given as it was', () => {
	it('on every fixture log, device failures of every era included', () => {
		const files = logs(path.join(root, 'traces'));
		expect(files.length).toBeGreaterThan(20);
		let failures = 0;
		for (const file of files) {
			const state = replayFrozen(parseLogText(readFileSync(file, 'utf8'), file).events, file);
			failures += state.cycles.reduce((n, c) => n + c.failures.length, 0) + (state.cycle?.failures.length ?? 0);
		}

		expect(failures).toBeGreaterThan(10); // the logs with device-failed lines (the case that broke) are in
	});

	it('on every built-in scenario', () => {
		for (const name of builtinScenarioNames()) replayFrozen(new Simulation(loadScenario(name), {seed: 1}).run().timeline, name);
	});
});
