/**
 * The headless printer shared by `sim` and `replay`: every event, and after
 * each one that changes a phase, the derived monitor state — as text lines
 * or JSON objects.
 */
import type {Writable} from 'node:stream';
import type {TimelineEvent} from '../events.js';
import {escapeControls} from '../escape.js';
import {formatStamp} from '../kernel/log-format.js';
import {reduce} from '../monitor/reducer.js';
import {initialState, type MonitorState} from '../monitor/state.js';
import {changedPhases, describePhase, phaseKey, stateSummary} from '../monitor/summary.js';
import {formatEventJson, formatEventText} from './format.js';

export class TimelinePrinter {
	state: MonitorState = initialState();
	private readonly lines: string[] = [];

	constructor(
		private readonly out: Writable,
		private readonly json: boolean,
		private readonly eventsToo = true,
	) {}

	push(event: TimelineEvent): void {
		const before = this.state;
		this.state = reduce(before, event);
		if (this.eventsToo) this.lines.push(this.json ? formatEventJson(event) : formatEventText(event));
		if (this.eventsToo && phaseKey(before) !== phaseKey(this.state)) {
			if (this.json) this.lines.push(JSON.stringify({kind: 'state', t: event.t, ...stateSummary(this.state)}));
			else for (const p of changedPhases(before, this.state)) this.lines.push(`# phase  ${formatStamp(event.t)} ${escapeControls(describePhase(p), true)}`);
		}

		if (this.lines.length >= 512) this.flush();
	}

	line(text: string): void {
		this.lines.push(text);
	}

	flush(): void {
		if (this.lines.length > 0) this.out.write(this.lines.join('\n') + '\n');
		this.lines.length = 0;
	}
}
