import {createHash} from 'node:crypto';
import {chmodSync, cpSync, lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {execaSync} from 'execa';
import {describe, expect, it} from 'vitest';
import {capture, type CaptureOptions} from '../source/capture/capture.js';
import {ForbiddenCommandError, execaRunner, isAllowed, nodeReadOnlyFs, type CommandRunner, type ReadOnlyFs} from '../source/capture/readonly.js';
import {fixturesDir} from '../source/paths.js';
import {quiesce} from './helpers/cli.js';
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
			else out[path.relative(dir, full)] = `${createHash('sha256').update(readFileSync(full)).digest('hex')}:${stat.mtimeMs}:${stat.mode}`;
		}
	};

	walk(dir);
	return out;
}

/** Record every filesystem call and command line capture makes. */
function spies() {
	const fsCalls: Array<{method: string; path: string}> = [];
	const commands: string[][] = [];
	const fs = new Proxy(nodeReadOnlyFs, {
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
	return {out, root, watch: false, intervalMs: 50, fs: nodeReadOnlyFs, runner: execaRunner, now: () => Date.now(), say: () => undefined, ...extra};
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
		// Long enough for the first snapshot (it spawns dmesg/ndctl) on a loaded 2-core machine.
		setTimeout(() => controller.abort(), 2000);
		const out = path.join(tmp, 'aborted');
		const report = await capture(options(path.join(trees, 'healthy'), out, {watch: true, intervalMs: 20, signal: controller.signal}));
		expect(report.polls).toBeGreaterThan(0);
		expect(JSON.parse(readFileSync(path.join(out, 'meta.json'), 'utf8')).watch.polls).toBe(report.polls);
	});
});

describe('read-only by construction', () => {
	it('only reads below the root, runs only allowed commands, and changes nothing', async () => {
		const root = path.join(tmp, 'ro');
		cpSync(path.join(trees, 'armed'), root, {recursive: true});
		const before = fingerprint(root);
		const spy = spies();
		await capture(options(root, path.join(tmp, 'ro-out'), {fs: spy.fs, runner: spy.runner, watch: true, intervalMs: 5, durationS: 0.1}));
		expect(fingerprint(root)).toEqual(before);
		expect(spy.fsCalls.length).toBeGreaterThan(50);
		for (const call of spy.fsCalls) expect(path.resolve(call.path).startsWith(path.resolve(root))).toBe(true);
		expect(new Set(spy.fsCalls.map(c => c.method))).toEqual(new Set(['exists', 'readdir', 'lstat', 'readFile']));
		for (const argv of spy.commands) expect(isAllowed(argv)).toBe(true);
	});

	it('the filesystem it is given has no way to write', () => {
		expect(Object.keys(nodeReadOnlyFs).sort()).toEqual(['exists', 'lstat', 'readFile', 'readRecords', 'readdir', 'readlink']);
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
		const report = await capture(options('/', path.join(tmp, 'missing'), {runner: missing, fs: {...nodeReadOnlyFs, readRecords: async () => Promise.reject(Object.assign(new Error('no'), {code: 'EACCES'}))}}));
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
