/**
 * `quiesce capture`: record what a host shows into a trace bundle — the nd
 * sysfs tree, /sys/power, the kernel version, the kernel log, `ndctl list`
 * — once, or with --watch polling the firmware attributes and following the
 * log until stopped. Reads only (see readonly.ts); writes only below --out.
 */
import {mkdirSync, realpathSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {bundleFormat, type BundleMeta} from '../trace/bundle.js';
import {escapeValue} from '../trace/sysfs-parser.js';
import type {CommandRunner, ReadOnlyFs} from './readonly.js';
import {snapshot, watchedPaths, type Unreadable} from './snapshot.js';
import {CaptureError} from '../errors.js';

export type CaptureOptions = {
	out: string;
	/** The sysfs-like root: "/" for this machine, or a folder holding sys/, proc/, … */
	root: string;
	watch: boolean;
	intervalMs: number;
	/** Stop a --watch after this many seconds (default: until the signal). */
	durationS?: number;
	fs: ReadOnlyFs;
	runner: CommandRunner;
	/** Wall clock, ms. */
	now: () => number;
	signal?: AbortSignal;
	say: (line: string) => void;
};

export type CaptureReport = {out: string; hasNdBus: boolean; buses: string[]; dimms: string[]; values: number; unreadable: Unreadable[]; polls: number; changes: number; logLines: number; notes: string[]};

export {CaptureError};

function resolveReal(p: string): string {
	let current = path.resolve(p);
	const rest: string[] = [];
	for (;;) {
		try {
			return path.join(realpathSync(current), ...rest.reverse());
		} catch {
			const parent = path.dirname(current);
			if (parent === current) return path.resolve(p);
			rest.push(path.basename(current));
			current = parent;
		}
	}
}

/** --out must not be inside the sysfs root's sys/ (nor /proc or /dev). */
export function checkOut(out: string, root: string): void {
	const target = resolveReal(out);
	for (const forbidden of ['sys', 'proc', 'dev'].map(d => resolveReal(path.join(root, d)))) {
		if (target === forbidden || target.startsWith(forbidden + path.sep)) {
			throw new CaptureError(`--out ${out}: inside ${forbidden}; capture never writes there`);
		}
	}
}

async function readText(fs: ReadOnlyFs, file: string): Promise<string | undefined> {
	try {
		return (await fs.readFile(file, 1 << 20)).toString('utf8').trim();
	} catch {
		return undefined;
	}
}

export async function capture(options: CaptureOptions): Promise<CaptureReport> {
	const {fs, runner, root, say} = options;
	checkOut(options.out, root);
	const onThisMachine = path.resolve(root) === '/';
	const notes: string[] = [];
	// Poll times go on the kernel log's clock: µs since boot, from /proc/uptime.
	const uptime = await readText(fs, path.join(root, 'proc', 'uptime'));
	const bootUs = uptime ? Math.round(Number(uptime.split(/\s+/)[0]) * 1_000_000) : 0;
	if (!uptime) notes.push('no proc/uptime: sysfs times count from the start of the capture, not from boot');
	const wall0 = options.now();
	const clock = () => bootUs + Math.round((options.now() - wall0) * 1000);

	const first = await snapshot(fs, root);
	const t0 = clock();
	const lines = first.values.map(v => `${t0}\t/${v.path}\t${escapeValue(v.value)}`);
	const buses = first.ndDevices.filter(n => /^ndbus\d+$/.test(n));
	const dimms = first.ndDevices.filter(n => /^nmem\d+$/.test(n));
	if (!first.hasNdBus) notes.push(`no nd bus: ${path.join(root, 'sys/bus/nd/devices')} ${first.ndDevices.length === 0 ? 'is missing or empty' : 'has no ndbus'}; this host has no NVDIMMs to activate`);
	else if (!first.values.some(v => v.path.endsWith('/firmware/activate'))) notes.push('the nd bus has no firmware/ attributes: runtime firmware activation is not supported here (capability none)');

	const kernel = onThisMachine ? await runText(runner, ['uname', '-r'], notes) : await readText(fs, path.join(root, 'proc', 'sys', 'kernel', 'osrelease'));
	const host = onThisMachine ? await runText(runner, ['uname', '-n'], notes) : await readText(fs, path.join(root, 'proc', 'sys', 'kernel', 'hostname'));

	// The kernel log: dmesg, else /dev/kmsg; in a --root folder, a saved log there.
	let log: string[] = [];
	let follower: ReturnType<CommandRunner['follow']> | undefined;
	let fakeLogFile: string | undefined;
	let fakeLogSeen = 0;
	if (onThisMachine) {
		if (options.watch) {
			follower = runner.follow(['dmesg', '-r', '-w'], line => log.push(line));
		} else {
			const dmesg = await runner.run(['dmesg', '-r']);
			if (dmesg.ok) log = dmesg.stdout.split('\n').filter(Boolean);
			else {
				notes.push(`dmesg: ${dmesg.reason}; trying /dev/kmsg`);
				try {
					log = await fs.readRecords('/dev/kmsg', 1_000_000);
				} catch (error) {
					notes.push(`/dev/kmsg: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; no kernel log captured`);
				}
			}
		}
	} else {
		for (const name of ['dmesg.log', 'kmsg.txt', 'kernel.log']) {
			const file = path.join(root, name);
			if (await fs.exists(file)) {
				fakeLogFile = file;
				break;
			}
		}

		if (fakeLogFile) {
			const text = (await fs.readFile(fakeLogFile, 256 << 20)).toString('utf8');
			fakeLogSeen = text.length;
			log = text.split('\n').filter(Boolean);
		} else notes.push(`no kernel log in ${root} (dmesg.log, kmsg.txt or kernel.log)`);
	}

	const ndctl = onThisMachine || (await fs.exists(path.join(root, 'ndctl.json'))) ? await ndctlList(options, notes) : undefined;

	let polls = 0;
	let changes = 0;
	if (options.watch) {
		const watched = watchedPaths(first);
		const last = new Map(first.values.map(v => [v.path, v.value]));
		say(`watching ${watched.length} firmware attribute(s) every ${options.intervalMs} ms${options.durationS ? ` for ${options.durationS} s` : ''}; Ctrl-C stops`);
		const until = options.durationS === undefined ? Number.POSITIVE_INFINITY : wall0 + options.durationS * 1000;
		while (!options.signal?.aborted && options.now() < until) {
			await sleep(options.intervalMs, options.signal);
			polls++;
			const t = clock();
			for (const file of watched) {
				let value: string;
				try {
					const raw = (await fs.readFile(path.join(root, file), 4096)).toString('utf8');
					value = raw.endsWith('\n') ? raw.slice(0, -1) : raw;
				} catch (error) {
					value = `<errno ${(error as NodeJS.ErrnoException).code ?? 'EIO'}>`;
				}

				if (last.get(file) !== value) {
					last.set(file, value);
					lines.push(`${t}\t/${file}\t${escapeValue(value)}`);
					changes++;
				}
			}

			if (fakeLogFile) {
				const text = (await fs.readFile(fakeLogFile, 256 << 20)).toString('utf8');
				if (text.length > fakeLogSeen) log.push(...text.slice(fakeLogSeen).split('\n').filter(Boolean));
				fakeLogSeen = text.length;
			}
		}

		if (follower) {
			await follower.stop();
			const failure = await follower.failed;
			if (failure) notes.push(`dmesg -w: ${failure}`);
		}
	}

	const meta: BundleMeta = {
		format: bundleFormat,
		version: 1,
		host,
		kernel,
		source: onThisMachine ? 'quiesce capture' : `quiesce capture --root ${root}`,
		created: new Date(wall0).toISOString(),
		clock: {sysfsOffsetUs: 0, note: 'sysfs.tsv times are µs since boot (from /proc/uptime), the kernel log clock'},
		unreadable: first.unreadable.map(u => u.path),
		unreadableReasons: first.unreadable,
		notes,
		watch: options.watch ? {intervalMs: options.intervalMs, polls, changes} : undefined,
	};
	mkdirSync(options.out, {recursive: true});
	const write = (name: string, content: string) => writeFileSync(path.join(options.out, name), content);
	write('meta.json', JSON.stringify(meta, null, 2) + '\n');
	write('sysfs.tsv', lines.join('\n') + (lines.length > 0 ? '\n' : ''));
	if (log.length > 0) write('kernel.log', log.join('\n') + '\n');
	if (ndctl) write('ndctl.json', ndctl);
	return {out: options.out, hasNdBus: first.hasNdBus, buses, dimms, values: first.values.length, unreadable: first.unreadable, polls, changes, logLines: log.length, notes};
}

async function runText(runner: CommandRunner, argv: string[], notes: string[]): Promise<string | undefined> {
	const result = await runner.run(argv);
	if (result.ok) return result.stdout.trim();
	notes.push(`${argv.join(' ')}: ${result.reason}`);
	return undefined;
}

async function ndctlList(options: CaptureOptions, notes: string[]): Promise<string | undefined> {
	if (path.resolve(options.root) !== '/') {
		return (await options.fs.readFile(path.join(options.root, 'ndctl.json'), 16 << 20)).toString('utf8');
	}

	const result = await options.runner.run(['ndctl', 'list', '-BDF']);
	if (!result.ok) {
		notes.push(`ndctl: ${result.reason}; skipped`);
		return undefined;
	}

	return result.stdout.trim() === '' ? undefined : result.stdout;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise(resolve => {
		const timer = setTimeout(resolve, ms);
		signal?.addEventListener('abort', () => {
			clearTimeout(timer);
			resolve();
		}, {once: true});
	});
}
