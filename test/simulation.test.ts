import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import type {ActionEvent} from '../source/events.js';
import {sysfsPaths} from '../source/kernel/sysfs.js';
import {outcomeKinds} from '../source/sim/outcome.js';
import {loadScenario, parseScenario} from '../source/sim/scenario.js';
import {Simulation} from '../source/sim/simulation.js';
import {simulate} from './helpers/sim.js';

const answers = (sim: Simulation) => sim.timeline.filter((e): e is ActionEvent => e.kind === 'action' && e.result !== null);

describe('determinism', () => {
	it('same scenario and seed ⇒ the same timeline; another seed ⇒ other timings', () => {
		const a = JSON.stringify(simulate('default', 42).timeline);
		const b = JSON.stringify(simulate('default', 42).timeline);
		const c = JSON.stringify(simulate('default', 43).timeline);
		expect(a).toBe(b);
		expect(a).not.toBe(c);
	});

	it('rejects seeds outside 0 … 2^32-1', () => {
		const scenario = loadScenario('default');
		for (const seed of [-1, 1.5, 2 ** 32]) expect(() => new Simulation(scenario, {seed})).toThrowError(RangeError);
	});
});

describe('step by step', () => {
	it('stepping gives the same timeline as running to the end', () => {
		const stepped = new Simulation(loadScenario('default'), {seed: 5});
		let steps = 0;
		while (stepped.step()) steps++;
		expect(steps).toBeGreaterThan(50);
		expect(JSON.stringify(stepped.timeline)).toBe(JSON.stringify(simulate('default', 5).timeline));
	});

	it('an operator drives the host and gets the kernel answers', () => {
		const sim = new Simulation(loadScenario('default'), {seed: 1, script: false});
		const bus = sysfsPaths.busActivate(0);
		sim.submit({write: bus, value: 'quiesce\n'}); // nothing armed
		sim.submit({write: sysfsPaths.dimmActivate(0), value: 'arm\n'});
		sim.submit({write: sysfsPaths.dimmActivate(1), value: 'bogus\n'});
		sim.submit({write: sysfsPaths.busCapability(0), value: 'live\n'});
		sim.submit({write: 'bus/nd/devices/nmem99/firmware/activate', value: 'arm\n'});
		sim.submit({write: sysfsPaths.busNoidle(0), value: 'maybe\n'});
		sim.submit({read: bus});
		sim.submit({write: bus, value: 'live\n'});
		sim.submit({read: sysfsPaths.dimmResult(0)});
		sim.run();
		expect(answers(sim).map(a => (a.result!.ok ? a.result!.value ?? 'ok' : a.result!.errno))).toEqual([
			'ENXIO', 'ok', 'EINVAL', 'EACCES', 'ENOENT', 'EINVAL', 'armed', 'ok', 'success',
		]);
	});

	it('a blocking write reports when it is issued and when it returns', () => {
		const sim = simulate('default');
		const writes = sim.timeline.filter((e): e is ActionEvent => e.kind === 'action' && e.path === sysfsPaths.busActivate(0) && e.op === 'write');
		expect(writes.map(w => w.result)).toEqual([null, {ok: true, bytes: 8}]);
		expect(writes[1]!.t - writes[0]!.t).toBeGreaterThan(10_000);
	});

	it('during a busy window arm is refused with EBUSY', () => {
		const sim = new Simulation(loadScenario('busy-window'), {seed: 1, script: false});
		sim.submit({write: sysfsPaths.dimmActivate(0), value: 'arm'});
		sim.submit({write: sysfsPaths.busActivate(0), value: 'quiesce'});
		sim.submit({write: sysfsPaths.dimmActivate(1), value: 'arm'});
		sim.submit({write: sysfsPaths.busActivate(0), value: 'quiesce'});
		sim.run();
		expect(answers(sim).map(a => (a.result!.ok ? 'ok' : a.result!.errno))).toEqual(['ok', 'ok', 'EBUSY', 'EBUSY']);
		expect(sim.peek(sysfsPaths.dimmResult(0))).toEqual({ok: true, value: 'success'});
	});

	it('operator commands wait while user space is frozen', () => {
		const sim = new Simulation(loadScenario('default'), {seed: 1, script: false});
		sim.submit({write: sysfsPaths.dimmActivate(0), value: 'arm'});
		sim.submit({write: sysfsPaths.busActivate(0), value: 'quiesce'});
		sim.run();
		const returned = answers(sim).at(-1)!;
		sim.submit({read: sysfsPaths.busActivate(0)});
		sim.run();
		expect(answers(sim).at(-1)!.t).toBeGreaterThanOrEqual(returned.t);
	});
});

describe('any valid scenario runs to an outcome', () => {
	it('random hosts never crash the simulator', () => {
		const scenario = fc.record({
			count: fc.integer({min: 1, max: 24}),
			activation: fc.integer({min: 1, max: 200}),
			budget: fc.integer({min: 1, max: 3000}),
			method: fc.constantFrom('quiesce', 'live'),
			kernel: fc.constantFrom('5.10', '6.6', '6.17'),
			noidle: fc.boolean(),
			users: fc.integer({min: 1, max: 300}),
			stuck: fc.option(fc.integer({min: 0, max: 30_000_000}), {nil: undefined}),
			fail: fc.option(fc.constantFrom('prepare', 'freeze', 'freeze_late', 'freeze_noirq'), {nil: undefined}),
			dma: fc.boolean(),
			stops: fc.boolean(),
			debug: fc.boolean(),
			times: fc.boolean(),
			seed: fc.integer({min: 0, max: 2 ** 32 - 1}),
		});
		fc.assert(
			fc.property(scenario, s => {
				const text = JSON.stringify({
					description: 'random',
					kernel: s.kernel,
					method: s.method,
					freezeTimeoutMs: 500,
					log: {pmDebugMessages: s.debug, pmPrintTimes: s.times},
					platform: {maxQuiesceUs: s.budget, noidle: s.noidle},
					dimms: {count: s.count, defaults: {activationUs: s.activation}},
					tasks: {user: s.users, stuck: s.stuck === undefined ? [] : [{comm: 'x', pid: 9, releaseAfterUs: s.stuck}]},
					devices: [
						{name: 'dev{i}', count: 3, driver: 'd', dma: {active: s.dma, stopsOnFreeze: s.stops}, completionTimeoutUs: 100},
						{name: 'bad', driver: 'b', bus: 'platform', ...(s.fail ? {fail: {callback: s.fail}} : {})},
					],
				});
				const sim = new Simulation(parseScenario(text, 'random.json'), {seed: s.seed}).run();
				expect(outcomeKinds).toContain(sim.outcome().kind);
				for (let i = 1; i < sim.timeline.length; i++) expect(sim.timeline[i]!.t).toBeGreaterThanOrEqual(sim.timeline[i - 1]!.t);
			}),
			{numRuns: 60},
		);
	});
});
