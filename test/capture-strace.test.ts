/**
 * Capture of a hostile tree, checked from outside the program: strace
 * records every open/openat/creat/rename/unlink/mkdir/rmdir/link/symlink/
 * truncate/chmod/chown the capture process (and any child) makes, with the
 * real path each opened descriptor ended up on (-y). The assertions:
 *  - nothing is written (write-mode open, rename, unlink, mkdir, …) outside
 *    --out, and nothing at all in write mode under --root;
 *  - nothing is opened outside --root and --out except what Node itself
 *    loads (its binary, shared libraries, this package's code, /proc/self, …);
 *  - the targets of the planted links, the FIFO and the device are never
 *    opened, and every file opened under --root is opened with O_NOFOLLOW.
 * strace is required: CI installs it (.ci/run); a machine without it fails
 * here with the command to install it, it is not skipped.
 */
import {cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {execa, execaSync} from 'execa';
import {describe, expect, it} from 'vitest';
import {fixturesDir, packageRoot} from '../source/paths.js';
import {cliPath, ensureBuilt} from './helpers/cli.js';

const hasStrace = execaSync('strace', ['-V'], {reject: false}).exitCode === 0;

type Call = {pid: string; call: string; paths: string[]; flags: string; result: string; line: string};

const traced = 'open,openat,openat2,creat,rename,renameat,renameat2,unlink,unlinkat,mkdir,mkdirat,rmdir,link,linkat,symlink,symlinkat,truncate,chmod,fchmodat,chown,lchown,fchownat';
const writeCalls = /^(?:creat|rename|renameat2?|unlink|unlinkat|mkdir|mkdirat|rmdir|link|linkat|symlink|symlinkat|truncate|chmod|fchmodat|chown|lchown|fchownat)$/;
const writeFlags = /\b(?:O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND)\b/;

/** strace -f -y lines → calls, with the path the result descriptor points at (`= 3</real/path>`). */
function parseTrace(text: string): Call[] {
	const calls: Call[] = [];
	const pending = new Map<string, Call>();
	for (const line of text.split('\n')) {
		const resumed = /^(\d+)\s+<\.\.\. (\w+) resumed>(.*)$/.exec(line);
		if (resumed) {
			const call = pending.get(resumed[1]!);
			pending.delete(resumed[1]!);
			if (call) finish(call, resumed[3]!);
			continue;
		}

		const match = /^(\d+)\s+(\w+)\((.*)$/.exec(line);
		if (!match) continue;
		const [, pid, name, rest] = match;
		// A path argument is a quoted string; `N</dir>` before it is the directory it is relative to.
		const paths: string[] = [];
		for (const m of rest!.matchAll(/(?:(?:AT_FDCWD|\d+)<([^>]*)>,\s*)?"((?:[^"\\]|\\.)*)"/g)) paths.push(path.resolve(m[1] ?? '/', m[2]!));
		const call: Call = {pid: pid!, call: name!, paths, flags: rest!, result: '', line};
		calls.push(call);
		if (rest!.endsWith('<unfinished ...>')) pending.set(pid!, call);
		else finish(call, rest!);
	}

	return calls;

	function finish(call: Call, tail: string) {
		const result = /\)\s+=\s+(-?\d+)(?:<([^>]*)>)?/.exec(tail);
		call.result = result?.[1] ?? '';
		if (result?.[2]) call.paths.push(result[2]);
	}
}

const under = (p: string, dir: string) => p === dir || p.startsWith(dir + path.sep);

/** What Node itself opens to start and run, read-only: never the tree's, never --out's. */
function runtimeReads(): string[] {
	const node = realpathSync(process.execPath);
	return [
		packageRoot(),
		path.dirname(process.execPath),
		path.dirname(node),
		'/lib', '/lib64', '/usr/lib', '/usr/lib64', '/usr/local/lib', '/etc/ld.so.cache', '/etc/ld.so.preload',
		'/etc/localtime', '/usr/share/zoneinfo', '/etc/ssl', '/usr/lib/ssl', '/usr/local/ssl',
		'/proc/self', `/proc/meminfo`, '/proc/cpuinfo', '/proc/stat', '/proc/sys/vm/overcommit_memory', '/proc/sys/kernel/random',
		'/sys/devices/system/cpu', '/sys/fs/cgroup', '/dev/null', '/dev/urandom', '/dev/random',
	].flatMap(p => {
		try {
			return [p, realpathSync(p)];
		} catch {
			return [p];
		}
	});
}

/** The hostile tree and the places it points at. */
function hostile(base: string) {
	const root = path.join(base, 'root');
	const outside = path.join(base, 'outside');
	mkdirSync(path.join(outside, 'etc'), {recursive: true});
	writeFileSync(path.join(outside, 'secret.txt'), 'TOP-SECRET\n');
	for (const f of ['passwd', 'group']) writeFileSync(path.join(outside, 'etc', f), `TOP-SECRET-${f}\n`);
	cpSync(fixturesDir('sysfs-trees', 'armed'), root, {recursive: true});
	const at = (rel: string) => path.join(root, rel);
	rmSync(at('sys/power/state'));
	symlinkSync(path.join(outside, 'secret.txt'), at('sys/power/state'));
	rmSync(at('dmesg.log'));
	symlinkSync('../outside/secret.txt', at('dmesg.log'));
	symlinkSync('/dev/zero', at('ndctl.json'));
	symlinkSync(path.join(outside, 'etc'), at('sys/bus/nd/devices/nmem9'));
	const fifo = at('sys/bus/nd/devices/nmem0/firmware/result');
	rmSync(fifo);
	execaSync('mkfifo', [fifo]);
	const device = at('sys/power/disk');
	rmSync(device, {force: true});
	const madeDevice = execaSync('mknod', [device, 'c', '1', '5'], {reject: false}).exitCode === 0; // /dev/zero's numbers; needs root
	// --out: a previous bundle with links planted where capture writes.
	const out = path.join(base, 'out');
	const victim = path.join(base, 'victim.txt');
	writeFileSync(victim, 'victim\n');
	mkdirSync(out);
	writeFileSync(path.join(out, 'meta.json'), JSON.stringify({format: 'quiesce-trace', version: 1}));
	symlinkSync('../victim.txt', path.join(out, 'kernel.log'));
	symlinkSync(victim, path.join(out, 'sysfs.tsv'));
	symlinkSync(victim, path.join(out, 'events.ndjson'));
	return {root, out, outside, victim, fifo, device: madeDevice ? device : undefined};
}

