/**
 * `quiesce record`: a simulated run written as a trace bundle — the native
 * timeline (lossless) plus the kernel log and sysfs polls a real capture
 * would hold, so the same bundle exercises both replay paths.
 */
import type {ActionEvent, TimelineEvent} from '../events.js';
import {formatDmesgLine} from '../kernel/log-format.js';
import {bundleFormat, type BundleMeta} from '../trace/bundle.js';
import {escapeValue} from '../trace/sysfs-parser.js';
import {formatWrites} from '../trace/writes.js';
import {prepareOut, writeBundleFiles} from '../capture/out.js';
import {loadScenario} from '../sim/scenario.js';
import {createSimulation, type SimArgs} from './sim.js';

/**
 * The bundle's files as text. Written through capture/out.ts like a capture:
 * --out new or empty, --force replaces only a previous bundle's own files,
 * and a symlink planted under a bundle file's name is replaced, never followed.
 */
export function bundleFilesOf(events: readonly TimelineEvent[], meta: BundleMeta): Record<'meta.json' | 'kernel.log' | 'sysfs.tsv' | 'writes.tsv' | 'events.ndjson', string> {
	const log: string[] = [];
	const sysfs: string[] = [];
	const actions: ActionEvent[] = [];
	for (const event of events) {
		if (event.kind === 'log') log.push(`<${event.level ?? 6}>${formatDmesgLine(event.stamp ?? event.t, event.text)}`);
		else if (event.kind === 'sysfs') sysfs.push(`${event.t}\t/sys/${event.path}\t${escapeValue(event.value)}`);
		else if (event.kind === 'action') actions.push(event);
	}

	return {
		'meta.json': JSON.stringify(meta, null, 2) + '\n',
		'kernel.log': log.join('\n') + (log.length > 0 ? '\n' : ''),
		'sysfs.tsv': sysfs.join('\n') + (sysfs.length > 0 ? '\n' : ''),
		// The operator's writes, readable, in a real capture's format: replay needs them to see an activation start and end.
		'writes.tsv': formatWrites(actions),
		'events.ndjson': events.map(e => JSON.stringify(e)).join('\n') + '\n',
	};
}

export function runRecord(args: SimArgs & {out: string; force: boolean}): string {
	const out = prepareOut(args.out, {root: '/', force: args.force, command: 'record'});
	const sim = createSimulation(args, loadScenario).run();
	const outcome = sim.outcome();
	writeBundleFiles(out, bundleFilesOf(sim.timeline, {
		format: bundleFormat,
		version: 1,
		host: `sim-${sim.scenario.name}`,
		kernel: sim.kernel.release,
		source: 'quiesce sim',
		scenario: sim.scenario.name,
		seed: args.seed,
		clock: {sysfsOffsetUs: 0, note: 'kernel.log stamps and sysfs.tsv times share one clock: µs since boot'},
		outcome: outcome.kind,
	}));
	return `recorded ${sim.timeline.length} events of "${sim.scenario.name}" (seed ${args.seed}, outcome ${outcome.kind}) to ${args.out}`;
}
