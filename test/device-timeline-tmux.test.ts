/**
 * The device-timeline view in a real terminal (tmux, 80×24): replay the real
 * 6.1 log, go to the end, press t, read the rows, press o, quit, and check
 * the terminal came back.
 */
import os from 'node:os';
import path from 'node:path';
import {execaSync} from 'execa';
import {describe, expect, it} from 'vitest';
import {packageRoot} from '../source/paths.js';
import {cliPath, ensureBuilt} from './helpers/cli.js';
import {requireTmux, tmuxServer} from './helpers/tmux.js';


requireTmux();

const {socket, tmux, sleep, screen, until} = tmuxServer('quiesce-timeline');

describe('device timeline in a real terminal', () => {
	it('t on the real 6.1 replay at 80×24: the restore callbacks, async ones marked; o sorts; q restores the terminal', async () => {
		ensureBuilt();
		const log = path.join('fixtures', 'traces', 'qemu-6.1', 'dmesg-6.1-boot-hibernate-pm_test-freezer-devices.log');
		const script = `node ${cliPath} replay ${log}; echo "EXIT=$?"; stty -a | grep -o -- '-\\?icanon' | head -1; sleep 30`;
		const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(?:CI|CONTINUOUS_INTEGRATION|GITHUB_ACTIONS|BUILD_NUMBER|RUN_ID)$/.test(k)));
		execaSync('tmux', ['-L', socket, 'new-session', '-d', '-x', '80', '-y', '24', '-c', packageRoot(), '-s', 't', script], {env: {...env, TERM: 'xterm-256color', TMPDIR: os.tmpdir()}, extendEnv: false});
		try {
			await until(() => /Kernel log|Freeze progress/.test(screen()), 'the first frame');
			tmux('send-keys', '-t', 't', 'G');
			await until(() => /ENDED|PAUSED/.test(screen()), 'the end');
			tmux('send-keys', '-t', 't', 't');
			await until(() => /Device timeline — cycle 2\/2/.test(screen()), 'the device timeline');
			const shown = screen();
			expect(shown.split('\n').every(l => [...l].length <= 80)).toBe(true);
			expect(shown).toMatch(/freeze \[restore\]/);
			expect(shown).toMatch(/∥ pci 0000:00:00\.0 +.*▓.* 240 µs/);
			tmux('send-keys', '-t', 't', 'o');
			await until(() => /slowest first/.test(screen()), 'sorted');
			expect(screen().split('\n').find(l => /µs\s*$/.test(l))).toMatch(/pci 0000:00:00\.0.*240 µs/);
			tmux('send-keys', '-t', 't', 'q');
			await until(() => /EXIT=0\n-?icanon/.test(screen()), 'exit and the terminal mode');
			expect(screen()).toMatch(/EXIT=0\n(?!-)icanon/);
		} finally {
			tmux('kill-server');
		}
	}, 40_000);
});
