/**
 * `quiesce capture`: record what a host shows into a trace bundle — the nd
 * sysfs tree, /sys/power, the kernel version, the kernel log, `ndctl list`
 * — once, or with --watch polling the firmware attributes and following the
 * log until stopped. Reads only, through a filesystem confined to --root
 * (readonly.ts: no link out, no FIFO or device, bounded reads; what is refused
 * is listed in meta.json "skipped"); writes only below --out, checked before
 * anything is read (out.ts: temporary name, then rename).
 */
import path from 'node:path';
import {StringDecoder} from 'node:string_decoder';
import {bundleFormat, type BundleMeta} from '../trace/bundle.js';
import {escapeValue} from '../trace/sysfs-parser.js';
import {RefusedRead, type CommandRunner, type ReadOnlyFs} from './readonly.js';
import {prepareOut, writeBundleFiles} from './out.js';
import {reasonOf, snapshot, watchedPaths, type Unreadable} from './snapshot.js';
import {CaptureError} from '../errors.js';

export type WatchProgress = {polls: number; changes: number; logLines: number};
export type WatchChange = {tUs: number; path: string; from: string | undefined; to: string};

export type CaptureOptions = {
	out: string;
	/** Replace a previous bundle in --out (only the bundle's own files). */
	force?: boolean;
	/** The sysfs-like root: "/" for this machine, or a folder holding sys/, proc/, … */
	root: string;
	watch: boolean;
	intervalMs: number;
	/** Stop a --watch after this many seconds (default: until the signal). */
	durationS?: number;
	/** Confined to `root` (readonly.ts confinedFs): capture reads only through it. */
	fs: ReadOnlyFs;
	runner: CommandRunner;
	/** Wall clock, ms. */
	now: () => number;
	signal?: AbortSignal;
	say: (line: string) => void;
	/** --watch: after every poll. */
	progress?: (progress: WatchProgress) => void;
	/** Bound on the kernel log read from a --root tree (default maxLogBytes). */
	maxLogBytes?: number;
	/** --watch: each attribute change seen. */
	change?: (change: WatchChange) => void;
};

export type CaptureReport = {out: string; hasNdBus: boolean; buses: string[]; dimms: string[]; values: number; unreadable: Unreadable[]; skipped: Unreadable[]; polls: number; changes: number; logLines: number; notes: string[]};

export {CaptureError};

/** A kernel log read from a --root tree is kept up to this size. */
export const maxLogBytes = 64 << 20;

/** --root must be a folder that holds sys/ (the tree capture reads). */
async function checkRoot(fs: ReadOnlyFs, root: string): Promise<void> {
	const quoted = JSON.stringify(root);
	if (root.trim() === '') throw new CaptureError('--root: got an empty path; give the folder that holds sys/, or / for this machine');
	try {
		await fs.readdir(root);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code ?? reasonOf(error);
		throw new CaptureError(`--root ${quoted}: ${code === 'ENOENT' ? 'no such folder' : code === 'ENOTDIR' ? 'not a folder' : `cannot be read (${code})`}; give the folder that holds sys/, or / for this machine`);
	}

	try {
		await fs.readdir(path.join(root, 'sys'));
	} catch (error) {
		const code = reasonOf(error);
		throw new CaptureError(`--root ${quoted}: holds no sys/ folder${code === 'ENOENT' ? '' : ` (${code})`}; give the folder that holds sys/, or / for this machine`);
	}
}

