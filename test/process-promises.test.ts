/**
 * README promises that only hold across a process boundary, each checked on
 * a real child process running the current build (test/global-setup.ts):
 * bounded memory, same seed ⇒ same bytes, capture read-only, and the
 * terminal given back after an uncaught exception inside a pane.
 */
import {spawn} from 'node:child_process';
import {createHash} from 'node:crypto';
import {closeSync, cpSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {execa, execaSync} from 'execa';
import {describe, expect, it} from 'vitest';
import {fixturesDir, packageRoot} from '../source/paths.js';
import {cliPath, ensureBuilt} from './helpers/cli.js';

const here = path.join(packageRoot(), 'test', 'process');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'quiesce-process-'));
const node = (args: string[], env: Record<string, string> = {}) => {
	ensureBuilt();
	return execa('node', args, {reject: false, stdin: 'ignore', env: {NO_COLOR: '', FORCE_COLOR: '', ...env}, cwd: packageRoot()});
};

describe('memory stays bounded whatever the size of the log', () => {
	it('60 000 suspend cycles and 60 000 garbage lines replay under a 40 MB heap, every cycle counted', async () => {
		const log = path.join(tmp, 'cycles.log');
		await execa('node', [path.join(here, 'gen-cycles.mjs'), log, '60000']);
		expect(statSync(log).size).toBeGreaterThan(20_000_000);
		// Kept whole, 60 000 cycles alone take ~47 MB of heap: the reducer must keep only the latest.
		// The document lists every cycle (over 100 MB, more than execa buffers): to a file.
		const out = path.join(tmp, 'summary.json');
		ensureBuilt();
		const fd = openSync(out, 'w');
		const result = await new Promise<{exitCode: number | null; stderr: string}>((resolve, reject) => {
			const child = spawn('node', ['--max-old-space-size=40', cliPath, 'replay', '--summary', '--json', log], {stdio: ['ignore', fd, 'pipe'], env: {...process.env, NO_COLOR: '', FORCE_COLOR: ''}, cwd: packageRoot()});
			let stderr = '';
			child.stderr!.on('data', (chunk: Buffer) => void (stderr += String(chunk)));
			child.on('error', reject);
			child.on('close', exitCode => resolve({exitCode, stderr}));
		}).finally(() => closeSync(fd));
		expect(result.exitCode, String(result.stderr).slice(-2000)).toBe(0);
		// One summary document (README "summary document"), streamed cycle by cycle over several lines.
		const text = readFileSync(out, 'utf8');
		rmSync(out);
		const summary = JSON.parse(text) as {kind: string; version: number; cycles: Array<{index: number; status: string}>; totals: {cycles: number; ok: number; failed: number; incomplete: number}};
		expect(summary).toMatchObject({kind: 'summary', version: 1});
		expect(summary.totals).toMatchObject({cycles: 60_000, ok: 60_000, failed: 0, incomplete: 0});
		// Every cycle streamed out, none kept: the document lists each one, in order.
		expect(summary.cycles).toHaveLength(60_000);
		expect(summary.cycles.every((c, i) => c.index === i + 1 && c.status === 'ok')).toBe(true);
		expect(String(result.stderr)).toMatch(/cycles\.log:7: binary data/);
	}, 180_000);
});

describe('same scenario and seed ⇒ the same bytes, in another process', () => {
	it('every built-in scenario, every kernel era, three seeds, text and JSON', async () => {
		ensureBuilt();
		// Two processes that differ in what must not matter: time zone, locale, hash seed of V8.
		const [a, b] = await Promise.all([
			execa('node', [path.join(here, 'sim-every.mjs')], {env: {TZ: 'UTC', LANG: 'C'}}),
			execa('node', ['--random-seed=4242', '--hash-seed=99', path.join(here, 'sim-every.mjs')], {env: {TZ: 'Pacific/Chatham', LANG: 'de_DE.UTF-8'}}),
		]);
		const rows = String(a.stdout).trim().split('\n');
		expect(rows.length).toBeGreaterThanOrEqual(20 * 3 * 3 * 2);
		expect(String(b.stdout)).toBe(String(a.stdout));
		// The seed matters: some scenario's output differs between seeds.
		const bySeed = new Map<string, Set<string>>();
		for (const row of rows) {
			const [scenario, kernel, , format, hash] = row.split(' ');
			const key = `${scenario} ${kernel} ${format}`;
			bySeed.set(key, (bySeed.get(key) ?? new Set()).add(hash!));
		}

		expect([...bySeed.values()].filter(hashes => hashes.size > 1).length).toBeGreaterThan(10);
		// And the CLI itself prints those bytes.
		const textRows = rows.filter(r => r.split(' ')[3] === 'text');
		for (const [scenario, kernel, seed] of [textRows[0]!, textRows[Math.floor(textRows.length / 2)]!, textRows.at(-1)!].map(r => r.split(' '))) {
			const cli = await node([cliPath, 'sim', '--headless', '--scenario', scenario!, '--kernel', kernel!, '--seed', seed!]);
			const hash = createHash('sha256').update(String(cli.stdout) + '\n').digest('hex');
			expect(rows, `${scenario} ${kernel} ${seed}`).toContain(`${scenario} ${kernel} ${seed} text ${hash} ${Buffer.byteLength(String(cli.stdout) + '\n')}`);
		}
	}, 300_000);
});

