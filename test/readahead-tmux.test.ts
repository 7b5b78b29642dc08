/**
 * `slow producer | quiesce replay -` in a real terminal (tmux), issue 17: the monitor shows the
 * first cycle while the producer is still running (keys come from the terminal, the log from the
 * pipe), says the end is not known yet, and once the producer ends says so and ends like a replay
 * of a file; q gives the terminal back.
 */
import {existsSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {execaSync} from 'execa';
import {describe, expect, it} from 'vitest';
import {fixturesDir, packageRoot} from '../source/paths.js';
import {cliPath, ensureBuilt} from './helpers/cli.js';
import {requireTmux, tmuxServer} from './helpers/tmux.js';

requireTmux();

const {socket, tmux, sleep, screen, until} = tmuxServer('quiesce-readahead');

describe('replay - on a slow pipe, in a real terminal', () => {
	it('shows the first cycle before the producer has finished, then its end', async () => {
		ensureBuilt();
		const dir = mkdtempSync(path.join(os.tmpdir(), 'quiesce-readahead-'));
		const release = path.join(dir, 'release');
		const done = path.join(dir, 'producer-done');
		const log = fixturesDir('traces', 'qemu-6.1', 'dmesg-6.1-boot-hibernate-pm_test-freezer-devices.log');
		const producer = path.join(packageRoot(), 'test', 'helpers', 'slow-producer.mjs');
		// The producer prints the boot and the first hibernation cycle (to line 428), then waits for `release`.
		// Its stdin and stderr are not the terminal: node restores a terminal's mode when it exits.
		const pipeline = `(node ${producer} ${log} 428 ${release}; touch ${done}) </dev/null 2>/dev/null | node ${cliPath} replay -`;
		const script = `sh -c '${pipeline}'; echo "EXIT=$?"; stty -a | grep -o -- '-\\?icanon' | head -1; sleep 30`;
		// Ink draws only the last frame when CI is set at all: a terminal user has no CI variable.
		const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(?:CI|CONTINUOUS_INTEGRATION|GITHUB_ACTIONS|BUILD_NUMBER|RUN_ID)$/.test(k)));
		tmux('kill-server');
		execaSync('tmux', ['-L', socket, 'new-session', '-d', '-x', '120', '-y', '32', '-c', packageRoot(), '-s', 't', script], {env: {...env, TERM: 'xterm-256color'}, extendEnv: false});
		try {
			// The first cycle on screen, its end unknown, while the producer is still waiting to print the rest.
			await until(() => /cycle 1 of ≥1 · reading \(stdin\)…/.test(screen()), 'the first cycle while reading');
			await until(() => /Freezing user space processes/.test(screen()), 'the first cycle\'s lines');
			expect(existsSync(done)).toBe(false);
			expect(screen()).not.toMatch(/cycle \d of 2|ENDED/);
			// Played to the last line read, it waits there.
			tmux('send-keys', '-t', 't', 'G');
			await until(() => /FOLLOWING .*reading \(stdin\)…/.test(screen()), 'following the end so far');
			await until(() => /PM: hibernation: hibernation exit/.test(screen()), 'the last line read');
			expect(existsSync(done)).toBe(false);

			writeFileSync(release, '');
			await until(() => existsSync(done), 'the producer to finish');
			await until(() => /cycle \d of 2 · \(stdin\)/.test(screen()) && !/reading/.test(screen()), 'the end of input');
			tmux('send-keys', '-t', 't', 'G');
			await until(() => /ENDED .*cycle 2 of 2/.test(screen()) && /ENDED: DONE — hibernate completed/.test(screen()), 'the end');
			tmux('send-keys', '-t', 't', 'q');
			await until(() => /EXIT=0\n-?icanon/.test(screen()), 'exit and the terminal mode');
			expect(screen()).toMatch(/EXIT=0\n(?!-)icanon/);
			expect(tmux('display', '-p', '-t', 't', '#{alternate_on} #{cursor_flag}').trim()).toBe('0 1');
		} finally {
			writeFileSync(release, '');
			tmux('kill-server');
		}
	}, 60_000);

	it('q while the producer is still running quits at once, the terminal restored', async () => {
		ensureBuilt();
		const dir = mkdtempSync(path.join(os.tmpdir(), 'quiesce-readahead-'));
		const release = path.join(dir, 'release');
		const log = fixturesDir('traces', 'qemu-6.1', 'dmesg-6.1-boot-hibernate-pm_test-freezer-devices.log');
		const producer = path.join(packageRoot(), 'test', 'helpers', 'slow-producer.mjs');
		// The monitor's own status goes to a file (the shell waits for the whole pipeline; the producer is never released).
		const status = path.join(dir, 'status');
		const script = `sh -c 'node ${producer} ${log} 428 ${release} </dev/null 2>/dev/null | (node ${cliPath} replay -; echo "EXIT=$?" > ${status})'; sleep 30`;
		const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(?:CI|CONTINUOUS_INTEGRATION|GITHUB_ACTIONS|BUILD_NUMBER|RUN_ID)$/.test(k)));
		tmux('kill-server');
		execaSync('tmux', ['-L', socket, 'new-session', '-d', '-x', '120', '-y', '32', '-c', packageRoot(), '-s', 't', script], {env: {...env, TERM: 'xterm-256color'}, extendEnv: false});
		try {
			await until(() => /reading \(stdin\)…/.test(screen()) && /Kernel log/.test(screen()), 'the monitor while reading');
			tmux('send-keys', '-t', 't', 'q');
			await until(() => existsSync(status) && readFileSync(status, 'utf8') === 'EXIT=0\n', 'the monitor to quit');
			expect(tmux('display', '-p', '-t', 't', '#{alternate_on} #{cursor_flag}').trim()).toBe('0 1');
		} finally {
			writeFileSync(release, '');
			tmux('kill-server');
		}
	}, 60_000);
});
