/**
 * The end of a run is an outcome panel (issue 19): what happened in one or
 * two lines, from the evidence-only state and the verdicts of selectors.ts —
 * never "OK" for a failed run — with g to watch again and q to quit; it stays
 * until a key is pressed. And `s`: the readable pace or strict real time.
 */
import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {outcomePanel} from '../source/monitor/outcome-panel.js';
import {outcome} from '../source/monitor/selectors.js';
import {Player} from '../source/player/player.js';
import {App} from '../source/ui/app.js';
import {press, waitForFrame} from './helpers/ink.js';
import {simulate} from './helpers/sim.js';

// eslint-disable-next-line no-control-regex
const plain = (frame: string) => frame.replace(/\u001B\[[\d;]*m/g, '');
const status = (f: string) => plain(f).split('\n')[0] ?? '';

function resize(app: ReturnType<typeof render>, columns: number, rows: number): void {
	Object.defineProperty(app.stdout, 'columns', {value: columns, configurable: true});
	Object.defineProperty(app.stdout, 'rows', {value: rows, configurable: true});
	app.stdout.emit('resize');
}

/** The panel's rows: from the "ENDED:" row to the keys row. */
function panel(frame: string): string {
	const lines = plain(frame).split('\n');
	const first = lines.findIndex(l => /ENDED: /.test(l));
	const keys = lines.findIndex(l => /g watch again · q quit/.test(l));
	return first === -1 || keys === -1 ? '' : lines.slice(first, keys + 1).map(l => l.replace(/^│ /, '').replace(/\s*│$/, '').trimEnd()).join('\n');
}

async function ended(scenario: string, columns = 120, rows = 40, onQuit?: (code: number) => void) {
	const player = new Player(simulate(scenario).timeline);
	player.seek(player.endUs);
	const app = render(<App player={player} source={`sim ${scenario} (seed 1)`} autoplay={false} onQuit={onQuit} />);
	resize(app, columns, rows);
	// Bordered panes (≥ 100 columns) span the whole width once the new size is drawn.
	const frame = await waitForFrame(app, f => panel(f) !== '' && plain(f).split('\n').every(l => l.length <= columns) && (columns < 100 || plain(f).split('\n').some(l => l.length === columns)));
	return {app, player, frame};
}

describe('the outcome panel', () => {
	it('default: OK with what made it OK — 8 DIMMs success, user space frozen, the quiesce against its budget, no damage', async () => {
		const {app, frame} = await ended('default');
		const text = panel(frame).replaceAll('\n', ' ');
		expect(text).toMatch(/ENDED: OK — activation completed: write returned 0, 8 DIMM\(s\) report success/);
		expect(text).toMatch(/DIMM results: 8 success/);
		expect(text).toMatch(/user space frozen \d+\.\d ms/);
		expect(text).toMatch(/memory quiesce 399 µs of 600 µs budget \(sim\)/);
		expect(text).toMatch(/no collateral damage seen/);
		expect(text).toMatch(/g watch again · q quit/);
		app.unmount();
	});

	it.each([
		['task-wont-freeze', /ENDED: NEVER REACHED — memory quiesce never reached: write returned -16/, /memory quiesce never reached/],
		['overflow', /ENDED: OVERFLOW — overflow: write returned 0 but nothing was activated/, /DIMM results: 12 none/],
		['platform-abort', /ENDED: REFUSED — refused: write returned 0 but nothing was activated/, /DIMM results: 8 none/],
		['rdma-dma-during-quiesce', /ENDED: COMPLETED WITH DAMAGE — activation ran, with collateral damage/, /collateral damage: mlx5_core 0000:3b:00\.\d: PCIe completion timeout/],
		['dimm-fail', /ENDED: COMPLETED WITH DAMAGE/, /DIMM results: (?:7 success, 1 fail|1 fail, 7 success)/],
	])('%s: says what failed, and no OK wording anywhere in it', async (scenario, verdict, fact) => {
		const {app, frame} = await ended(scenario);
		const text = panel(frame);
		expect(text).toMatch(verdict);
		expect(text.replaceAll('\n', ' ')).toMatch(fact);
		expect(text).not.toMatch(/\bOK\b|\bok\b|success(?:ful)?ly/);
		app.unmount();
	});

	it('never contradicts the verdict: the word is outcome()\'s, for every built-in failing scenario state', () => {
		for (const scenario of ['task-wont-freeze', 'overflow', 'platform-abort', 'device-freeze-error', 'need-reset', 'not-staged', 'kthread-wont-freeze']) {
			const player = new Player(simulate(scenario).timeline);
			player.seek(player.endUs);
			const view = outcomePanel(player.stateNow(), player.evidenceNow(), player.position);
			expect(view.word).toBe(outcome(player.stateNow(), player.evidenceNow()).word);
			expect(view.word).not.toBe('OK');
			expect(`${view.verdict} ${view.facts.join(' ')}`).not.toMatch(/\bOK\b/);
		}
	});

	it('fits 80×24 and 100×30 (the log gives up the rows), every line within the width', async () => {
		for (const [columns, rows] of [[80, 24], [100, 30]] as const) {
			const {app, frame} = await ended('task-wont-freeze', columns, rows);
			const lines = plain(frame).split('\n');
			expect(lines.length).toBeLessThan(rows);
			expect(panel(frame)).toMatch(/NEVER REACHED/);
			expect(frame).toMatch(/Kernel log/);
			app.unmount();
		}
	});

	it('stays until the user acts; g watches again from the start, q quits', async () => {
		let code: number | undefined;
		const {app, player} = await ended('default', 120, 40, c => (code = c));
		await new Promise(resolve => setTimeout(resolve, 300));
		expect(panel(app.lastFrame()!)).toMatch(/ENDED: OK/);
		expect(code).toBeUndefined();
		await press(app, 'g', f => /PLAYING/.test(status(f)) && panel(f) === '');
		expect(player.position).toBeLessThan(player.endUs);
		await press(app, 'G', f => panel(f) !== '');
		await press(app, 'q', () => code === 0);
		app.unmount();
	});
});

describe('s: readable pace or strict real time', () => {
	it('the status bar says how time is played; s switches to strict real time, where 100 ms of wall clock is 100 ms of kernel time', async () => {
		const timeline = simulate('default').timeline;
		const player = new Player(timeline);
		const write = timeline.find(e => e.kind === 'action' && e.result === null)!;
		player.seek(write.t);
		let wall = 0;
		const app = render(<App player={player} source="sim default (seed 1)" now={() => wall} tickMs={5} />);
		resize(app, 120, 40);
		await waitForFrame(app, f => /PLAYING/.test(status(f)) && / 1× · ×[\d.e-]+ slow/.test(status(f)));
		// Paced: the freeze is stretched; 100 ms of wall clock moves the kernel clock far less.
		let from = player.position;
		wall += 100;
		await waitForFrame(app, () => player.position > from);
		expect(player.position - from).toBeLessThan(20_000);
		await press(app, 's', f => / · strict real time/.test(status(f)));
		from = player.position;
		wall += 100;
		await waitForFrame(app, () => player.position > from);
		expect(player.position - from).toBeCloseTo(100_000, -1);
		await press(app, 's', f => !/strict real time/.test(status(f)) && / · (?:×[\d.e-]+ slow|real time|gap skipped)/.test(status(f)));
		app.unmount();
	});
});
