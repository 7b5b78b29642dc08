import process from 'node:process';
import {capture, type WatchChange, type WatchProgress} from '../capture/capture.js';
import {confinedFs, execaRunner} from '../capture/readonly.js';
import {UsageError} from './errors.js';

/** Text from the captured host goes to the terminal escaped: no control characters. */
const printable = (text: string) => text.replace(/[\u0000-\u001F\u007F-\u009F]/g, c => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

export function describeChange(change: WatchChange): string {
	const seconds = (change.tUs / 1_000_000).toFixed(6);
	const shown = (value: string) => (value === '' ? '""' : printable(value));
	return `[${seconds}] ${change.path}: ${change.from === undefined ? '(new)' : shown(change.from)} → ${shown(change.to)}`;
}

export function describeProgress(progress: WatchProgress): string {
	return `${progress.polls} poll(s), ${progress.changes} change(s), ${progress.logLines} kernel log line(s) followed`;
}

export async function runCapture(args: {out: string; root: string; force?: boolean; watch: boolean; intervalMs: number; durationS?: number}): Promise<void> {
	if (!(args.intervalMs >= 10 && args.intervalMs <= 60_000)) throw new UsageError(`--interval: expected 10 to 60000 ms, got ${args.intervalMs}`);
	if (args.durationS !== undefined && !(args.durationS > 0)) throw new UsageError(`--duration: expected a number of seconds > 0, got ${args.durationS}`);
	const controller = new AbortController();
	const stop = () => controller.abort();
	// Any of these ends a --watch with the bundle written (SIGHUP: the ssh session dropped).
	const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const;
	for (const signal of signals) process.on(signal, stop);
	const stderr = process.stderr;
	// After SIGHUP the terminal is gone and writes to it fail (EIO): the bundle matters more than the messages.
	const ignoreOutputErrors = () => undefined;
	stderr.on('error', ignoreOutputErrors);
	const live = Boolean(stderr.isTTY) && args.watch;
	let statusShown = false;
	let lastDraw = 0;
	const clearStatus = () => {
		if (statusShown) stderr.write('\r\u001B[K');
		statusShown = false;
	};

	const say = (line: string) => {
		clearStatus();
		stderr.write(`quiesce: ${line}\n`);
	};

	try {
		const report = await capture({
			...args,
			fs: confinedFs(args.root),
			runner: execaRunner,
			now: () => Date.now(),
			signal: controller.signal,
			say,
			change: change => say(describeChange(change)),
			progress(progress) {
				// On a terminal, one status line redrawn at most 4 times a second.
				if (!live || Date.now() - lastDraw < 250) return;
				lastDraw = Date.now();
				stderr.write(`\r\u001B[K${describeProgress(progress)} · Ctrl-C stops`);
				statusShown = true;
			},
		});
		clearStatus();
		say(`captured ${report.values} sysfs values${report.hasNdBus ? ` (${report.buses.join(', ')}; ${report.dimms.length} DIMM(s))` : ''}, ${report.logLines} kernel log lines${args.watch ? `, ${report.polls} polls with ${report.changes} change(s)` : ''} into ${report.out}`);
		for (const note of report.notes) say(printable(note));
		if (report.skipped.length > 0) say(`${report.skipped.length} item(s) skipped or unreadable (listed with the reason in meta.json "skipped")`);
	} finally {
		clearStatus();
		for (const signal of signals) process.off(signal, stop);
		stderr.off('error', ignoreOutputErrors);
	}
}
