/**
 * The pace rule (player/pace.ts) on the player with an injected clock: no
 * real sleeps. A run is watched the way the screen samples it — every 10 ms
 * of wall time — and what a person sees is measured: how long each phase is
 * seen running, how long nothing changes, and whether the kernel clock ever
 * goes backwards.
 */
import {describe, expect, it} from 'vitest';
import type {TimelineEvent} from '../source/events.js';
import {PacePlanBuilder, paceLabel, type PaceRule} from '../source/player/pace.js';
import {phaseKey} from '../source/monitor/summary.js';
import {Player, pacePlanOf} from '../source/player/player.js';
import {replay} from './helpers/replay.js';
import {simulate} from './helpers/sim.js';

const rule: PaceRule = {minSceneUs: 1_000_000, minKeySceneUs: 2_500_000, minActionUs: 700_000, idleLimitUs: 2_000_000};
const stepMs = 10;

type Watch = {
	/** Wall ms each phase (by label) was seen running. */
	running: Map<string, number>;
	/** Wall ms each screen state (phase list, by phaseKey) was seen. */
	scenes: Map<string, number>;
	/** Wall ms of the longest stretch with no new event visible. */
	longestStillMs: number;
	/** Wall ms from the start to the end. */
	totalMs: number;
	/** [wall ms, kernel µs] samples. */
	samples: Array<[number, number]>;
	/** Status-bar pace labels seen. */
	labels: Set<string>;
};

/** Play from `from` to the end with an injected wall clock ticking every 10 ms. */
function watch(player: Player, from = player.startUs, limitMs = 30 * 60_000): Watch {
	player.seek(from);
	let wall = 0;
	player.clock.resetWall();
	player.clock.tick(wall);
	const running = new Map<string, number>();
	const scenes = new Map<string, number>();
	const samples: Array<[number, number]> = [[0, player.position]];
	const labels = new Set<string>();
	let lastCount = player.countAt(player.position);
	let stillSince = 0;
	let longestStillMs = 0;
	while (!player.ended && wall < limitMs) {
		wall += stepMs;
		player.clock.tick(wall);
		samples.push([wall, player.position]);
		labels.add(player.paceLabel);
		const state = player.stateNow();
		for (const p of state.cycle?.status === 'running' ? state.cycle.phases : []) if (p.status === 'running') running.set(p.label, (running.get(p.label) ?? 0) + stepMs);
		scenes.set(phaseKey(state), (scenes.get(phaseKey(state)) ?? 0) + stepMs);
		const count = player.countAt(player.position);
		if (count !== lastCount) {
			lastCount = count;
			stillSince = wall;
		}

		longestStillMs = Math.max(longestStillMs, wall - stillSince);
	}

	if (player.ended) player.seek(player.endUs); // as the screen does at the end
	return {running, scenes, longestStillMs, totalMs: wall, samples, labels};
}

/**
 * What the kernel's evidence shows for a while (a state after the last event
 * of a time, lasting until the next event's time): the phases seen running
 * and the screen states (phaseKey) — with the kernel µs each lasts.
 */
function evidenceStates(timeline: readonly TimelineEvent[]): {phases: string[]; scenes: Map<string, number>} {
	const player = new Player(timeline, {pace: false});
	const phases = new Set<string>();
	const scenes = new Map<string, number>();
	for (let i = 1; i < timeline.length; i++) {
		const span = timeline[i]!.t - timeline[i - 1]!.t;
		if (span <= 0) continue; // a state that lasts no time: never on screen at any pace
		const state = player.stateAfter(i);
		scenes.set(phaseKey(state), (scenes.get(phaseKey(state)) ?? 0) + span);
		for (const p of state.cycle?.status === 'running' ? state.cycle.phases : []) if (p.status === 'running') phases.add(p.label);
	}

	return {phases: [...phases], scenes};
}

function expectMonotonic(samples: Array<[number, number]>): void {
	for (let i = 1; i < samples.length; i++) expect(samples[i]![1]).toBeGreaterThanOrEqual(samples[i - 1]![1]);
}

