/**
 * Headless output: each timeline event as one line of text, or as one JSON
 * object. Kernel log records print exactly as `dmesg` prints them; every other
 * line starts with "#", so `grep -v '^#'` leaves a pure dmesg.
 */
import type {TimelineEvent} from '../events.js';
import {errnos} from '../kernel/errno.js';
import {escapeControls as esc} from '../escape.js';
import {formatDmesgLine, formatStamp} from '../kernel/log-format.js';

function visible(value: string): string {
	return JSON.stringify(value);
}

export function formatEventText(event: TimelineEvent): string {
	switch (event.kind) {
		case 'log': {
			return formatDmesgLine(event.stamp ?? event.t, esc(event.text, true));
		}

		case 'sysfs': {
			return `# sysfs  ${formatStamp(event.t)} ${esc(event.path)} = ${esc(event.value)}`;
		}

		case 'note': {
			return `# note   ${formatStamp(event.t)} ${event.topic}: ${esc(event.text)}`;
		}

		case 'fault': {
			return `# fault  ${formatStamp(event.t)} ${event.point}: ${event.text}`;
		}

		case 'action': {
			const what = event.op === 'read' ? esc(event.path) : `${esc(event.path)} <- ${visible(event.value ?? '')}`;
			let result: string;
			if (event.result === null) result = 'blocked (runs the activation)';
			else if (event.result.ok) result = event.op === 'read' ? `= ${esc(event.result.value ?? '')}` : 'ok';
			else result = `-${event.result.code} ${event.result.errno} (${errnos[event.result.errno].message})`;
			return `# ${event.op.padEnd(6, ' ')} ${formatStamp(event.t)} ${what}: ${result}`;
		}
	}
}

export function formatEventJson(event: TimelineEvent): string {
	return JSON.stringify(event);
}