export async function capture(options: CaptureOptions): Promise<CaptureReport> {
	const {fs, runner, root, say} = options;
	// Both checked before anything is read or written.
	await checkRoot(fs, root);
	const out = prepareOut(options.out, {root, force: options.force ?? false});
	const onThisMachine = path.resolve(root) === '/';
	const notes: string[] = [];
	const skipped: Unreadable[] = [];
	const rel = (file: string) => path.relative(root, file).split(path.sep).join('/') || file;
	const skip = (file: string, error: unknown) => skipped.push({path: rel(file), reason: reasonOf(error)});
	const readText = async (file: string): Promise<string | undefined> => {
		try {
			return (await fs.readFile(file, 1 << 16)).toString('utf8').trim();
		} catch (error) {
			if (error instanceof RefusedRead) skip(file, error);
			return undefined;
		}
	};

	// Poll times go on the kernel log's clock: µs since boot, from /proc/uptime.
	const uptime = await readText(path.join(root, 'proc', 'uptime'));
	const uptimeS = uptime ? Number(uptime.split(/\s+/)[0]) : Number.NaN;
	const bootUs = Number.isFinite(uptimeS) && uptimeS >= 0 ? Math.round(uptimeS * 1_000_000) : 0;
	if (bootUs === 0) notes.push('no proc/uptime: sysfs times count from the start of the capture, not from boot');
	const wall0 = options.now();
	const clock = () => bootUs + Math.round((options.now() - wall0) * 1000);

	const first = await snapshot(fs, root);
	const t0 = clock();
	const lines = first.values.map(v => `${t0}\t/${v.path}\t${escapeValue(v.value)}`);
	const buses = first.ndDevices.filter(n => /^ndbus\d+$/.test(n));
	const dimms = first.ndDevices.filter(n => /^nmem\d+$/.test(n));
	const hasFirmware = first.values.some(v => v.path.endsWith('/firmware/activate'));
	if (!first.hasNdBus) notes.push(`no nd bus: ${path.join(root, 'sys/bus/nd/devices')} ${first.ndDevices.length === 0 ? 'is missing or empty' : 'has no ndbus'}; this host has no NVDIMMs to activate`);
	else if (!hasFirmware) notes.push('the nd bus has no firmware/ attributes: runtime firmware activation is not supported here (capability none)');

	const kernel = onThisMachine ? await runText(runner, ['uname', '-r'], notes) : await readText(path.join(root, 'proc', 'sys', 'kernel', 'osrelease'));
	const host = onThisMachine ? await runText(runner, ['uname', '-n'], notes) : await readText(path.join(root, 'proc', 'sys', 'kernel', 'hostname'));

	// The kernel log: dmesg, else /dev/kmsg; in a --root folder, a saved log there, read in bounded chunks.
	const log: string[] = [];
	// A loop, not push(...lines): a spread of a million lines overflows the stack.
	const append = (lines: string[]) => {
		for (const line of lines) if (line) log.push(line);
	};
	let follower: ReturnType<CommandRunner['follow']> | undefined;
	let logFile: string | undefined;
	let logOffset = 0;
	let logCarry = '';
	const decoder = new StringDecoder('utf8');
	const logBound = options.maxLogBytes ?? maxLogBytes;
	const pullLog = async () => {
		if (!logFile || logOffset >= logBound) return;
		let chunk: Buffer;
		try {
			chunk = await fs.readChunk(logFile, logOffset, logBound - logOffset);
		} catch (error) {
			skip(logFile, error);
			notes.push(`${rel(logFile)}: ${reasonOf(error)}; no kernel log captured from it`);
			logFile = undefined;
			return;
		}

		logOffset += chunk.length;
		const parts = (logCarry + decoder.write(chunk)).split('\n');
		logCarry = parts.pop() ?? '';
		append(parts);
		if (logOffset >= logBound) {
			skipped.push({path: rel(logFile), reason: `larger than ${logBound} bytes: only the first ${logBound} bytes captured`});
			notes.push(`${rel(logFile)}: only the first ${logBound} bytes captured`);
		}
	};

	if (onThisMachine) {
		if (options.watch) {
			follower = runner.follow(['dmesg', '-r', '-w'], line => log.push(line));
		} else {
			const dmesg = await runner.run(['dmesg', '-r']);
			if (dmesg.ok) append(dmesg.stdout.split('\n'));
			else {
				notes.push(`dmesg: ${dmesg.reason}; trying /dev/kmsg`);
				try {
					append(await fs.readRecords('/dev/kmsg', 1_000_000));
				} catch (error) {
					notes.push(`/dev/kmsg: ${reasonOf(error)}; no kernel log captured`);
				}
			}
		}
	} else {
		for (const name of ['dmesg.log', 'kmsg.txt', 'kernel.log']) {
			const file = path.join(root, name);
			if (await fs.exists(file)) {
				logFile = file;
				break;
			}
		}

		if (logFile) await pullLog();
		else notes.push(`no kernel log in ${root} (dmesg.log, kmsg.txt or kernel.log)`);
	}

	const ndctl = await ndctlList(options, notes, skip);

	let polls = 0;
	let changes = 0;
	if (options.watch) {
		const watched = watchedPaths(first);
		const last = new Map(first.values.map(v => [v.path, v.value]));
		const logSource = follower ? 'following dmesg -w' : logFile ? `following ${rel(logFile)}` : 'no kernel log to follow';
		const every = `every ${options.intervalMs} ms${options.durationS ? ` for ${options.durationS} s` : ''}; Ctrl-C stops`;
		if (watched.length > 0) say(`watching ${watched.length} firmware attribute(s) ${every}; ${logSource}`);
		else if (!first.hasNdBus) say(`no nd bus on this host (${path.join(root, 'sys/bus/nd/devices')}): no firmware attributes to poll; ${logSource} ${every}`);
		else say(`the nd bus has no firmware attributes (no runtime firmware activation here): nothing to poll; ${logSource} ${every}`);
		const until = options.durationS === undefined ? Number.POSITIVE_INFINITY : wall0 + options.durationS * 1000;
		const dropped = new Set<string>();
		while (!options.signal?.aborted && options.now() < until) {
			await sleep(options.intervalMs, options.signal);
			polls++;
			const t = clock();
			for (const file of watched) {
				if (dropped.has(file)) continue;
				let value: string;
				try {
					const raw = (await fs.readFile(path.join(root, file), 4096)).toString('utf8');
					value = raw.endsWith('\n') ? raw.slice(0, -1) : raw;
				} catch (error) {
					if (error instanceof RefusedRead) {
						// Swapped for a link out, a FIFO, …: never read again.
						dropped.add(file);
						skipped.push({path: file, reason: `${error.reason} (from poll ${polls} on)`});
						continue;
					}

					value = `<errno ${(error as NodeJS.ErrnoException).code ?? 'EIO'}>`;
				}

				const before = last.get(file);
				if (before !== value) {
					last.set(file, value);
					lines.push(`${t}\t/${file}\t${escapeValue(value)}`);
					changes++;
					options.change?.({tUs: t, path: file, from: before, to: value});
				}
			}

			await pullLog();
			options.progress?.({polls, changes, logLines: log.length});
		}

		if (follower) {
			await follower.stop();
			const failure = await follower.failed;
			if (failure) notes.push(`dmesg -w: ${failure}`);
		}
	}

	const rest = logCarry + decoder.end();
	if (rest.trim() !== '') log.push(rest);
	skipped.unshift(...first.unreadable);
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
		// Everything not captured, and why: unreadable files, and what the untrusted tree was refused
		// (symlinks out of the root, FIFOs, sockets, devices, files over the size bound).
		skipped,
		notes,
		watch: options.watch ? {intervalMs: options.intervalMs, polls, changes} : undefined,
	};
	writeBundleFiles(out, {
		'sysfs.tsv': lines.join('\n') + (lines.length > 0 ? '\n' : ''),
		'kernel.log': log.length > 0 ? log.join('\n') + '\n' : undefined,
		'ndctl.json': ndctl,
		'meta.json': JSON.stringify(meta, null, 2) + '\n',
	});
	return {out: options.out, hasNdBus: first.hasNdBus, buses, dimms, values: first.values.length, unreadable: first.unreadable, skipped, polls, changes, logLines: log.length, notes};
}

