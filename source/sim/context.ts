/**
 * What the processes of the model share: the clock, the host, the kernel
 * era, the PRNG streams, and the emitters that append to the timeline.
 */
import type {FaultEvent, FaultPoint, NoteEvent, NoteTopic, TimelineEvent} from '../events.js';
import type {ErrnoName} from '../kernel/errno.js';
import type {LogRecord} from '../kernel/log-format.js';
import type {KernelProfile} from '../kernel/profiles.js';
import type {SysfsAnswer} from '../kernel/sysfs.js';
import type {Engine} from './engine.js';
import type {Dimm, Host} from './host.js';
import type {Prng} from './prng.js';
import type {Scenario} from './scenario.js';

export class SimContext {
	/** What each firmware file last read, by its slot (Host.eachFile). */
	private readonly lastFiles: Array<string | undefined>;
	/** Kernel log records emitted so far. */
	logCount = 0;

	constructor(
		readonly engine: Engine,
		readonly host: Host,
		readonly kernel: KernelProfile,
		readonly scenario: Scenario,
		readonly rng: Prng,
		private readonly sink: (event: TimelineEvent) => void,
	) {
		// Filled up front: a dense array, not one that grows from slot 513 down.
		this.lastFiles = Array.from<string | undefined>({length: 3 + 2 * host.dimms.length}).fill(undefined);
	}

	get now(): number {
		return this.engine.now;
	}

	/** The pid of the task that writes to the bus `activate` file (it runs every sync callback). */
	get writerPid(): number {
		return this.scenario.tasks.writerPid;
	}

	/** Log records emitted since the count was `mark`. */
	linesSince(mark: number): number {
		return this.logCount - mark;
	}

	emit(event: TimelineEvent): void {
		this.sink(event);
	}

	/** Kernel log records, visible now; `stampUs` for pr_cont lines stamped earlier. */
	log(records: LogRecord | readonly LogRecord[], stampUs?: number): void {
		for (const record of Array.isArray(records) ? records : [records as LogRecord]) {
			const event: TimelineEvent = {kind: 'log', t: this.now, level: record.level, text: record.text};
			if (stampUs !== undefined && stampUs !== this.now) event.stamp = stampUs;
			this.logCount++;
			this.sink(event);
		}
	}

	/**
	 * pm_pr_dbg() inside hibernate_quiet_exec(): only with
	 * /sys/power/pm_debug_messages = 1, and not at all on the releases where
	 * pm_debug_messages_should_print() wants a suspend target state
	 * (cdb8c100d8a4 … 1b17d4525bca, see releases.ts).
	 */
	debugLog(record: LogRecord): void {
		if (this.scenario.log.pmDebugMessages && this.kernel.dpmDebugInQuietExec) this.log(record);
	}

	/** Faults that fired in this run, in order (also on the timeline). */
	readonly faults: FaultEvent[] = [];

	/** An injected fault fires now: record it (sim/faults.ts). */
	fault(point: FaultPoint, text: string, extra: {target?: string; errno?: ErrnoName; data?: Record<string, unknown>} = {}): FaultEvent {
		const event: FaultEvent = {kind: 'fault', t: this.now, simulated: true, point, text};
		if (extra.target !== undefined) event.target = extra.target;
		if (extra.errno !== undefined) event.errno = extra.errno;
		if (extra.data !== undefined) event.data = extra.data;
		this.faults.push(event);
		this.sink(event);
		return event;
	}

	note(topic: NoteTopic, text: string, data?: NoteEvent['data']): void {
		const event: NoteEvent = {kind: 'note', t: this.now, topic, text};
		if (data) event.data = data;
		this.sink(event);
	}

	/**
	 * Emit a sysfs event for every firmware file whose content changed; with
	 * `only`, look at the bus files and those DIMMs' alone (linear work per
	 * arm, so arming thousands of DIMMs is not quadratic).
	 */
	publish(only?: readonly Dimm[]): void {
		this.host.settle(this.now);
		this.host.eachFile(this.now, only, this.publishFile);
	}

	private readonly publishFile = (path: string, answer: SysfsAnswer<string>, slot: number): void => {
		const value = renderAnswer(answer);
		if (this.lastFiles[slot] === value) return;
		this.lastFiles[slot] = value;
		this.sink({kind: 'sysfs', t: this.now, path, value});
	};
}

export {firmwareFile} from './firmware-file.js';

/** A sysfs value as a reader sees it: the text, or `<errno NAME>` when the read fails. */
export function renderAnswer(answer: SysfsAnswer<string>): string {
	return answer.ok ? answer.value : `<errno ${answer.errno}>`;
}
