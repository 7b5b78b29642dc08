import {createHash} from 'node:crypto';
import {chmodSync, cpSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import {getEventListeners} from 'node:events';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {execa, execaSync} from 'execa';
import {describe, expect, it} from 'vitest';
import {capture, type CaptureOptions} from '../source/capture/capture.js';
import {kernelFilesystem} from '../source/capture/out.js';
import {describeChange, describeProgress} from '../source/commands/capture.js';
import {ForbiddenCommandError, confinedFs, execaRunner, isAllowed, type CommandRunner, type ReadOnlyFs} from '../source/capture/readonly.js';
import {fixturesDir} from '../source/paths.js';
import {cliPath, ensureBuilt, quiesce} from './helpers/cli.js';
import {replay} from './helpers/replay.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'quiesce-capture-'));
const trees = fixturesDir('sysfs-trees');

/** Every file below a folder with its content hash and mtime: proof that nothing changed. */
function fingerprint(dir: string): Record<string, string> {
	const out: Record<string, string> = {};
	const walk = (d: string) => {
		for (const name of readdirSync(d)) {
			const full = path.join(d, name);
			const stat = lstatSync(full);
			if (stat.isSymbolicLink()) out[path.relative(dir, full)] = `link:${readlinkSync(full)}`;
			else if (stat.isDirectory()) walk(full);
			else if (!stat.isFile()) out[path.relative(dir, full)] = `special:${stat.mode}:${stat.rdev}`; // FIFO, socket, device: never opened
			else out[path.relative(dir, full)] = `${createHash('sha256').update(readFileSync(full)).digest('hex')}:${stat.mtimeMs}:${stat.mode}`;
		}
	};

	walk(dir);
	return out;
}

/** Record every filesystem call and command line capture makes. */
function spies(root: string) {
	const fsCalls: Array<{method: string; path: string}> = [];
	const commands: string[][] = [];
	const fs = new Proxy(confinedFs(root), {
		get(target, method: keyof ReadOnlyFs) {
			return (file: string, ...rest: unknown[]) => {
				fsCalls.push({method, path: file});
				return (target[method] as (...args: unknown[]) => unknown)(file, ...rest);
			};
		},
	}) as ReadOnlyFs;
	const runner: CommandRunner = {
		run: async argv => {
			commands.push(argv);
			return execaRunner.run(argv);
		},
		follow(argv, onLine) {
			commands.push(argv);
			return execaRunner.follow(argv, onLine);
		},
	};
	return {fs, runner, fsCalls, commands};
}

function options(root: string, out: string, extra: Partial<CaptureOptions> = {}): CaptureOptions {
	return {out, root, watch: false, intervalMs: 50, fs: confinedFs(root), runner: execaRunner, now: () => Date.now(), say: () => undefined, ...extra};
}

const read = (root: string, rel: string) => readFileSync(path.join(root, rel), 'utf8').trim();

describe('capture from fixture trees, then replay', () => {
	it.each(['healthy', 'armed', 'overflow'])('%s: replay shows the bus and DIMM states of the tree', async name => {
		const root = path.join(trees, name);
		const out = path.join(tmp, name);
		const report = await capture(options(root, out));
		expect(report.hasNdBus).toBe(true);
		const {state} = await replay(out);
		expect(state.bus).toMatchObject({
			present: true,
			name: 'ndbus0',
			capability: read(root, 'sys/bus/nd/devices/ndbus0/firmware/capability'),
			activate: read(root, 'sys/bus/nd/devices/ndbus0/firmware/activate'),
			noidle: read(root, 'sys/bus/nd/devices/ndbus0/nfit/firmware_activate_noidle'),
		});
		const dimmNames = readdirSync(path.join(root, 'sys/bus/nd/devices')).filter(n => n.startsWith('nmem'));
		expect(Object.keys(state.dimms).sort()).toEqual(dimmNames.sort());
		for (const dimm of dimmNames) {
			expect(state.dimms[dimm]).toMatchObject({activate: read(root, `sys/bus/nd/devices/${dimm}/firmware/activate`), result: read(root, `sys/bus/nd/devices/${dimm}/firmware/result`)});
		}
	});

	it('a host without NVDIMMs: records what exists, says there is no nd bus, replays its log', async () => {
		const out = path.join(tmp, 'none');
		const report = await capture(options(path.join(trees, 'no-nvdimm'), out));
		expect(report.hasNdBus).toBe(false);
		expect(report.notes.join()).toMatch(/no nd bus/);
		const {state} = await replay(out);
		expect(state.bus.present).toBe(false);
		expect(state.power['mem_sleep']).toBe('s2idle [deep]');
		expect(state.cycles.length + (state.cycle ? 1 : 0)).toBe(1);
		expect(JSON.parse(readFileSync(path.join(out, 'meta.json'), 'utf8')).kernel).toBe('6.6.0-24-amd64');
	});

	it('the real qemu 6.1 tree: a bus and two DIMMs, no firmware activation (capability none)', async () => {
		const root = path.join(tmp, 'qemu');
		execaSync('mkdir', ['-p', root]);
		execaSync('tar', ['-xf', fixturesDir('traces', 'qemu-6.1', 'sysfs-nd-tree.tar'), '-C', root]);
		const out = path.join(tmp, 'qemu-out');
		const report = await capture(options(root, out));
		expect(report.buses).toEqual(['ndbus0']);
		expect(report.dimms.sort()).toEqual(['nmem0', 'nmem1']);
		expect(report.notes.join()).toMatch(/no firmware\/ attributes: runtime firmware activation is not supported here \(capability none\)/);
		const {state} = await replay(out);
		expect(state.bus).toMatchObject({present: true, name: 'ndbus0'});
		expect(state.bus.capability).toBeUndefined();
		expect(Object.keys(state.dimms).sort()).toEqual(['nmem0', 'nmem1']);
	});
});

describe('capture --watch', () => {
	it('records the transitions of a tree mutated over time, with their times', async () => {
		const root = path.join(tmp, 'watched');
		cpSync(path.join(trees, 'armed'), root, {recursive: true});
		const bus = path.join(root, 'sys/bus/nd/devices/ndbus0/firmware/activate');
		const nmem0 = path.join(root, 'sys/bus/nd/devices/nmem0/firmware/result');
		const out = path.join(tmp, 'watched-out');
		let wall = 0;
		const steps: Array<[number, () => void]> = [
			[200, () => writeFileSync(bus, 'busy\n')],
			[400, () => writeFileSync(bus, 'idle\n')],
			[400, () => writeFileSync(nmem0, 'success\n')],
			[450, () => writeFileSync(path.join(root, 'dmesg.log'), `${readFileSync(path.join(root, 'dmesg.log'), 'utf8')}[ 7316.500000] Restarting tasks ... done.\n`)],
		];
		// A fake wall clock advanced by the test: the tree changes at known times.
		const report = await capture(options(root, out, {
			watch: true,
			intervalMs: 1,
			durationS: 0.6,
			now: () => {
				wall += 10;
				while (steps.length > 0 && steps[0]![0] <= wall) steps.shift()![1]();
				return wall;
			},
		}));
		expect(report.changes).toBe(3);
		const rows = readFileSync(path.join(out, 'sysfs.tsv'), 'utf8').trim().split('\n').map(l => l.split('\t'));
		const busRows = rows.filter(r => r[1] === '/sys/bus/nd/devices/ndbus0/firmware/activate');
		expect(busRows.map(r => r[2])).toEqual(['armed', 'busy', 'idle']);
		const times = busRows.map(r => Number(r[0]));
		// The tree changed 200 ms apart on the fake wall clock; polls see it within a few ticks.
		for (const gap of [times[1]! - times[0]!, times[2]! - times[1]!]) {
			expect(gap).toBeGreaterThanOrEqual(150_000);
			expect(gap).toBeLessThanOrEqual(250_000);
		}
		expect(times[0]).toBeGreaterThanOrEqual(7_316_400_000); // on the kernel log's clock
		expect(readFileSync(path.join(out, 'kernel.log'), 'utf8')).toMatch(/Restarting tasks \.\.\. done\./);
		const {state} = await replay(out);
		expect(state.bus.activate).toBe('idle');
		expect(state.dimms['nmem0']?.result).toBe('success');
	});

	it('stops cleanly on a signal with the bundle complete', async () => {
		const controller = new AbortController();
		let polls = 0;
		// The signal comes in the middle of the third poll's wait (a timer: not a fixed time, the machine may be slow).
		const out = path.join(tmp, 'aborted');
		const report = await capture(options(path.join(trees, 'healthy'), out, {watch: true, intervalMs: 20, signal: controller.signal, progress() {
			if (++polls === 2) setTimeout(() => controller.abort(), 10);
		}}));
		expect(report.polls).toBe(3);
		expect(report.polls).toBeGreaterThan(0);
		expect(JSON.parse(readFileSync(path.join(out, 'meta.json'), 'utf8')).watch.polls).toBe(report.polls);
	});
});

describe('read-only by construction', () => {
	it('only reads below the root, runs only allowed commands, and changes nothing', async () => {
		const root = path.join(tmp, 'ro');
		cpSync(path.join(trees, 'armed'), root, {recursive: true});
		const before = fingerprint(root);
		const spy = spies(root);
		await capture(options(root, path.join(tmp, 'ro-out'), {fs: spy.fs, runner: spy.runner, watch: true, intervalMs: 5, durationS: 0.1}));
		expect(fingerprint(root)).toEqual(before);
		expect(spy.fsCalls.length).toBeGreaterThan(50);
		for (const call of spy.fsCalls) expect(path.resolve(call.path).startsWith(path.resolve(root))).toBe(true);
		expect(new Set(spy.fsCalls.map(c => c.method))).toEqual(new Set(['exists', 'readdir', 'lstat', 'readFile', 'readChunk']));
		for (const argv of spy.commands) expect(isAllowed(argv)).toBe(true);
	});

	it('the filesystem it is given has no way to write', () => {
		expect(Object.keys(confinedFs(trees)).sort()).toEqual(['exists', 'lstat', 'readChunk', 'readFile', 'readRecords', 'readdir', 'readlink']);
	});

	it.each([
		[['ndctl', 'activate-firmware', 'all']],
		[['ndctl', 'update-firmware', '-A', 'all']],
		[['dmesg', '-C']],
		[['dmesg', '--clear']],
		[['dmesg', '-n', '1']],
		[['sh', '-c', 'echo quiesce > /sys/bus/nd/devices/ndbus0/firmware/activate']],
		[['tee', '/sys/power/state']],
		[['ndctl', 'list', '-BDF', '--', 'x;rm']],
	])('refuses %j', async argv => {
		expect(isAllowed(argv)).toBe(false);
		await expect(execaRunner.run(argv)).rejects.toThrowError(ForbiddenCommandError);
	});

	it('allows the read-only ones', () => {
		for (const argv of [['dmesg', '-r'], ['dmesg', '-r', '-w'], ['ndctl', 'list', '-BDF'], ['uname', '-r']]) expect(isAllowed(argv)).toBe(true);
	});

	it('refuses an --out inside the sysfs root, and never writes outside --out', async () => {
		const root = path.join(tmp, 'root-out');
		cpSync(path.join(trees, 'healthy'), root, {recursive: true});
		await expect(capture(options(root, path.join(root, 'sys', 'bundle')))).rejects.toThrowError(/inside .*sys; capture never writes there/);
		const before = fingerprint(tmp);
		const out = path.join(tmp, 'only-here');
		await capture(options(root, out));
		const after = fingerprint(tmp);
		const added = Object.keys(after).filter(f => !(f in before));
		expect(added.every(f => f.startsWith('only-here' + path.sep))).toBe(true);
		expect(Object.keys(before).every(f => after[f] === before[f])).toBe(true);
	});

	it('lists files it cannot read in the bundle, and goes on', async () => {
		const root = path.join(tmp, 'unreadable');
		cpSync(path.join(trees, 'healthy'), root, {recursive: true});
		chmodSync(path.join(root, 'sys/bus/nd/devices/nmem3/firmware/result'), 0o200);
		const out = path.join(tmp, 'unreadable-out');
		const report = await capture(options(root, out));
		expect(report.unreadable).toContainEqual({path: 'sys/bus/nd/devices/nmem3/firmware/result', reason: 'write-only'});
		expect(JSON.parse(readFileSync(path.join(out, 'meta.json'), 'utf8')).unreadable).toContain('sys/bus/nd/devices/nmem3/firmware/result');
		expect((await replay(out)).state.dimms['nmem3']?.activate).toBe('idle');
	});

	it('reports a missing dmesg and ndctl, and skips them', async () => {
		const missing: CommandRunner = {run: async () => ({ok: false, reason: 'not installed'}), follow: () => ({stop: async () => undefined, failed: Promise.resolve('not installed')})};
		const report = await capture(options('/', path.join(tmp, 'missing'), {runner: missing, fs: {...confinedFs('/'), readRecords: async () => Promise.reject(Object.assign(new Error('no'), {code: 'EACCES'}))}}));
		expect(report.notes).toEqual(expect.arrayContaining(['uname -r: not installed', 'dmesg: not installed; trying /dev/kmsg', '/dev/kmsg: EACCES; no kernel log captured', 'ndctl: not installed; skipped']));
	});
});

describe('quiesce capture on this machine', () => {
	it('produces a bundle that replays', async () => {
		const out = path.join(tmp, 'this-machine');
		const result = await quiesce(['capture', '--out', out]);
		expect(result.exitCode).toBe(0);
		expect(String(result.stderr)).toMatch(/quiesce: captured \d+ sysfs values/);
		const replayed = await quiesce(['replay', '--summary', out]);
		expect(replayed.exitCode).toBe(0);
	});

	it('rejects a bad interval in one line', async () => {
		const result = await quiesce(['capture', '--out', path.join(tmp, 'x'), '--watch', '--interval', '0']);
		expect(result.exitCode).toBe(2);
		expect(String(result.stderr).trim()).toBe('quiesce: --interval: expected 10 to 60000 ms, got 0');
	});
});

/** An untrusted --root: links out of it, a FIFO, a socket, a device, a loop, an oversized attribute. */
function hostileTree(name: string) {
	const base = path.join(tmp, name);
	const root = path.join(base, 'root');
	const outside = path.join(base, 'outside');
	mkdirSync(path.join(outside, 'etc'), {recursive: true});
	writeFileSync(path.join(outside, 'secret.txt'), 'TOP-SECRET-shadow\n');
	for (const f of ['passwd', 'group', 'hosts']) writeFileSync(path.join(outside, 'etc', f), `TOP-SECRET-${f}\n`);
	cpSync(path.join(trees, 'armed'), root, {recursive: true});
	const at = (rel: string) => path.join(root, rel);
	rmSync(at('sys/power/state'));
	symlinkSync(path.join(outside, 'secret.txt'), at('sys/power/state')); // absolute link out
	rmSync(at('dmesg.log'));
	symlinkSync('../outside/secret.txt', at('dmesg.log')); // relative link out
	writeFileSync(at('ndctl.json'), '');
	rmSync(at('ndctl.json'));
	symlinkSync('/etc/hostname', at('ndctl.json'));
	symlinkSync(path.join(outside, 'etc'), at('sys/bus/nd/devices/nmem9')); // a "device" that is /etc
	rmSync(at('sys/bus/nd/devices/nmem1/firmware/result'));
	linkSync(path.join(outside, 'secret.txt'), at('sys/bus/nd/devices/nmem1/firmware/result')); // the secret under a second name
	rmSync(at('sys/bus/nd/devices/nmem0/firmware/result'));
	execaSync('mkfifo', [at('sys/bus/nd/devices/nmem0/firmware/result')]);
	rmSync(at('sys/power/mem_sleep'), {force: true});
	symlinkSync('mem_sleep', at('sys/power/mem_sleep')); // a loop
	writeFileSync(at('sys/power/image_size'), 'x'.repeat(100_000));
	let device = false;
	if (process.getuid?.() === 0) {
		rmSync(at('sys/power/disk'), {force: true});
		device = execaSync('mknod', [at('sys/power/disk'), 'c', '1', '5'], {reject: false}).exitCode === 0; // /dev/zero's numbers
	}

	return {base, root, outside, device};
}

const skippedOf = (out: string) => JSON.parse(readFileSync(path.join(out, 'meta.json'), 'utf8')).skipped as Array<{path: string; reason: string}>;

/** Every byte of every file below a folder. */
function allText(dir: string): string {
	return Object.keys(fingerprint(dir)).map(f => (lstatSync(path.join(dir, f)).isFile() ? readFileSync(path.join(dir, f), 'utf8') : '')).join('\n');
}

describe('capture of an untrusted --root tree', () => {
	it('follows no link out, opens no FIFO or device, reads no oversized file, and lists each skip with its reason', async () => {
		const {root, outside, device} = hostileTree('hostile');
		const before = fingerprint(outside);
		const out = path.join(tmp, 'hostile-out');
		const report = await capture(options(root, out));
		expect(allText(out)).not.toMatch(/TOP-SECRET/);
		expect(allText(out)).not.toContain(readFileSync('/etc/hostname', 'utf8').trim() || 'never-matches');
		expect(fingerprint(outside)).toEqual(before);
		const skipped = skippedOf(out);
		const reason = (p: string) => skipped.find(s => s.path === p)?.reason;
		expect(reason('sys/power/state')).toMatch(/^symlink out of the root \(→ .*outside\/secret\.txt\)$/);
		expect(reason('dmesg.log')).toMatch(/^symlink out of the root/);
		expect(reason('ndctl.json')).toMatch(/^symlink out of the root \(→ \/etc\/hostname\)$/);
		expect(reason('sys/bus/nd/devices/nmem9')).toMatch(/^symlink out of the root/);
		expect(reason('sys/bus/nd/devices/nmem0/firmware/result')).toBe('a FIFO: never opened');
		expect(reason('sys/power/mem_sleep')).toBe('symlink loop');
		expect(reason('sys/bus/nd/devices/nmem1/firmware/result')).toBe('a hard link (2 names): it may be a file from outside the root');
		expect(reason('sys/power/image_size')).toBe('larger than 65536 bytes: not read');
		if (device) expect(reason('sys/power/disk')).toBe('a character device: never opened');
		// What is not hostile is still captured.
		expect(report.dimms).toContain('nmem1');
		const {state} = await replay(out);
		expect(state.dimms['nmem1']?.activate).toBe(read(root, 'sys/bus/nd/devices/nmem1/firmware/activate'));
		expect(report.notes.join('\n')).toMatch(/dmesg\.log: symlink out of the root .*; no kernel log captured from it/);
	});

	it('a socket, and a device read directly, are refused before any open', async () => {
		const root = path.join(tmp, 'sock');
		cpSync(path.join(trees, 'healthy'), root, {recursive: true});
		const socketPath = path.join(root, 'sys/power/pm_test');
		rmSync(socketPath, {force: true});
		const server = net.createServer().listen(socketPath);
		await new Promise(resolve => server.once('listening', resolve));
		try {
			const out = path.join(tmp, 'sock-out');
			await capture(options(root, out));
			expect(skippedOf(out)).toContainEqual({path: 'sys/power/pm_test', reason: 'a socket: never opened'});
		} finally {
			server.close();
		}

		// With root "/" every path is inside; devices are still never opened as files.
		await expect(confinedFs('/').readFile('/dev/zero', 10)).rejects.toThrowError(/a character device: never opened/);
		await expect(confinedFs('/').readChunk('/dev/null', 0, 10)).rejects.toThrowError(/a character device: never opened/);
	});

	it('a dmesg.log that is a FIFO with no writer does not hang capture', async () => {
		const root = path.join(tmp, 'fifo-log');
		cpSync(path.join(trees, 'healthy'), root, {recursive: true});
		rmSync(path.join(root, 'dmesg.log'));
		execaSync('mkfifo', [path.join(root, 'dmesg.log')]);
		const out = path.join(tmp, 'fifo-log-out');
		await capture(options(root, out));
		expect(skippedOf(out)).toContainEqual({path: 'dmesg.log', reason: 'a FIFO: never opened'});
	}, 10_000);

	it('a dmesg.log → /dev/zero link is refused; a huge regular log is read only up to the bound', async () => {
		const root = path.join(tmp, 'zero-log');
		cpSync(path.join(trees, 'healthy'), root, {recursive: true});
		const log = path.join(root, 'dmesg.log');
		rmSync(log);
		symlinkSync('/dev/zero', log);
		const out = path.join(tmp, 'zero-log-out');
		await capture(options(root, out));
		expect(skippedOf(out)).toContainEqual({path: 'dmesg.log', reason: 'symlink out of the root (→ /dev/zero)'});
		expect(existsSync(path.join(out, 'kernel.log'))).toBe(false);

		rmSync(log);
		const line = '[    1.000000] Linux version 6.1.0 (a line of the log)\n';
		writeFileSync(log, line.repeat(Math.ceil((3 << 20) / line.length)));
		const bounded = path.join(tmp, 'big-log-out');
		const report = await capture(options(root, bounded, {maxLogBytes: 1 << 20}));
		expect(statSync(path.join(bounded, 'kernel.log')).size).toBeLessThanOrEqual((1 << 20) + 1); // + the final newline
		expect(report.logLines).toBe(Math.floor((1 << 20) / line.length) + 1); // the cut last line is kept as it is
		expect(skippedOf(bounded)).toContainEqual({path: 'dmesg.log', reason: `larger than ${1 << 20} bytes: only the first ${1 << 20} bytes captured`});
	});

	it('a file swapped for a link out during --watch is dropped, not followed', async () => {
		const root = path.join(tmp, 'swap');
		cpSync(path.join(trees, 'armed'), root, {recursive: true});
		const {outside} = hostileTree('swap-outside');
		const bus = path.join(root, 'sys/bus/nd/devices/ndbus0/firmware/activate');
		let wall = 0;
		const out = path.join(tmp, 'swap-out');
		await capture(options(root, out, {
			watch: true,
			intervalMs: 1,
			durationS: 0.2,
			now() {
				wall += 10;
				if (wall === 100) {
					rmSync(bus);
					symlinkSync(path.join(outside, 'secret.txt'), bus);
				}

				return wall;
			},
		}));
		expect(allText(out)).not.toMatch(/TOP-SECRET/);
		expect(skippedOf(out).find(s => s.path === 'sys/bus/nd/devices/ndbus0/firmware/activate')?.reason).toMatch(/^symlink out of the root .*\(from poll \d+ on\)$/);
	});
});

describe('capture --out', () => {
	const root = path.join(trees, 'healthy');

	it.each([
		['', /^--out: got an empty path/],
		['/', /^--out "\/": the root folder/],
	])('refuses %j before reading anything', async (out, message) => {
		const spy = spies(root);
		await expect(capture(options(root, out, {fs: spy.fs}))).rejects.toThrowError(message);
		expect(spy.fsCalls.filter(c => c.method !== 'readdir')).toEqual([]); // only the --root check ran
	});

	it('refuses a file, a non-empty folder, a non-bundle with --force, an unwritable place, a place inside the tree', async () => {
		const file = path.join(tmp, 'a-file');
		writeFileSync(file, 'mine\n');
		await expect(capture(options(root, file))).rejects.toThrowError(/^--out ".*a-file": exists and is not a folder; give a new or empty folder$/);
		expect(readFileSync(file, 'utf8')).toBe('mine\n');
		const full = path.join(tmp, 'full');
		mkdirSync(full);
		writeFileSync(path.join(full, 'kernel.log'), 'mine\n');
		await expect(capture(options(root, full))).rejects.toThrowError(/^--out ".*full": not empty \(1 entries\); give a new or empty folder, or --force to replace a previous bundle there$/);
		await expect(capture(options(root, full, {force: true}))).rejects.toThrowError(/^--out ".*full": not empty and holds no quiesce bundle \(no meta\.json of format quiesce-trace\); --force only replaces a previous bundle$/);
		expect(readdirSync(full)).toEqual(['kernel.log']);
		expect(readFileSync(path.join(full, 'kernel.log'), 'utf8')).toBe('mine\n');
		await expect(capture(options(root, path.join(file, 'below')))).rejects.toThrowError(/^--out ".*below": cannot create the folder \(ENOTDIR\)$/);
		await expect(capture(options(root, '/proc/quiesce-bundle'))).rejects.toThrowError(/^--out "\/proc\/quiesce-bundle": inside \/proc; capture never writes there$/);
		if (process.getuid?.() !== 0) {
			// Permission bits bind everyone but root (root is refused by a read-only mount, which a test cannot make).
			const locked = path.join(tmp, 'locked');
			mkdirSync(locked, {mode: 0o555});
			await expect(capture(options(root, locked))).rejects.toThrowError(/^--out ".*locked": cannot write there \(EACCES\)$/);
			await expect(capture(options(root, path.join(locked, 'below')))).rejects.toThrowError(/^--out ".*below": cannot create the folder \(EACCES\)$/);
		}
		await expect(capture(options(root, path.join(root, 'bundle')))).rejects.toThrowError(/inside the --root tree/);
	});

	it('an empty folder is fine; without --force a previous bundle is kept', async () => {
		const empty = path.join(tmp, 'empty');
		mkdirSync(empty);
		await capture(options(root, empty));
		const before = fingerprint(empty);
		await expect(capture(options(root, empty))).rejects.toThrowError(/not empty .* or --force to replace a previous bundle there/);
		expect(fingerprint(empty)).toEqual(before);
	});

	it('--force replaces only the bundle\'s own files, through no planted link, and removes stale ones', async () => {
		const dir = path.join(tmp, 'planted');
		const victim = path.join(tmp, 'victim.txt');
		writeFileSync(victim, 'victim\n');
		await capture(options(path.join(trees, 'armed'), dir));
		writeFileSync(path.join(dir, 'notes.txt'), 'my notes\n');
		rmSync(path.join(dir, 'kernel.log'));
		symlinkSync('../victim.txt', path.join(dir, 'kernel.log'));
		symlinkSync(victim, path.join(dir, 'ndctl.json'));
		symlinkSync(victim, path.join(dir, 'events.ndjson')); // a record bundle's: replay would prefer it
		const victimBefore = fingerprint(tmp)['victim.txt'];
		await capture(options(root, dir, {force: true}));
		expect(fingerprint(tmp)['victim.txt']).toBe(victimBefore);
		expect(readFileSync(victim, 'utf8')).toBe('victim\n');
		expect(lstatSync(path.join(dir, 'kernel.log')).isFile()).toBe(true);
		expect(readFileSync(path.join(dir, 'kernel.log'), 'utf8')).toBe(readFileSync(path.join(root, 'dmesg.log'), 'utf8'));
		expect(existsSync(path.join(dir, 'ndctl.json')) || lstatSync(path.join(dir, 'ndctl.json'), {throwIfNoEntry: false}) !== undefined).toBe(existsSync(path.join(root, 'ndctl.json')));
		expect(lstatSync(path.join(dir, 'events.ndjson'), {throwIfNoEntry: false})).toBeUndefined();
		expect(readFileSync(path.join(dir, 'notes.txt'), 'utf8')).toBe('my notes\n');
		expect(readdirSync(dir).filter(n => n.endsWith('.tmp'))).toEqual([]);
		expect((await replay(dir)).state.dimms['nmem0']?.activate).toBe(read(root, 'sys/bus/nd/devices/nmem0/firmware/activate'));
	});
});

describe('capture --root', () => {
	it('refuses a folder that does not exist, a file, and a folder without sys/', async () => {
		const out = path.join(tmp, 'never');
		await expect(capture(options(path.join(tmp, 'nonexistent'), out))).rejects.toThrowError(/^--root ".*nonexistent": no such folder; give the folder that holds sys\/, or \/ for this machine$/);
		await expect(capture(options(path.join(trees, 'healthy', 'dmesg.log'), out))).rejects.toThrowError(/^--root ".*dmesg\.log": not a folder/);
		await expect(capture(options(trees, out))).rejects.toThrowError(/^--root ".*sysfs-trees": holds no sys\/ folder; give the folder that holds sys\/, or \/ for this machine$/);
		expect(existsSync(out)).toBe(false);
	});
});

describe('capture --watch listeners', () => {
	it('adds no abort listener per poll: none is left after hundreds of polls', async () => {
		const controller = new AbortController();
		let wall = 0;
		let most = 0;
		const report = await capture(options(path.join(trees, 'healthy'), path.join(tmp, 'listeners'), {
			watch: true,
			intervalMs: 1,
			durationS: 3,
			signal: controller.signal,
			now() {
				wall += 10;
				most = Math.max(most, getEventListeners(controller.signal, 'abort').length);
				return wall;
			},
		}));
		expect(report.polls).toBeGreaterThan(100);
		expect(most).toBeLessThanOrEqual(1);
		expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
	});
});

describe('quiesce capture: refusals and --watch output, from the command line', () => {
	const healthy = path.join(trees, 'healthy');
	// stderr exactly as a user sees it: no colour variables inherited from the test runner (Node warns when both are set).
	const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(?:NO_COLOR|FORCE_COLOR)$/.test(k)));
	const run = async (args: string[], extra: {timeout?: number} = {}) => quiesce(args, {env, extendEnv: false, ...extra});

	it.each([
		['an empty --out', () => ['--out', ''], /^quiesce: --out: got an empty path; give a new or empty folder for the bundle$/],
		['--out /', () => ['--out', '/'], /^quiesce: --out "\/": the root folder; give a new or empty folder for the bundle$/],
		['--out a file', () => {
			writeFileSync(path.join(tmp, 'cli-a-file.log'), 'mine\n');
			return ['--out', path.join(tmp, 'cli-a-file.log')];
		}, /^quiesce: --out ".*cli-a-file\.log": exists and is not a folder; give a new or empty folder$/],
		['--out inside the tree', () => ['--out', path.join(healthy, 'bundle')], /^quiesce: --out ".*bundle": inside the --root tree ".*healthy"; capture never writes into the tree it reads$/],
		['--out not creatable', () => {
			writeFileSync(path.join(tmp, 'cli-a-file.log'), 'mine\n');
			return ['--out', path.join(tmp, 'cli-a-file.log', 'below')];
		}, /^quiesce: --out ".*below": cannot create the folder \(ENOTDIR\)$/],
		['--out in /proc', () => ['--out', '/proc/quiesce-bundle'], /^quiesce: --out "\/proc\/quiesce-bundle": inside \/proc; capture never writes there$/],
		['--out not empty', () => ['--out', trees], /^quiesce: --out ".*sysfs-trees": not empty \(\d+ entries\); give a new or empty folder, or --force to replace a previous bundle there$/],
		['--root missing', () => ['--out', path.join(tmp, 'cli-never'), '--root', path.join(tmp, 'nonexistent')], /^quiesce: --root ".*nonexistent": no such folder; give the folder that holds sys\/, or \/ for this machine$/],
		['--root without sys/', () => ['--out', path.join(tmp, 'cli-never'), '--root', trees], /^quiesce: --root ".*sysfs-trees": holds no sys\/ folder; give the folder that holds sys\/, or \/ for this machine$/],
	])('%s: one line, exit 2, at once even with --watch', async (_name, args, message) => {
		const given = args();
		const result = await run(['capture', ...(given.includes('--root') ? [] : ['--root', healthy]), ...given, '--watch'], {timeout: 20_000});
		expect(result.timedOut).toBe(false);
		expect(result.exitCode).toBe(2);
		expect(String(result.stderr)).toMatch(message);
		expect(String(result.stderr).trim().split('\n')).toHaveLength(1);
		expect(existsSync(path.join(tmp, 'cli-never'))).toBe(false);
	});

	it('--watch for 2.5 s: no MaxListenersExceededWarning, a line per change, and what it watched', async () => {
		const root = path.join(tmp, 'cli-watch');
		cpSync(path.join(trees, 'armed'), root, {recursive: true});
		ensureBuilt();
		const child = execa('node', [cliPath, 'capture', '--root', root, '--out', path.join(tmp, 'cli-watch-out'), '--watch', '--interval', '10', '--duration', '2.5'], {reject: false, stdin: 'ignore', env, extendEnv: false});
		// The tree changes once capture says it is watching.
		let seen = '';
		child.stderr?.on('data', (chunk: Buffer) => {
			seen += chunk.toString();
			if (/watching/.test(seen) && !/changed/.test(seen)) {
				seen += 'changed';
				// Replaced in one step: a truncate-then-write could be polled empty in between.
				writeFileSync(path.join(tmp, 'activate.new'), 'busy\n');
				renameSync(path.join(tmp, 'activate.new'), path.join(root, 'sys/bus/nd/devices/ndbus0/firmware/activate'));
			}
		});
		const result = await child;
		const stderr = String(result.stderr);
		expect(result.exitCode).toBe(0);
		expect(stderr).not.toMatch(/MaxListenersExceededWarning|Warning/);
		const devices = path.join(root, 'sys/bus/nd/devices');
		const attributes = readdirSync(devices).flatMap(d => ['firmware', 'nfit'].flatMap(sub => (existsSync(path.join(devices, d, sub)) ? readdirSync(path.join(devices, d, sub)) : []))).length;
		expect(stderr).toContain(`quiesce: watching ${attributes} firmware attribute(s) every 10 ms`);
		expect(stderr).toMatch(/^quiesce: watching \d+ firmware attribute\(s\) every 10 ms for 2\.5 s; Ctrl-C stops; following dmesg\.log$/m);
		expect(stderr).toMatch(/^quiesce: \[\d+\.\d{6}\] sys\/bus\/nd\/devices\/ndbus0\/firmware\/activate: armed → busy$/m);
		expect(stderr).toMatch(/^quiesce: captured \d+ sysfs values \(ndbus0; 8 DIMM\(s\)\), 3 kernel log lines, \d{2,} polls with 1 change\(s\) into /m);
		expect(stderr).not.toMatch(/\u001B/); // not a terminal: no status line
	});

	it('--watch on a host without an nd bus says so, not "watching 0 attributes"', async () => {
		const result = await run(['capture', '--root', path.join(trees, 'no-nvdimm'), '--out', path.join(tmp, 'cli-none'), '--watch', '--interval', '50', '--duration', '0.3']);
		expect(result.exitCode).toBe(0);
		expect(String(result.stderr)).toMatch(/^quiesce: no nd bus on this host \(.*sys\/bus\/nd\/devices\): no firmware attributes to poll; following dmesg\.log every 50 ms for 0\.3 s; Ctrl-C stops$/m);
		expect(String(result.stderr)).not.toMatch(/watching 0/);
	});

	it('--force replaces a previous bundle from the command line; the help offers it', async () => {
		const out = path.join(tmp, 'cli-force');
		expect((await run(['capture', '--root', healthy, '--out', out])).exitCode).toBe(0);
		const again = await run(['capture', '--root', healthy, '--out', out]);
		expect(again.exitCode).toBe(2);
		expect(String(again.stderr)).toMatch(/not empty .*--force to replace a previous bundle there/);
		expect((await run(['capture', '--root', healthy, '--out', out, '--force'])).exitCode).toBe(0);
		expect(String((await run(['capture', '--help'])).stdout)).toMatch(/--force\s+replace a previous bundle in --out \(only its own files\)/);
	});
});

