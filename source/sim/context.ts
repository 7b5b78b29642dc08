/**
 * What the processes of the model share: the clock, the host, the kernel
 * era, the PRNG streams, and the emitters that append to the timeline.
 */
import type {NoteEvent, NoteTopic, TimelineEvent} from '../events.js';
import type {LogRecord} from '../kernel/log-format.js';
import type {KernelProfile} from '../kernel/profiles.js';
import type {SysfsAnswer} from '../kernel/sysfs.js';
import type {Engine} from './engine.js';
import type {Host} from './host.js';
import type {Prng} from './prng.js';
import type {Scenario} from './scenario.js';

export class SimContext {
	private lastFiles = new Map<string, string>();

	constructor(
		readonly engine: Engine,
		readonly host: Host,
		readonly kernel: KernelProfile,
		readonly scenario: Scenario,
		readonly rng: Prng,
		private readonly sink: (event: TimelineEvent) => void,
	) {}

	get now(): number {
		return this.engine.now;
	}

	emit(event: TimelineEvent): void {
		this.sink(event);
	}

	/** Kernel log records, visible now; `stampUs` for pr_cont lines stamped earlier. */
	log(records: LogRecord | readonly LogRecord[], stampUs?: number): void {
		for (const record of Array.isArray(records) ? records : [records as LogRecord]) {
			const event: TimelineEvent = {kind: 'log', t: this.now, level: record.level, text: record.text};
			if (stampUs !== undefined && stampUs !== this.now) event.stamp = stampUs;
			this.sink(event);
		}
	}

	/** pm_pr_dbg(): only with /sys/power/pm_debug_messages = 1. */
	debugLog(record: LogRecord): void {
		if (this.scenario.log.pmDebugMessages) this.log(record);
	}

	note(topic: NoteTopic, text: string, data?: NoteEvent['data']): void {
		const event: NoteEvent = {kind: 'note', t: this.now, topic, text};
		if (data) event.data = data;
		this.sink(event);
	}

	/** Emit a sysfs event for every firmware file whose content changed. */
	publish(): void {
		this.host.settle(this.now);
		for (const [path, answer] of this.host.files(this.now)) {
			const value = renderAnswer(answer);
			if (this.lastFiles.get(path) === value) continue;
			this.lastFiles.set(path, value);
			this.sink({kind: 'sysfs', t: this.now, path, value});
		}
	}
}

/** A sysfs value as a reader sees it: the text, or `<errno NAME>` when the read fails. */
export function renderAnswer(answer: SysfsAnswer<string>): string {
	return answer.ok ? answer.value : `<errno ${answer.errno}>`;
}