function fingerprint(dir: string): Record<string, string> {
	const out: Record<string, string> = {};
	const walk = (d: string) => {
		for (const name of readdirSync(d)) {
			const file = path.join(d, name);
			const s = statSync(file);
			if (s.isDirectory()) walk(file);
			else out[path.relative(dir, file)] = `${s.mode} ${s.mtimeMs} ${createHash('sha256').update(readFileSync(file)).digest('hex')}`;
		}
	};

	walk(dir);
	return out;
}

describe('capture is read-only', () => {
	const preload = path.join(here, 'readonly-preload.mjs');

	it('the preload itself refuses writes outside --out and writes under the sysfs root', async () => {
		const root = mkdtempSync(path.join(tmp, 'root-'));
		const out = path.join(tmp, 'out-selfcheck');
		const env = {QUIESCE_ALLOWED_OUT: out, QUIESCE_FORBIDDEN_ROOT: root};
		for (const code of [
			`fs.writeFileSync(${JSON.stringify(path.join(root, 'x'))}, 'y')`,
			`fs.openSync(${JSON.stringify(path.join(tmp, 'elsewhere'))}, 'w')`,
			`await fs.promises.mkdir(${JSON.stringify(path.join(tmp, 'newdir'))})`,
			`fs.renameSync(${JSON.stringify(preload)}, ${JSON.stringify(path.join(out, 'moved'))})`,
			`fs.unlinkSync(${JSON.stringify(path.join(root, 'nothing'))})`,
			`fs.createWriteStream(${JSON.stringify(path.join(tmp, 'stream'))})`,
		]) {
			const result = await node(['--import', preload, '--input-type=module', '-e', `import fs from 'node:fs'; ${code}`], env);
			expect(result.exitCode, code).not.toBe(0);
			expect(String(result.stderr), code).toMatch(/read-only preload: .* refused/);
		}

		const allowed = await node(['--import', preload, '--input-type=module', '-e', `import fs from 'node:fs'; fs.mkdirSync(${JSON.stringify(out)}, {recursive: true}); fs.writeFileSync(${JSON.stringify(path.join(out, 'ok'))}, 'y'); fs.readFileSync(${JSON.stringify(preload)});`], env);
		expect(allowed.exitCode, String(allowed.stderr)).toBe(0);
		expect(String(allowed.stderr)).toMatch(/[1-9]\d* read-only opens, [1-9]\d* writes below --out, 0 refused/);
	});

	for (const watch of [false, true]) {
		it(`quiesce capture${watch ? ' --watch' : ''} of an armed tree writes only below --out and nothing under the root`, async () => {
			const root = path.join(tmp, `armed-${watch}`);
			cpSync(fixturesDir('sysfs-trees', 'armed'), root, {recursive: true});
			const before = fingerprint(root);
			const out = path.join(tmp, `captured-${watch}`);
			const args = ['--import', preload, cliPath, 'capture', '--root', root, '--out', out, ...(watch ? ['--watch', '--interval', '20', '--duration', '0.3'] : [])];
			const result = await node(args, {QUIESCE_ALLOWED_OUT: out, QUIESCE_FORBIDDEN_ROOT: root});
			expect(result.exitCode, String(result.stderr)).toBe(0);
			expect(String(result.stderr)).toMatch(/read-only preload: [1-9]\d* read-only opens, [1-9]\d* writes below --out, 0 refused/);
			expect(fingerprint(root)).toEqual(before);
			expect(readdirSync(out).length).toBeGreaterThan(0);
		});
	}
});

describe('the terminal is given back after an uncaught exception inside a pane', () => {
	const socket = `quiesce-fault-${process.pid}`;
	const tmux = (...args: string[]) => String(execaSync('tmux', ['-L', socket, ...args], {reject: false}).stdout);
	const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
	const screen = () => tmux('capture-pane', '-p', '-t', 't');

	// The pane draws once, then its second render (the log grew while playing) throws.
	it('a throw in the kernel log pane while playing: error shown, exit non-zero, main screen, cursor, cooked mode', async () => {
		try {
			execaSync('tmux', ['-V']);
		} catch {
			throw new Error('tmux is required for the real-terminal tests: apt-get install -y tmux (.ci/run installs it in CI)');
		}

		ensureBuilt();
		const script = `node --import ${path.join(here, 'pane-fault.mjs')} ${cliPath} sim --speed 2; echo "EXIT=$?"; stty -a | grep -o -- '-\\?icanon' | head -1; sleep 30`;
		const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(?:CI|CONTINUOUS_INTEGRATION|GITHUB_ACTIONS|BUILD_NUMBER|RUN_ID)$/.test(k)));
		execaSync('tmux', ['-L', socket, 'new-session', '-d', '-x', '100', '-y', '32', '-c', packageRoot(), '-s', 't', script], {env: {...env, TERM: 'xterm-256color', QUIESCE_FAULT_AFTER_RENDERS: '2'}, extendEnv: false});
		try {
			const deadline = Date.now() + 30_000;
			while (!/EXIT=\d+/.test(screen())) {
				if (Date.now() > deadline) throw new Error(`never exited; screen:\n${screen()}`);
				await sleep(100);
			}

			const text = screen();
			expect(text).toMatch(/injected fault inside the kernel log pane/);
			expect(Number(/EXIT=(\d+)/.exec(text)![1])).not.toBe(0);
			expect(text).toMatch(/^icanon$/m); // canonical mode: not left raw
			expect(tmux('display', '-p', '-t', 't', '#{alternate_on} #{cursor_flag}').trim()).toBe('0 1'); // main screen, cursor shown
		} finally {
			tmux('kill-server');
		}
	}, 60_000);
});