async function runText(runner: CommandRunner, argv: string[], notes: string[]): Promise<string | undefined> {
	const result = await runner.run(argv);
	if (result.ok) return result.stdout.trim();
	notes.push(`${argv.join(' ')}: ${result.reason}`);
	return undefined;
}

async function ndctlList(options: CaptureOptions, notes: string[], skip: (file: string, error: unknown) => void): Promise<string | undefined> {
	if (path.resolve(options.root) !== '/') {
		const file = path.join(options.root, 'ndctl.json');
		if (!(await options.fs.exists(file))) return undefined;
		try {
			return (await options.fs.readFile(file, 16 << 20)).toString('utf8');
		} catch (error) {
			skip(file, error);
			notes.push(`ndctl.json: ${reasonOf(error)}; skipped`);
			return undefined;
		}
	}

	const result = await options.runner.run(['ndctl', 'list', '-BDF']);
	if (!result.ok) {
		notes.push(`ndctl: ${result.reason}; skipped`);
		return undefined;
	}

	return result.stdout.trim() === '' ? undefined : result.stdout;
}

/** Wait, or until the signal; the abort listener is removed either way (no leak over many polls). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise(resolve => {
		if (signal?.aborted) {
			resolve();
			return;
		}

		const onAbort = () => {
			clearTimeout(timer);
			resolve();
		};

		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		signal?.addEventListener('abort', onAbort, {once: true});
	});
}
