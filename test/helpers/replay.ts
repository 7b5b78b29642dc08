import type {TimelineEvent} from '../../source/events.js';
import {readTimeline} from '../../source/commands/replay.js';
import {reduceAll} from '../../source/monitor/reducer.js';
import type {MonitorState} from '../../source/monitor/state.js';
import {planTrace} from '../../source/trace/bundle.js';
import type {TraceWarning} from '../../source/trace/log-parser.js';

export async function replay(path: string): Promise<{events: TimelineEvent[]; warnings: TraceWarning[]; state: MonitorState}> {
	const events: TimelineEvent[] = [];
	const warnings: TraceWarning[] = [];
	await readTimeline(planTrace(path), batch => events.push(...batch), w => warnings.push(w));
	return {events, warnings, state: reduceAll(events)};
}

export function allCycles(state: MonitorState) {
	return [...state.cycles, ...(state.cycle ? [state.cycle] : [])];
}

export function phaseStatus(cycle: {phases: Array<{id: string; status: string}>}, id: string): string | undefined {
	return cycle.phases.find(p => p.id === id)?.status;
}