describe('the pace plan', () => {
	it('stretches a short scene to its minimum, compresses a long gap to the limit, and is strictly increasing', () => {
		const b = new PacePlanBuilder(rule);
		b.event(0);
		b.mark(0, 1_000_000); // a scene of 100 µs shown for 1 s
		b.event(100);
		b.mark(100, 0); // then 60 s of nothing, one event in the middle
		b.event(30_000_100);
		b.event(60_000_100);
		const plan = b.build();
		expect(plan.toWall(100)).toBeCloseTo(1_000_000, 3);
		// Two gaps of 30 s, each played in the 2 s limit.
		expect(plan.toWall(60_000_100) - plan.toWall(100)).toBeCloseTo(4_000_000, 3);
		expect(paceLabel(plan.segmentAt(50), true)).toBe('×0.0001 slow');
		expect(paceLabel(plan.segmentAt(40_000_000), true)).toBe('gap skipped 28.0 s');
		expect(paceLabel(plan.segmentAt(40_000_000), false)).toBe('strict real time');
		for (let k = 0; k < 60_000_100; k += 777_777) {
			expect(plan.toWall(k + 1)).toBeGreaterThan(plan.toWall(k));
			expect(plan.toKernel(plan.toWall(k))).toBeCloseTo(k, 3);
		}
	});

	it('a scene longer than its minimum plays in real time; a gap stretched with its scene stays monotonic', () => {
		const b = new PacePlanBuilder(rule);
		b.mark(0, 1_000_000);
		b.event(3_000_000); // 3 s: over the 2 s limit, compressed to 2 s, still ≥ 1 s
		b.mark(5_000_000, 2_500_000);
		b.event(25_000_000); // 20 s timeout in a key scene: 2 s, then stretched to 2.5 s
		b.mark(25_000_000, 1_000_000);
		b.event(25_500_000);
		const plan = b.build();
		expect(plan.toWall(3_000_000)).toBeCloseTo(2_000_000, 3);
		expect(plan.toWall(5_000_000) - plan.toWall(3_000_000)).toBeCloseTo(2_000_000, 3); // a 2 s gap is not over the limit
		expect(plan.toWall(25_000_000) - plan.toWall(5_000_000)).toBeCloseTo(2_500_000, 3);
		expect(plan.toWall(25_500_000) - plan.toWall(25_000_000)).toBeCloseTo(1_000_000, 3);
	});
});

