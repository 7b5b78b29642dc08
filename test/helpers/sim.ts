import type {LogEvent, NoteEvent, TimelineEvent} from '../../source/events.js';
import type {KernelId} from '../../source/kernel/profiles.js';
import {loadScenario, parseScenario} from '../../source/sim/scenario.js';
import {Simulation} from '../../source/sim/simulation.js';

export function simulate(name: string, seed = 1, kernel?: KernelId): Simulation {
	return new Simulation(loadScenario(name), {seed, kernel}).run();
}

/** A scenario from inline YAML/JSON text (extends resolves built-ins by name). */
export function simulateText(text: string, seed = 1, file = 'inline.yaml'): Simulation {
	return new Simulation(parseScenario(text, file), {seed}).run();
}

export function logs(timeline: readonly TimelineEvent[]): LogEvent[] {
	return timeline.filter((e): e is LogEvent => e.kind === 'log');
}

export function notes(timeline: readonly TimelineEvent[], topic: NoteEvent['topic']): NoteEvent[] {
	return timeline.filter((e): e is NoteEvent => e.kind === 'note' && e.topic === topic);
}

/** The quiet-exec step numbers the simulator executed, in order. */
export function executedSteps(timeline: readonly TimelineEvent[]): number[] {
	return notes(timeline, 'step')
		.filter(n => n.data?.['status'] !== 'failed')
		.map(n => n.data?.['n'] as number);
}