describe('capture never writes on a kernel interface', () => {
	it('refuses --out below this machine\'s /sys, /proc, /dev whatever --root is, also through a link', async () => {
		const root = path.join(trees, 'healthy');
		const link = path.join(tmp, 'to-cgroup');
		symlinkSync('/sys/fs/cgroup', link);
		for (const out of ['/sys/fs/cgroup/quiesce', '/proc/quiesce', '/dev/shm/quiesce', path.join(link, 'quiesce')]) {
			await expect(capture(options(root, out))).rejects.toThrowError(/: inside \/(?:sys|proc|dev); capture never writes there$/);
			expect(existsSync(out)).toBe(false);
		}
	});

	it('knows the kernel pseudo-filesystems by their statfs type', () => {
		expect(kernelFilesystem('/sys')).toBe('sysfs');
		expect(kernelFilesystem('/proc')).toBe('procfs');
		expect(kernelFilesystem(tmp)).toBeUndefined();
	});
});

describe('what --watch prints about the host', () => {
	it('escapes control characters from the tree and shows an empty value as ""', () => {
		expect(describeChange({tUs: 7_319_042_000, path: 'sys/bus/nd/devices/ndbus0/firmware/activate', from: 'armed\u001B[2J', to: ''})).toBe('[7319.042000] sys/bus/nd/devices/ndbus0/firmware/activate: armed\\x1b[2J → ""');
		expect(describeProgress({polls: 3, changes: 1, logLines: 12})).toBe('3 poll(s), 1 change(s), 12 kernel log line(s) followed');
	});
});
