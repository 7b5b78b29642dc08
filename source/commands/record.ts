/**
 * `quiesce record`: a simulated run written as a trace bundle — the native
 * timeline (lossless) plus the kernel log and sysfs polls a real capture
 * would hold, so the same bundle exercises both replay paths.
 */
import {existsSync, mkdirSync, readdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import type {ActionEvent, TimelineEvent} from '../events.js';
import {formatDmesgLine} from '../kernel/log-format.js';
import {bundleFormat, type BundleMeta} from '../trace/bundle.js';
import {escapeValue} from '../trace/sysfs-parser.js';
import {formatWrites} from '../trace/writes.js';
import {UsageError} from './errors.js';
import {createSimulation, type SimArgs} from './sim.js';

export function writeBundle(dir: string, events: readonly TimelineEvent[], meta: BundleMeta): void {
	mkdirSync(dir, {recursive: true});
	const log: string[] = [];
	const sysfs: string[] = [];
	const actions: ActionEvent[] = [];
	for (const event of events) {
		if (event.kind === 'log') log.push(`<${event.level ?? 6}>${formatDmesgLine(event.stamp ?? event.t, event.text)}`);
		else if (event.kind === 'sysfs') sysfs.push(`${event.t}\t/sys/${event.path}\t${escapeValue(event.value)}`);
		else if (event.kind === 'action') actions.push(event);
	}

	writeFileSync(path.join(dir, 'meta.json'), JSON.stringify(meta, null, 2) + '\n');
	writeFileSync(path.join(dir, 'kernel.log'), log.join('\n') + (log.length > 0 ? '\n' : ''));
	writeFileSync(path.join(dir, 'sysfs.tsv'), sysfs.join('\n') + (sysfs.length > 0 ? '\n' : ''));
	// The operator's writes, readable, in a real capture's format: replay needs them to see an activation start and end.
	writeFileSync(path.join(dir, 'writes.tsv'), formatWrites(actions));
	writeFileSync(path.join(dir, 'events.ndjson'), events.map(e => JSON.stringify(e)).join('\n') + '\n');
}

export function runRecord(args: SimArgs & {out: string; force: boolean}): string {
	if (existsSync(args.out) && readdirSync(args.out).length > 0 && !args.force) {
		throw new UsageError(`--out ${args.out}: directory is not empty (use --force to overwrite)`);
	}

	const sim = createSimulation(args).run();
	const outcome = sim.outcome();
	writeBundle(args.out, sim.timeline, {
		format: bundleFormat,
		version: 1,
		host: `sim-${sim.scenario.name}`,
		kernel: sim.kernel.release,
		source: 'quiesce sim',
		scenario: sim.scenario.name,
		seed: args.seed,
		clock: {sysfsOffsetUs: 0, note: 'kernel.log stamps and sysfs.tsv times share one clock: µs since boot'},
		outcome: outcome.kind,
	});
	return `recorded ${sim.timeline.length} events of "${sim.scenario.name}" (seed ${args.seed}, outcome ${outcome.kind}) to ${args.out}`;
}
