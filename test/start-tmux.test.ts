/**
 * `npm start` as a new user sees it (issue 19): the default simulation in a
 * real 120×40 terminal, sampled every 100 ms. The story starts with the
 * operator (the capability read, the arms, the bus armed) before the freeze;
 * every phase is seen running in at least five samples; the run ends on the
 * outcome panel, which stays until q.
 */
import os from 'node:os';
import {execa, execaSync} from 'execa';
import {describe, expect, it} from 'vitest';
import {packageRoot} from '../source/paths.js';
import {cliPath, ensureBuilt} from './helpers/cli.js';
import {requireTmux} from './helpers/tmux.js';

requireTmux();

const socket = `quiesce-start-${process.pid}`;
const tmux = (...args: string[]) => String(execaSync('tmux', ['-L', socket, ...args], {reject: false}).stdout);
const capture = async () => String((await execa('tmux', ['-L', socket, 'capture-pane', '-p', '-t', 't'], {reject: false})).stdout);
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

const phases = ['Freeze user space', 'Freeze kernel threads', 'Freeze devices', 'Late/noirq freeze', 'Memory quiesce + activation', 'Thaw devices', 'Thaw tasks'];

describe('npm start in a real terminal', () => {
	it('tells the story at a pace a person can follow: the operator first, every phase seen running, the outcome at the end', async () => {
		ensureBuilt();
		// What `npm start` runs (package.json "start", after its build).
		const script = `node ${cliPath} sim; echo "EXIT=$?"; sleep 30`;
		const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(?:CI|CONTINUOUS_INTEGRATION|GITHUB_ACTIONS|BUILD_NUMBER|RUN_ID)$/.test(k)));
		execaSync('tmux', ['-L', socket, 'new-session', '-d', '-x', '120', '-y', '40', '-c', packageRoot(), '-s', 't', script], {env: {...env, TERM: 'xterm-256color', TMPDIR: os.tmpdir()}, extendEnv: false});
		try {
			const samples: string[] = [];
			const started = Date.now();
			const deadline = Date.now() + 90_000;
			let next = Date.now();
			for (;;) {
				const screen = await capture();
				samples.push(screen);
				if (/ENDED: /.test(screen) || Date.now() > deadline) break;
				next += 100;
				await sleep(Math.max(0, next - Date.now()));
			}

			const running = (label: string) => samples.filter(s => new RegExp(`▶ ${label.replace(/[+/]/g, '\\$&')}\\s+RUNNING`).test(s)).length;
			const counts = Object.fromEntries(phases.map(label => [label, running(label)]));
			const interval = (Date.now() - started) / samples.length;
			console.log(`mean sample interval ${interval.toFixed(0)} ms`);
			expect(samples.at(-1), 'the run ends').toMatch(/ENDED: OK — activation completed/);
			// Five samples at 100 ms; when a loaded machine keeps the sampler itself slower (tmux is a
			// process per capture), as many samples as cover the same half second at the rate achieved.
			const needed = interval <= 110 ? 5 : Math.max(2, Math.ceil(500 / interval));
			for (const label of phases) expect(counts[label], `${label}: ${JSON.stringify(counts)}, a sample every ${interval.toFixed(0)} ms`).toBeGreaterThanOrEqual(needed);

			// The first frames: the operator's part, before any phase runs.
			const firstFrame = samples.findIndex(s => /Kernel log/.test(s));
			const firstRunning = samples.findIndex(s => /▶ \S.*RUNNING/.test(s));
			expect(firstFrame).toBeGreaterThanOrEqual(0);
			const prologue = samples.slice(firstFrame, firstRunning).join('\n');
			expect(prologue).toMatch(/read bus\/nd\/devices\/ndbus0\/firmware\/capability = quiesce/);
			expect(prologue).toMatch(/write "arm" > bus\/nd\/devices\/nmem7\/firmware\/activate → returned 0/);
			expect(prologue).toMatch(/read bus\/nd\/devices\/ndbus0\/firmware\/activate = armed/);
			expect(prologue).toMatch(/write "quiesce" > bus\/nd\/devices\/ndbus0\/firmware\/activate … blocked/);
			expect((firstRunning - firstFrame) * interval, 'ms of the prologue').toBeGreaterThanOrEqual(5000);
			// How time is played is always on the status bar while it plays.
			expect(samples.slice(firstFrame, -1).every(s => /PLAYING .* 1× · (?:real time|×[\d.e-]+ slow|gap skipped)/.test(s.split('\n')[0]!))).toBe(true);

			// The panel stays until the user acts.
			await sleep(1500);
			expect(await capture()).toMatch(/ENDED: OK[\s\S]*g watch again · q quit/);
			tmux('send-keys', '-t', 't', 'q');
			const quitBy = Date.now() + 10_000;
			while (!/EXIT=0/.test(await capture()) && Date.now() < quitBy) await sleep(100);
			expect(await capture()).toMatch(/EXIT=0/);
			console.log(`npm start: ${samples.length} samples (${(samples.length / 10).toFixed(1)} s); prologue ${((firstRunning - firstFrame) / 10).toFixed(1)} s; phases running (samples): ${JSON.stringify(counts)}`);
		} finally {
			tmux('kill-server');
		}
	}, 120_000);
});
