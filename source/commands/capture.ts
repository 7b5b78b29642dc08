import process from 'node:process';
import {capture} from '../capture/capture.js';
import {execaRunner, nodeReadOnlyFs} from '../capture/readonly.js';
import {UsageError} from './errors.js';

export async function runCapture(args: {out: string; root: string; watch: boolean; intervalMs: number; durationS?: number}): Promise<void> {
	if (!(args.intervalMs >= 10 && args.intervalMs <= 60_000)) throw new UsageError(`--interval: expected 10 to 60000 ms, got ${args.intervalMs}`);
	if (args.durationS !== undefined && !(args.durationS > 0)) throw new UsageError(`--duration: expected a number of seconds > 0, got ${args.durationS}`);
	const controller = new AbortController();
	const stop = () => controller.abort();
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	const say = (line: string) => process.stderr.write(`quiesce: ${line}\n`);
	try {
		const report = await capture({...args, fs: nodeReadOnlyFs, runner: execaRunner, now: () => Date.now(), signal: controller.signal, say});
		say(`captured ${report.values} sysfs values${report.hasNdBus ? ` (${report.buses.join(', ')}; ${report.dimms.length} DIMM(s))` : ''}, ${report.logLines} kernel log lines${args.watch ? `, ${report.polls} polls with ${report.changes} change(s)` : ''} into ${report.out}`);
		for (const note of report.notes) say(note);
		if (report.unreadable.length > 0) say(`${report.unreadable.length} file(s) could not be read (listed in meta.json)`);
	} finally {
		process.off('SIGINT', stop);
		process.off('SIGTERM', stop);
	}
}