describe('the player paced: every phase readable, waits short, kernel time monotonic', () => {
	it.each(['default', 'task-wont-freeze'])('%s: every phase the log shows running is on screen ≥ 1 s (2.5 s for the ones that matter), no wait over the limit', name => {
		const timeline = simulate(name).timeline;
		const player = new Player(timeline, {pace: rule});
		const seen = watch(player);
		expect(player.ended).toBe(true);
		const {phases, scenes} = evidenceStates(timeline);
		if (name === 'default') {
			expect(phases).toEqual(['Freeze user space', 'Freeze kernel threads', 'Freeze devices', 'Late/noirq freeze', 'Memory quiesce + activation', 'Thaw devices', 'Thaw tasks']);
		}

		for (const label of phases) {
			const ms = seen.running.get(label) ?? 0;
			const min = ['Freeze user space', 'Freeze devices', 'Memory quiesce + activation'].includes(label) ? 2500 : 1000;
			expect(ms, label).toBeGreaterThanOrEqual(min - stepMs);
		}

		// Every state of the phase list that lasts any kernel time at all is on screen ≥ 1 s.
		expect(scenes.size).toBeGreaterThanOrEqual(name === 'default' ? 10 : 4);
		for (const key of scenes.keys()) expect(seen.scenes.get(key) ?? 0, key).toBeGreaterThanOrEqual(1000 - stepMs);

		// No stretch of nothing longer than the limit (plus the minimum of the scene it is in).
		expect(seen.longestStillMs).toBeLessThanOrEqual(rule.minKeySceneUs / 1000 + stepMs);
		expectMonotonic(seen.samples);
		// The kernel clock is the true one: the end is the last event's own time.
		expect(player.position).toBe(player.endUs);
		expect(seen.labels.has('real time') || [...seen.labels].some(l => /slow|gap/.test(l))).toBe(true);
	});

	it('default: the run opens with the operator (capability, each arm, the bus armed) before the freeze, at a human pace', () => {
		const timeline = simulate('default').timeline;
		const player = new Player(timeline, {pace: rule});
		const write = timeline.findIndex(e => e.kind === 'action' && e.op === 'write' && e.result === null);
		const actions = timeline.slice(0, write).filter(e => e.kind === 'action');
		expect(actions.map(a => (a.kind === 'action' ? `${a.op} ${a.path.split('/').slice(-3).join('/')}` : ''))).toEqual([
			'read ndbus0/firmware/capability',
			...Array.from({length: 8}, (_, i) => `write nmem${i}/firmware/activate`),
			'read ndbus0/firmware/activate',
		]);
		// Each step of the prologue is on screen ≥ 0.7 s, every one after its own: the freeze starts ≥ 7 s of wall time in.
		expect(new Set(actions.map(a => a.t)).size).toBe(actions.length);
		expect(player.pace.toWall(timeline[write]!.t) - player.pace.toWall(player.startUs)).toBeGreaterThanOrEqual(actions.length * rule.minActionUs);
		const seen = watch(new Player(timeline, {pace: rule}));
		expect(seen.labels).toContain('real time');
		expect([...seen.labels].some(l => /^×0\.0\d+ slow$|^×[\d.e-]+ slow$/.test(l))).toBe(true);
	});

	it('task-wont-freeze: the 20 s freezer timeout plays in 2.5 s, labelled as a skipped gap', () => {
		const timeline = simulate('task-wont-freeze').timeline;
		const seen = watch(new Player(timeline, {pace: rule}));
		// 5.10 prints the freezer's line only when it fails: until then the write is blocked, all phases pending.
		const write = timeline.find(e => e.kind === 'action' && e.result === null)!;
		const opened = new Player(timeline, {pace: false});
		opened.seek(write.t);
		const blocked = phaseKey(opened.stateNow());
		expect(seen.scenes.get(blocked)).toBeGreaterThanOrEqual(2500 - stepMs);
		expect(seen.scenes.get(blocked)).toBeLessThanOrEqual(2500 + stepMs);
		expect([...seen.labels].some(l => /^gap skipped 1\d\.\d s$/.test(l))).toBe(true);
	});

	it('pacing off gives real time: 10 ms of wall clock is 10 ms of kernel time everywhere', () => {
		const timeline = simulate('task-wont-freeze').timeline;
		const player = new Player(timeline, {pace: rule});
		player.clock.paced = false;
		const seen = watch(player);
		for (let i = 1; i < seen.samples.length - 1; i++) expect(seen.samples[i]![1] - seen.samples[i - 1]![1]).toBeCloseTo(stepMs * 1000, 3);
		expect(seen.totalMs).toBeCloseTo((player.endUs - player.startUs) / 1000, -2);
		expect(player.paceLabel).toBe('strict real time');
		const none = new Player(timeline, {pace: false});
		expect(none.clock.paced).toBe(false);
	});

	it('--speed works on top of the pace: 2× plays the default run in half the wall time', () => {
		const timeline = simulate('default').timeline;
		const one = watch(new Player(timeline, {pace: rule}));
		const fast = new Player(timeline, {pace: rule});
		fast.clock.speed = 2;
		const two = watch(fast);
		expect(two.totalMs).toBeCloseTo(one.totalMs / 2, -2);
	});

	it('a replay of a real 6.1 host: each cycle readable, the boot and the hours between cycles skipped', async () => {
		const {events} = await replay('fixtures/traces/qemu-6.1');
		const player = new Player(events);
		const seen = watch(player, player.firstCycleUs);
		expect(player.ended).toBe(true);
		// The log covers more than an hour; it plays in minutes at most, every cycle's phases readable.
		expect(player.endUs - player.firstCycleUs).toBeGreaterThan(0);
		expect(seen.totalMs).toBeLessThan(5 * 60_000);
		for (const label of evidenceStates(events).phases) expect(seen.running.get(label) ?? 0, label).toBeGreaterThanOrEqual(1000 - stepMs);
		expect([...seen.labels].some(l => /^gap skipped /.test(l))).toBe(true);
		expect(seen.longestStillMs).toBeLessThanOrEqual(rule.minKeySceneUs / 1000 + stepMs);
		expectMonotonic(seen.samples);
	});

	it('a stretch of timeline from a given state (the rehearsal screen) gets the same rule', () => {
		const timeline = simulate('task-wont-freeze').timeline;
		const plan = pacePlanOf(timeline);
		const player = new Player(timeline);
		for (const e of timeline) expect(plan.toWall(e.t)).toBeCloseTo(player.pace.toWall(e.t), 3);
	});
});
