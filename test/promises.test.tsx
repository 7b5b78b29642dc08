/**
 * README promises about the terminal UI, each with a test that fails if it
 * breaks: "It fits 80×24" (every screen: the monitor at every phase of every
 * scenario, its help overlay, the rehearsal screen from briefing to report)
 * and "uses no CPU while paused" (timer wake-ups counted with fake timers and
 * an injected clock).
 */
import {stripVTControlCharacters} from 'node:util';
import {render} from 'ink-testing-library';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {Player} from '../source/player/player.js';
import {loadDrill} from '../source/rehearsal/drill.js';
import {DrillSession} from '../source/rehearsal/session.js';
import {builtinScenarioNames} from '../source/sim/scenario.js';
import {App} from '../source/ui/app.js';
import {RehearsalApp} from '../source/ui/rehearsal-app.js';
import {waitForFrame} from './helpers/ink.js';
import {simulate} from './helpers/sim.js';

type Rendered = ReturnType<typeof render>;

/** ink-testing-library's stdout has 100 columns and no rows: make it a terminal of this size. */
function sizeTo(app: Rendered, columns: number, rows: number): void {
	Object.defineProperty(app.stdout, 'columns', {value: columns, configurable: true});
	Object.defineProperty(app.stdout, 'rows', {value: rows, configurable: true});
	app.stdout.emit('resize');
}

/** Lines wider than 80 columns or a frame taller than 23 rows (the 24th is where the cursor waits). */
function overflow(frame: string): string[] {
	const lines = stripVTControlCharacters(frame).split('\n');
	const wide = lines.map((l, i) => [i + 1, [...l].length, l] as const).filter(([, n]) => n > 80).map(([i, n, l]) => `line ${i} is ${n} wide: ${l}`);
	return lines.length > 23 ? [...wide, `${lines.length} rows`] : wide;
}

/**
 * The settled frame written since `mark` that satisfies the predicate: Ink
 * redraws the old tree at the new width first, then React renders for it.
 */
async function frameSince(app: Rendered, mark: number, predicate: (frame: string) => boolean): Promise<string> {
	await waitForFrame(app, () => app.frames.slice(mark).some(predicate));
	for (let seen = -1; seen !== app.frames.length;) {
		seen = app.frames.length;
		await new Promise(resolve => setTimeout(resolve, 30));
	}

	return app.frames.slice(mark).findLast(predicate)!;
}

describe('fits 80×24: every screen', () => {
	for (const scenario of builtinScenarioNames()) {
		it(`the monitor through ${scenario}: start, every phase change, end, and the help overlay`, async () => {
			const player = new Player(simulate(scenario).timeline);
			const app = render(<App player={player} source={`sim ${scenario} (seed 1)`} autoplay={false} />);
			await waitForFrame(app, f => /Kernel log/.test(f));
			const times = [...new Set([player.startUs, ...player.phaseMarks.map(i => player.timeline[i]!.t), player.endUs])];
			for (const t of times) {
				player.seek(t);
				const mark = app.frames.length;
				sizeTo(app, 80, 24); // a resize redraws: every frame from here on is drawn for 80×24
				// The status bar shows the position as printk does ("[%5lu.%06lu]") when it is wide, and
				// without the brackets and padding ("%lu.%06lu") when it is narrow, as at 80 columns:
				// wait for this position's frame in either form.
				const stamp = new RegExp(String.raw`(?<![\d.])${Math.floor(t / 1e6)}\.${String(t % 1e6).padStart(6, '0')}(?![\d.])`);
				const frame = await frameSince(app, mark, f => stamp.test(f) && /Kernel log/.test(f));
				expect(overflow(frame), `${scenario} at ${t} µs:\n${frame}`).toEqual([]);
			}

			await new Promise(resolve => setTimeout(resolve, 20));
			const beforeHelp = app.frames.length;
			app.stdin.write('?');
			const help = await frameSince(app, beforeHelp, f => /pause \/ resume/.test(f));
			expect(overflow(help), help).toEqual([]);
			app.unmount();
		});
	}

	// Each answer is shown from its command (a pager: the rest a PgDn away), so "> command" is on screen after each.
	for (const drill of ['clean-activation', 'overflow-batches', 'rdma-traffic']) {
		it(`the rehearsal screen of ${drill}: briefing, help, every answer, the report`, async () => {
			const session = new DrillSession(loadDrill(drill), 1);
			const app = render(<RehearsalApp session={session} />);
			const mark = app.frames.length;
			sizeTo(app, 80, 24);
			app.rerender(<RehearsalApp session={session} />);
			let frame = await frameSince(app, mark, f => /type help for the commands/.test(f));
			expect(overflow(frame), frame).toEqual([]);
			await new Promise(resolve => setTimeout(resolve, 20));
			for (const [i, command] of ['help', ...loadDrill(drill).solution!].entries()) {
				app.stdin.write(`${command}\r`);
				frame = await waitForFrame(app, () => session.records.length > i);
				frame = await waitForFrame(app, f => f.includes(`> ${command}`) || /Score: \d+\/100/.test(f));
				expect(overflow(frame), `after "${command}":\n${frame}`).toEqual([]);
			}

			frame = await waitForFrame(app, f => /Score: \d+\/100/.test(f));
			expect(overflow(frame), frame).toEqual([]);
			app.unmount();
		});
	}

	it('the check itself: a 81-column line and a 24-row frame are caught', () => {
		expect(overflow('x'.repeat(81))).toHaveLength(1);
		expect(overflow(`\u001B[31m${'x'.repeat(80)}\u001B[39m`)).toEqual([]);
		expect(overflow(Array.from({length: 24}, () => 'x').join('\n'))).toEqual(['24 rows']);
	});
});

describe('no CPU while paused', () => {
	afterEach(() => {
		vi.useRealTimers();
	});

	it('paused: no timer is armed and the clock is never read, however long it waits; playing: it is', async () => {
		vi.useFakeTimers({toFake: ['setInterval', 'clearInterval']});
		let readings = 0;
		let wall = 0;
		const now = () => {
			readings++;
			return wall;
		};

		const player = new Player(simulate('default').timeline);
		const app = render(<App player={player} source="sim default (seed 1)" autoplay={false} now={now} tickMs={33} />);
		await waitForFrame(app, f => /PAUSED/.test(f));
		const frames = app.frames.length;
		expect(vi.getTimerCount()).toBe(0);
		wall += 60_000;
		vi.advanceTimersByTime(60_000);
		expect(readings).toBe(0);
		expect(app.frames.length).toBe(frames);

		// Playing wakes up every tick and reads the clock: the counter can see wake-ups.
		await new Promise(resolve => setTimeout(resolve, 20));
		app.stdin.write(' ');
		await waitForFrame(app, () => vi.getTimerCount() === 1);
		const before = readings;
		for (let i = 0; i < 30; i++) {
			wall += 33;
			vi.advanceTimersByTime(33);
		}

		expect(readings - before).toBeGreaterThanOrEqual(30);

		// Paused again: the timer is gone and nothing reads the clock any more.
		app.stdin.write(' ');
		await waitForFrame(app, f => /PAUSED/.test(f) && vi.getTimerCount() === 0);
		const paused = readings;
		wall += 60_000;
		vi.advanceTimersByTime(60_000);
		expect(readings).toBe(paused);
		app.unmount();
	});
});
