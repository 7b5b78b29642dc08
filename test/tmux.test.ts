/**
 * The built CLI in a real terminal (tmux): start it, press keys, read the
 * screen, quit, and check the terminal came back — main screen, cursor
 * shown, canonical (not raw) mode — for q, Ctrl-C, SIGINT and SIGTERM.
 */
import {appendFileSync, cpSync, mkdtempSync, readFileSync, renameSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {execaSync} from 'execa';
import {describe, expect, it} from 'vitest';
import {packageRoot} from '../source/paths.js';
import {cliPath, ensureBuilt} from './helpers/cli.js';
import {requireTmux} from './helpers/tmux.js';


requireTmux();

let starts = 0;
let socket = `quiesce-test-${process.pid}-0`;
const pidFile = path.join(os.tmpdir(), `quiesce-test-${process.pid}.pid`);
const tmux = (...args: string[]) => String(execaSync('tmux', ['-L', socket, ...args], {reject: false}).stdout);
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

async function until(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!predicate()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen:\n${tmux('capture-pane', '-p', '-t', 't')}`);
		await sleep(100);
	}
}

function start(args: string, extraEnv: Record<string, string> = {}, size: [number, number] = [100, 32]): void {
	ensureBuilt();
	tmux('kill-server');
	// A fresh server each time: a new session must not race the old server's shutdown.
	socket = `quiesce-test-${process.pid}-${++starts}`;
	// The shell reports how the program ended and what mode the terminal was left in.
	// `exec` keeps the pid written by the inner shell: that pid becomes node's.
	const script = `sh -c 'echo $$ > ${pidFile}; exec env ${Object.entries(extraEnv).map(([k, v]) => `${k}=${v}`).join(' ')} node ${cliPath} ${args}'; echo "EXIT=$?"; stty -a | grep -o -- '-\\?icanon' | head -1; sleep 30`;
	// Ink goes non-interactive when CI is set at all, even empty: a terminal user has no CI variable.
	const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(?:CI|CONTINUOUS_INTEGRATION|GITHUB_ACTIONS|BUILD_NUMBER|RUN_ID)$/.test(k)));
	execaSync('tmux', ['-L', socket, 'new-session', '-d', '-x', String(size[0]), '-y', String(size[1]), '-c', packageRoot(), '-s', 't', script], {env: {...env, TERM: 'xterm-256color', ...extraEnv}, extendEnv: false});
}

const screen = () => tmux('capture-pane', '-p', '-t', 't');
const flags = () => tmux('display', '-p', '-t', 't', '#{alternate_on} #{cursor_flag}').trim();

describe('in a real terminal', () => {
	it('plays the default scenario, answers keys, and restores the terminal on q', async () => {
		start('sim --speed 0.5');
		await until(() => /Phases/.test(screen()), 'the first frame');
		expect(flags()).toBe('1 0'); // alternate screen, cursor hidden
		tmux('send-keys', '-t', 't', ' ');
		await until(() => /PAUSED/.test(screen()), 'pause');
		tmux('send-keys', '-t', 't', '+');
		await until(() => / 1× /.test(screen()), 'speed 1×');
		tmux('send-keys', '-t', 't', 'G');
		await until(() => /ENDED/.test(screen()) && /✓ Thaw tasks/.test(screen()), 'the end');
		tmux('send-keys', '-t', 't', '?');
		await until(() => /Keys — any key closes this help/.test(screen()), 'help');
		tmux('send-keys', '-t', 't', 'x');
		await until(() => /Kernel log/.test(screen()), 'help closed'); // the help's own footer says "Phases:"
		tmux('send-keys', '-t', 't', 'q');
		await until(() => /EXIT=0\n-?icanon/.test(screen()), 'exit and the terminal mode');
		expect(screen()).toMatch(/EXIT=0\n(?!-)icanon/);
		expect(flags()).toBe('0 1');
		tmux('kill-server');
	}, 30_000);

	it('Ctrl-C quits cleanly', async () => {
		start('sim --scenario overflow');
		await until(() => /Phases/.test(screen()), 'the first frame');
		tmux('send-keys', '-t', 't', 'C-c');
		// A key in raw mode or, if it beats raw mode, the terminal's SIGINT: 130 either way.
		await until(() => /EXIT=130/.test(screen()), 'exit');
		expect(flags()).toBe('0 1');
		tmux('kill-server');
	}, 30_000);

	it.each([['INT', 130], ['TERM', 143], ['HUP', 129], ['QUIT', 131]])('SIG%s restores the terminal (exit %i)', async (signal, code) => {
		start('replay fixtures/traces/qemu-6.1');
		await until(() => /Phases/.test(screen()), 'the first frame');
		process.kill(Number(readFileSync(pidFile, 'utf8').trim()), `SIG${signal}` as NodeJS.Signals);
		await until(() => new RegExp(`EXIT=${code}\\s*\\n-?icanon`).test(screen()), `exit ${code} and the terminal mode`);
		expect(screen()).toMatch(/\n(?!-)icanon/);
		expect(flags()).toBe('0 1');
		tmux('kill-server');
	}, 30_000);
});

describe('the monitor at 80×24 and 200×60, navigating a real log', () => {
	const lines = () => screen().split('\n');
	const capture = () => tmux('capture-pane', '-p', '-e', '-t', 't');

	it.each([
		[80, 24],
		[200, 60],
	])('%i×%i: the key hints are visible, every phase label fits, nothing wider than the terminal', async (columns, rows) => {
		start('sim --scenario task-wont-freeze --paused', {}, [columns, rows]);
		await until(() => /Phases/.test(screen()) && /\? help/.test(screen()) && /q quit/.test(screen()), 'the key hints');
		expect(lines()[0]).toMatch(/PAUSED/);
		for (const label of ['Freeze user space', 'Memory quiesce + activation', 'Thaw tasks']) expect(screen()).toContain(label);
		tmux('send-keys', '-t', 't', 'G');
		await until(() => /NEVER REACHED/.test(screen()) && /g watch again/.test(screen()), 'the outcome');
		expect(screen()).not.toMatch(/\[OK\]|\bOK\b/);
		tmux('send-keys', '-t', 't', 'q');
		await until(() => /EXIT=0/.test(screen()), 'exit');
		tmux('kill-server');
	}, 30_000);

	it('/ finds and highlights a line; e lands on the failure of a real log (3.0, khubd refusing to freeze)', async () => {
		start('replay fixtures/traces/05-s3-3.0-ubuntu1110-kernlog-freeze-failure-khubd.log --paused', {}, [120, 40]);
		await until(() => /Phases/.test(screen()) && /cycle 1 of/.test(screen()), 'the first frame at the first cycle');
		tmux('send-keys', '-t', 't', 'e');
		await until(() => /error: .*Freezing of tasks failed after 20\.01 seconds/.test(screen()), 'the failure');
		expect(screen()).toMatch(/!! Freezing of tasks failed after 20\.01 seconds/);
		tmux('send-keys', '-t', 't', '/');
		tmux('send-keys', '-t', 't', '-l', 'khubd');
		await until(() => /match: .*khubd/.test(screen()), 'the search');
		expect(capture()).toMatch(/\u001B\[7mkhubd/); // inverse video on the match
		tmux('send-keys', '-t', 't', 'Enter');
		tmux('send-keys', '-t', 't', 'q');
		await until(() => /EXIT=0/.test(screen()), 'exit');
		tmux('kill-server');
	}, 30_000);

	it('Ctrl-C from the help overlay exits 130 and gives the terminal back', async () => {
		start('sim --paused', {}, [80, 24]);
		await until(() => /Phases/.test(screen()), 'the first frame');
		tmux('send-keys', '-t', 't', '?');
		await until(() => /Keys — any key closes this help/.test(screen()), 'help');
		tmux('send-keys', '-t', 't', 'C-c');
		await until(() => /EXIT=130\n-?icanon/.test(screen()), 'exit 130 and the terminal mode');
		expect(screen()).toMatch(/EXIT=130\n(?!-)icanon/);
		expect(flags()).toBe('0 1');
		tmux('kill-server');
	}, 30_000);

	it('a log with CR, FF, ESC and OSC sequences cannot move the cursor or retitle the terminal', async () => {
		const file = path.join(os.tmpdir(), `quiesce-hostile-${process.pid}.log`);
		writeFileSync(file, [
			'[  100.000000] PM: suspend entry (deep)',
			'[  100.000100] Freezing user space processes ... (elapsed 0.001 seconds) done.',
			'[  100.000200] evil\rX\fY\u001B[2J\u001B[1;1HOWNED\u001B]0;pwned\u0007\u001B]52;c;Zm9v\u0007 end',
			'[  100.000300] PM: suspend exit',
			'',
		].join('\n'));
		start(`replay ${file} --paused`, {}, [100, 30]);
		await until(() => /Phases/.test(screen()), 'the first frame');
		tmux('send-keys', '-t', 't', 'G');
		await until(() => /ENDED/.test(screen()), 'the end');
		expect(lines()[0]).toMatch(/^quiesce ENDED/); // the status bar is still on the first row
		// A lone CR is a line ending to the reader (universal line endings, the input branch): "evil" ends
		// there and the rest is a line of its own — still every control character escaped, nothing raw.
		expect(screen()).toMatch(/\[ {2}100\.000200\] evil\s*│/);
		expect(screen()).toContain('X\\x0cY\\x1b[2J\\x1b[1;1HOWNED\\x1b]0;pwned\\x07');
		expect(capture()).not.toMatch(/\u001B\]|\u0007|\u000C|\r/);
		expect(tmux('display', '-p', '-t', 't', '#{pane_title}')).not.toMatch(/pwned/);
		tmux('send-keys', '-t', 't', 'q');
		await until(() => /EXIT=0/.test(screen()), 'exit');
		tmux('kill-server');
	}, 30_000);

	it.each([
		['stdin is not a terminal', 'sim < /dev/null', {}],
		['TERM=dumb', 'sim', {TERM: 'dumb'}],
	])('%s: plain headless output, never a stack trace', async (_what, args, env) => {
		start(args, env as Record<string, string>);
		await until(() => /EXIT=/.test(screen()), 'exit');
		expect(screen()).toMatch(/EXIT=0/);
		expect(screen()).not.toMatch(/at .*\.js:\d+|Error|Phases/);
		expect(tmux('capture-pane', '-p', '-S', '-200', '-t', 't')).toMatch(/\[ *\d+\.\d{6}\] /);
		tmux('kill-server');
	}, 30_000);
});

describe('colour in a real terminal', () => {
	const sgrColours = /\u001B\[[\d;]*(?:3[0-7]|9[0-7]|38;5;\d+)m/;
	const capture = () => tmux('capture-pane', '-p', '-e', '-t', 't');

	it('uses colour by default and none at all with NO_COLOR', async () => {
		start('sim --scenario task-wont-freeze');
		await until(() => /Phases/.test(screen()), 'the first frame');
		expect(capture()).toMatch(sgrColours);
		tmux('send-keys', '-t', 't', 'q');
		start('sim --scenario task-wont-freeze', {NO_COLOR: '1'});
		await until(() => /Phases/.test(screen()), 'the first frame');
		tmux('send-keys', '-t', 't', 'G');
		await until(() => /FAILED/.test(screen()), 'the failure');
		expect(capture()).not.toMatch(sgrColours);
		expect(screen()).toMatch(/✗ Freeze user space/); // meaning survives in text
		tmux('send-keys', '-t', 't', 'q');
		tmux('kill-server');
	}, 30_000);

	it('redraws for the new size when the terminal is resized', async () => {
		start('sim');
		await until(() => /Phases/.test(screen()), 'the first frame');
		tmux('send-keys', '-t', 't', ' ');
		tmux('resize-window', '-t', 't', '-x', '140', '-y', '40');
		await until(() => (screen().split('\n')[1] ?? '').trimEnd().length > 130, 'a wider frame');
		tmux('send-keys', '-t', 't', 'q');
		await until(() => /EXIT=0/.test(screen()), 'exit');
		tmux('kill-server');
	}, 30_000);
});

describe('quiesce risk in a real terminal', () => {
	it('shows progress with runs/s and time left; Ctrl-C stops early and reports on the runs done', async () => {
		start('risk --scenario risky-host --runs 500000 --threads 1');
		await until(() => /runs\/s · [\d.]+ s left/.test(screen()), 'the progress bar');
		await sleep(1500);
		tmux('send-keys', '-t', 't', 'C-c');
		await until(() => /stopped early/.test(screen()) && /EXIT=/.test(screen()), 'the early report');
		expect(screen()).toMatch(/risk: risky-host — quiesce, \d+ runs of 500000 \(stopped early\)/);
		expect(screen()).toMatch(/freeze-failed\s+\d+\.\d+ %\s+\[/);
		expect(flags()).toBe('0 1');
		tmux('kill-server');
	}, 40_000);
});

describe('quiesce capture --watch in a real terminal', () => {
	it('shows a live status line (polls, changes, log lines followed), each change, and the summary on Ctrl-C', async () => {
		const base = mkdtempSync(path.join(os.tmpdir(), 'quiesce-tmux-capture-'));
		const root = path.join(base, 'root');
		cpSync(path.join(packageRoot(), 'fixtures/sysfs-trees/armed'), root, {recursive: true});
		start(`capture --root ${root} --out ${path.join(base, 'out')} --watch --interval 50`);
		await until(() => /\d+ poll\(s\), 0 change\(s\), 3 kernel log line\(s\) followed · Ctrl-C stops/.test(screen()), 'the status line');
		// Replaced in one step (as sysfs shows a value): a truncate-then-write could be seen empty in between.
		writeFileSync(path.join(base, 'activate.new'), 'busy\n');
		renameSync(path.join(base, 'activate.new'), path.join(root, 'sys/bus/nd/devices/ndbus0/firmware/activate'));
		appendFileSync(path.join(root, 'dmesg.log'), '[ 7316.600000] nd ndbus0: firmware activation done\n');
		await until(() => /quiesce: \[\d+\.\d{6}\] sys\/bus\/nd\/devices\/ndbus0\/firmware\/activate: armed → busy/.test(screen()), 'the change');
		await until(() => /\d+ poll\(s\), 1 change\(s\), 4 kernel log line\(s\) followed/.test(screen()), 'the log line followed');
		tmux('send-keys', '-t', 't', 'C-c');
		await until(() => /EXIT=0/.test(screen()), 'exit');
		expect(screen()).toMatch(/quiesce: captured \d+ sysfs values \(ndbus0; 8 DIMM\(s\)\), 4 kernel log lines, \d+ polls with 1 change\(s\)/);
		expect(screen()).not.toMatch(/poll\(s\).*Ctrl-C stops\s*\n.*quiesce: captured/); // the status line was cleared
		tmux('kill-server');
	}, 40_000);

	it('the terminal closing (SIGHUP, an ssh session dropping) still leaves a complete bundle', async () => {
		const base = mkdtempSync(path.join(os.tmpdir(), 'quiesce-tmux-capture-'));
		const out = path.join(base, 'out');
		start(`capture --root ${path.join(packageRoot(), 'fixtures/sysfs-trees/armed')} --out ${out} --watch --interval 20`);
		await until(() => /[1-9]\d* poll\(s\)/.test(screen()), 'the status line');
		const pid = Number(readFileSync(pidFile, 'utf8').trim());
		tmux('kill-server'); // the pty closes: the kernel sends SIGHUP
		await until(() => {
			try {
				process.kill(pid, 0);
				return false;
			} catch {
				return true;
			}
		}, 'capture to end');
		const meta = JSON.parse(readFileSync(path.join(out, 'meta.json'), 'utf8')) as {watch: {polls: number}};
		expect(meta.watch.polls).toBeGreaterThan(0);
		expect(readFileSync(path.join(out, 'sysfs.tsv'), 'utf8')).toMatch(/\/sys\/bus\/nd\/devices\/ndbus0\/firmware\/activate\tarmed/);
	}, 40_000);

	it('says plainly when there is no nd bus', async () => {
		const base = mkdtempSync(path.join(os.tmpdir(), 'quiesce-tmux-capture-'));
		start(`capture --root ${path.join(packageRoot(), 'fixtures/sysfs-trees/no-nvdimm')} --out ${path.join(base, 'out')} --watch --interval 50`);
		// The terminal wraps the line where the path's length puts it: at a space or inside a word.
		await until(() => [screen().replace(/\n/g, ''), screen().replace(/\s*\n\s*/g, ' ')].some(text => /quiesce: no nd bus on this host \(.*\): no firmware attributes to poll; following dmesg\.log/.test(text)), 'the no-bus line');
		// Whitespace-blind: where the terminal wraps the line depends on the length of the checkout's path.
		await until(() => /quiesce:nondbusonthishost\(.*\):nofirmwareattributestopoll;followingdmesg\.log/.test(screen().replace(/\s+/g, '')), 'the no-bus line');
		tmux('send-keys', '-t', 't', 'C-c');
		await until(() => /EXIT=0/.test(screen()), 'exit');
		expect(screen()).not.toMatch(/watching 0/);
		tmux('kill-server');
	}, 40_000);
});

describe('risk and rehearse give the terminal back on SIGHUP and SIGQUIT', () => {
	it.each([
		['risk --scenario risky-host --runs 500000 --threads 1', 'HUP', 129, /runs\/s/],
		['rehearse --drill clean-activation', 'QUIT', 131, /Phases/],
	])('%s, SIG%s: exit %i', async (args, signal, code, ready) => {
		start(args);
		await until(() => ready.test(screen()), 'the first frame');
		process.kill(Number(readFileSync(pidFile, 'utf8').trim()), `SIG${signal}` as NodeJS.Signals);
		await until(() => new RegExp(`EXIT=${code}\\s*\\n-?icanon`).test(screen()), `exit ${code} and the terminal mode`);
		expect(screen()).toMatch(/\n(?!-)icanon/);
		expect(flags()).toBe('0 1');
		tmux('kill-server');
	}, 30_000);
});