async function stracedCapture(base: string, args: string[]) {
	ensureBuilt();
	const log = path.join(base, 'strace.log');
	const result = await execa('strace', ['-f', '-qq', '-y', '-s', '4096', '-e', `trace=${traced}`, '-e', 'signal=none', '-o', log, 'node', cliPath, 'capture', ...args], {
		reject: false,
		stdin: 'ignore',
		cwd: base,
		env: {NO_COLOR: '1'},
		timeout: 60_000,
	});
	return {result, calls: parseTrace(readFileSync(log, 'utf8'))};
}

describe('capture of a hostile tree, seen by strace', () => {
	it('strace is installed (CI installs it in .ci/run)', () => {
		if (!hasStrace) throw new Error('strace is missing: this test proves capture confinement with it; install it (apt-get install -y strace)');
	});

	it.each([
		['once', []],
		['--watch', ['--watch', '--interval', '20', '--duration', '1']],
	])('%s: writes only in --out, reads only the tree and what Node loads, never opens a link target, FIFO or device', async (_name, extra) => {
		if (!hasStrace) throw new Error('strace is missing: install it (apt-get install -y strace)');
		const base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'quiesce-strace-')));
		const tree = hostile(base);
		const {result, calls} = await stracedCapture(base, ['--root', tree.root, '--out', tree.out, '--force', ...extra]);
		expect(result.exitCode, String(result.stderr)).toBe(0);
		expect(calls.length).toBeGreaterThan(50);
		const allowed = runtimeReads();
		const problems: string[] = [];
		let treeOpens = 0;
		let outWrites = 0;
		for (const call of calls) {
			const writes = writeCalls.test(call.call) || (/^(?:open|openat|openat2)$/.test(call.call) && writeFlags.test(call.flags));
			for (const p of call.paths) {
				const inOut = under(p, tree.out);
				const inRoot = under(p, tree.root);
				if (writes && !inOut) problems.push(`writes outside --out: ${call.line}`);
				if (writes && inOut) outWrites++;
				if (!inOut && !inRoot && !allowed.some(a => under(p, a)) && !under(p, `/proc/${call.pid}`)) problems.push(`opens outside --root and --out: ${call.line}`);
				if (under(p, tree.outside) || p === tree.victim || p === '/dev/zero') problems.push(`touches a link target: ${call.line}`);
				if (p === tree.fifo || p === tree.device) problems.push(`opens a FIFO or device: ${call.line}`);
				if (inRoot && /^open/.test(call.call)) {
					treeOpens++;
					if (!/O_DIRECTORY|O_NOFOLLOW/.test(call.flags)) problems.push(`opens a file of the tree without O_NOFOLLOW: ${call.line}`);
				}
			}
		}

		expect(problems).toEqual([]);
		expect(treeOpens).toBeGreaterThan(40); // it did read the tree
		expect(outWrites).toBeGreaterThan(3); // and write the bundle, under strace's eye
		expect(readFileSync(tree.victim, 'utf8')).toBe('victim\n');
		const meta = JSON.parse(readFileSync(path.join(tree.out, 'meta.json'), 'utf8')) as {skipped: Array<{path: string; reason: string}>};
		const reasons = Object.fromEntries(meta.skipped.map(s => [s.path, s.reason]));
		expect(reasons['sys/power/state']).toMatch(/^symlink out of the root/);
		expect(reasons['dmesg.log']).toMatch(/^symlink out of the root/);
		expect(reasons['ndctl.json']).toBe('symlink out of the root (→ /dev/zero)');
		expect(reasons['sys/bus/nd/devices/nmem9']).toMatch(/^symlink out of the root/);
		expect(reasons['sys/bus/nd/devices/nmem0/firmware/result']).toBe('a FIFO: never opened');
		if (tree.device) expect(reasons['sys/power/disk']).toBe('a character device: never opened');
	}, 90_000);

	it('the check itself sees a read outside the tree (a capture of "/" opens /sys and /proc)', async () => {
		if (!hasStrace) throw new Error('strace is missing: install it (apt-get install -y strace)');
		const base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'quiesce-strace-')));
		const {calls} = await stracedCapture(base, ['--root', '/', '--out', path.join(base, 'out')]);
		// Not hostile: proof that the parser sees the tree reads it must judge (a parser that saw nothing would pass the test above).
		expect(calls.some(c => /^open/.test(c.call) && c.paths.some(p => p.startsWith('/proc/') && p.endsWith('/uptime')))).toBe(true);
		expect(calls.some(c => c.call.startsWith('rename') && c.paths.some(p => p === path.join(base, 'out', 'meta.json')))).toBe(true);
	}, 90_000);
});
