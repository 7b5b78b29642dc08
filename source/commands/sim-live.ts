/**
 * `quiesce sim` in a terminal, until the Ink monitor lands: the timeline
 * printed as it happens, in real time, with slow motion around the quiesce.
 */
import type {Writable} from 'node:stream';
import {performance} from 'node:perf_hooks';
import {formatEventText} from '../headless/format.js';
import {PlaybackClock, quiesceWindows} from '../player/clock.js';
import {outcomeLine} from '../sim/outcome.js';
import {createSimulation, type SimArgs} from './sim.js';

export async function runLive(args: SimArgs & {speed: number}, out: Writable, signal: AbortSignal): Promise<void> {
	const sim = createSimulation(args).run();
	const timeline = sim.timeline;
	const clock = new PlaybackClock(timeline[0]?.t ?? 0, args.speed, quiesceWindows(timeline));
	out.write(`# quiesce: live simulation of "${sim.scenario.name}" (seed ${args.seed}, kernel ${sim.kernel.id}) at ${args.speed}×, slow motion around the memory quiesce; Ctrl-C stops\n`);
	let next = 0;
	clock.tick(performance.now());
	while (next < timeline.length && !signal.aborted) {
		const position = clock.tick(performance.now());
		const lines: string[] = [];
		while (next < timeline.length && timeline[next]!.t <= position) lines.push(formatEventText(timeline[next++]!));
		if (lines.length > 0) out.write(lines.join('\n') + '\n');
		if (next < timeline.length) await new Promise(resolve => setTimeout(resolve, 15));
	}

	if (!signal.aborted) out.write(`# ${outcomeLine(sim.outcome())}\n`);
}
