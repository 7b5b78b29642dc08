import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {reduceAll} from '../source/monitor/reducer.js';
import {PlaybackClock} from '../source/player/clock.js';
import {PacePlan} from '../source/player/pace.js';
import {Player} from '../source/player/player.js';
import {simulate} from './helpers/sim.js';

describe('PlaybackClock', () => {
	it('real time is real time: 120 s of irregular ticks at 1× advance exactly 120 s', () => {
		const clock = new PlaybackClock(0, 1, PacePlan.real(), false);
		let wall = 1000;
		clock.tick(wall);
		for (let i = 0; i < 4000; i++) {
			wall += 15 + (i % 7) * 3.3;
			clock.tick(wall);
		}

		expect(clock.position).toBeCloseTo((wall - 1000) * 1000, 3);
	});

	it('scales with speed, stops while paused, restarts cleanly after a pause', () => {
		const clock = new PlaybackClock(0, 10, PacePlan.real(), false);
		clock.tick(0);
		clock.tick(100);
		expect(clock.position).toBe(1_000_000);
		clock.paused = true;
		clock.tick(5000);
		expect(clock.position).toBe(1_000_000);
		clock.paused = false;
		clock.resetWall();
		clock.tick(9000);
		clock.tick(9001);
		expect(clock.position).toBe(1_010_000);
	});

	it('slows down around the memory quiesce so a 400 µs stall takes seconds; paced off, it takes 400 µs', () => {
		const player = new Player(simulate('default').timeline);
		const begin = player.timeline.find(e => e.kind === 'note' && e.topic === 'quiesce' && e.data?.['state'] === 'begin')!.t;
		const end = player.timeline.find(e => e.kind === 'note' && e.topic === 'quiesce' && e.data?.['state'] === 'end')!.t;
		const clock = new PlaybackClock(begin, 1, player.pace);
		clock.tick(0);
		let wall = 0;
		while (clock.position < end) clock.tick((wall += 10));
		expect(wall).toBeGreaterThanOrEqual(1000);
		const fast = new PlaybackClock(begin, 1, player.pace, false);
		fast.tick(0);
		fast.tick(1);
		expect(fast.position - begin).toBe(1000);
	});
});

describe('Player', () => {
	const timeline = simulate('task-wont-freeze').timeline;
	const player = new Player(timeline, 16);

	it('gives the same state from keyframes as reducing from the start, in any seek order', () => {
		fc.assert(
			fc.property(fc.array(fc.nat(timeline.length), {minLength: 1, maxLength: 8}), counts => {
				for (const count of counts) expect(player.stateAfter(count)).toEqual(reduceAll(timeline.slice(0, count)));
			}),
			{numRuns: 40},
		);
	});

	it('jumps between phases and steps event by event', () => {
		player.seek(player.startUs);
		player.nextPhase(); // the write that opens the cycle
		expect(player.stateNow().cycle?.phases[0]?.status).toBe('pending');
		player.nextPhase();
		const first = player.position;
		// 5.10 prints "Freezing user space processes ... " as a pr_cont fragment that shows only when the
		// failure line cuts it: from the kernel's log, the freezer goes from pending straight to failed.
		expect(player.stateNow().cycle?.phases[0]?.status).toBe('failed');
		player.nextPhase();
		expect(player.position).toBeGreaterThan(first);
		player.previousPhase();
		expect(player.position).toBe(first);
		const before = player.countAt(player.position);
		player.stepForward();
		expect(player.countAt(player.position)).toBe(before + 1);
	});

	it('speeds run from 0.001× to 1000× and stop at the ends', () => {
		player.clock.speed = 1;
		for (let i = 0; i < 30; i++) player.setSpeed(1);
		expect(player.clock.speed).toBe(1000);
		for (let i = 0; i < 40; i++) player.setSpeed(-1);
		expect(player.clock.speed).toBe(0.001);
	});

	it('the log tail is sliced before rendering', () => {
		player.seek(player.endUs);
		const tail = player.logTail(5);
		expect(tail.lines).toHaveLength(5);
		expect(tail.lines.at(-1)?.text).toBe('Restarting tasks ... done.');
		// The task dump ends with the user registers at the syscall entry (x86 __show_regs).
		expect(player.logTail(5, 2).lines.at(-1)?.text).toMatch(/^R13: [\da-f]{16} R14: [\da-f]{16} R15: [\da-f]{16}$/);
	});
});
