import {render} from 'ink-testing-library';
import {beforeAll, describe, expect, it, vi} from 'vitest';
import type {TimelineEvent} from '../source/events.js';
import {formatEventText} from '../source/headless/format.js';
import {Player} from '../source/player/player.js';
import {App} from '../source/ui/app.js';
import {helpRows} from '../source/ui/keymap.js';
import {keys, press, waitForFrame} from './helpers/ink.js';
import {replay} from './helpers/replay.js';
import {notes, simulate} from './helpers/sim.js';

// Colour on, before chalk loads (the frames are compared with SGR codes stripped; highlights are checked with them).
vi.hoisted(() => {
	process.env['FORCE_COLOR'] = '1';
});

// eslint-disable-next-line no-control-regex
const plain = (frame: string) => frame.replace(/\u001B\[[\d;]*m/g, '');
const status = (f: string) => plain(f).split('\n')[0] ?? '';

function playerOf(scenario: string): Player {
	return new Player(simulate(scenario).timeline);
}

/** ink-testing-library's stdout has a fixed 100 columns and no rows: give it a size, as a terminal resize would. */
function resize(app: ReturnType<typeof render>, columns: number, rows: number): void {
	Object.defineProperty(app.stdout, 'columns', {value: columns, configurable: true});
	Object.defineProperty(app.stdout, 'rows', {value: rows, configurable: true});
	app.stdout.emit('resize');
}

async function screen(player: Player, columns = 120, rows = 40, extra: Partial<Parameters<typeof App>[0]> = {}) {
	const app = render(<App player={player} source="sim test (seed 1)" autoplay={false} {...extra} />);
	await waitForFrame(app, f => /Kernel log/.test(f));
	const before = app.frames.length;
	resize(app, columns, rows);
	await waitForFrame(app, () => app.frames.length > before);
	// Bordered panes (≥ 100 columns) span the whole width once the new size is drawn.
	if (columns >= 100) await waitForFrame(app, f => plain(f).split('\n').some(line => line.length === columns));
	else await new Promise(resolve => setTimeout(resolve, 50));
	const frame = await waitForFrame(app, f => plain(f).split('\n').every(line => line.length <= columns) && /Kernel log/.test(f));
	return {app, frame: plain(frame)};
}

async function endScreen(scenario: string, columns = 200, rows = 60) {
	const player = playerOf(scenario);
	player.seek(player.endUs);
	const {app, frame} = await screen(player, columns, rows);
	app.unmount();
	return frame;
}

describe('truth on screen: never [OK] unless the evidence says so', () => {
	it('default: the one success — OK, with the activation phase as the one labelled number', async () => {
		const frame = await endScreen('default');
		expect(frame).toMatch(/Memory quiesce — OK/);
		expect(frame).toMatch(/✓ Memory quiesce \+ activation DONE\s+\d+(?:\.\d)? m?s|✓ Memory quiesce \+ activation DONE\s+\d+ µs/);
		expect(frame).toMatch(/[█▀ ]{11} (?:µs|ms)/); // the same number in the big digits (selectors.test checks they agree)
		expect(frame).toMatch(/activation phase/);
		expect(frame).toMatch(/simulated platform stall: 399 µs/); // the other number says what it is
		expect(frame).toMatch(/8 DIMM\(s\) report success/);
	});

	it('overflow: OVERFLOW in the title, the phase list and the end line; nothing activated', async () => {
		const frame = await endScreen('overflow');
		expect(frame).not.toMatch(/\bOK\b/);
		expect(frame).toMatch(/Memory quiesce — OVERFLOW/);
		expect(frame).toMatch(/✗ Memory quiesce \+ activation OVERFLOW/);
		expect(frame).toMatch(/write returned 0 but nothing was activated/);
		expect(frame).toMatch(/ENDED: OVERFLOW/);
	});

	it('platform-abort: REFUSED (write returned 0, the bus still reads armed)', async () => {
		const frame = await endScreen('platform-abort');
		expect(frame).not.toMatch(/\bOK\b/);
		expect(frame).toMatch(/Memory quiesce — REFUSED/);
		expect(frame).toMatch(/bus still reads armed/);
	});

	it('task-wont-freeze: NEVER REACHED, the activation row says it did not run', async () => {
		const frame = await endScreen('task-wont-freeze');
		expect(frame).not.toMatch(/\bOK\b/);
		expect(frame).toMatch(/Memory quiesce — NEVER REACHED/);
		expect(frame).toMatch(/- Memory quiesce \+ activation NOT RUN/);
		expect(frame).toMatch(/✗ Freeze user space\s+FAILED\s+20\.\d+ s/);
		expect(frame).toMatch(/write returned -16 \(EBUSY\)/);
	});

	it.each([
		['device-freeze-error', /NEVER REACHED/],
		['device-prepare-error', /NEVER REACHED/],
	])('%s: the freeze failed, so the quiesce was never reached', async (scenario, word) => {
		const frame = await endScreen(scenario);
		expect(frame).not.toMatch(/\bOK\b/);
		expect(frame).toMatch(word);
	});

	it('rdma-dma-during-quiesce: completed WITH DAMAGE — the PCIe completion timeouts, failed devices listed first', async () => {
		const frame = await endScreen('rdma-dma-during-quiesce');
		expect(frame).not.toMatch(/\bOK\b/);
		expect(frame).toMatch(/Memory quiesce — COMPLETED WITH DAMAGE/);
		expect(frame).toMatch(/! Memory quiesce \+ activation DAMAGE/);
		expect(frame).toMatch(/PCIe completion timeout/);
		const devices = frame.split('\n').slice(frame.split('\n').findIndex(l => /NAME\s+STATE/.test(l)) + 1);
		expect(devices[0]).toMatch(/mlx5_core 0000:3b:00\.\d .*ERR PCIe completion timeout/);
	});

	it.each([
		['dimm-fail', /nmem6: result fail/],
		['need-reset', /nmem2: result need_reset/],
		['not-staged', /nmem5: result not_staged/],
	])('%s: a bad DIMM result is damage, not OK', async (scenario, why) => {
		const frame = await endScreen(scenario, 200, 60);
		expect(frame).not.toMatch(/\bOK\b/);
		expect(frame).toMatch(/COMPLETED WITH DAMAGE/);
		expect(frame).toMatch(why);
	});
});

describe('frozen time counts up while the freeze runs', () => {
	it('task-wont-freeze: the 20 s freezer timeout, second by second', async () => {
		const player = playerOf('task-wont-freeze');
		const write = player.timeline.find(e => e.kind === 'action' && e.result === null)!;
		for (const seconds of [1, 5, 15]) {
			player.seek(write.t + seconds * 1_000_000);
			const {app, frame} = await screen(player);
			expect(frame).toMatch(new RegExp(`Write blocked, freezing: ${seconds}\\.000 s ▲`));
			// No kernel line yet (the freezer prints its line when it ends, pr_cont): the blocked write is the
			// only evidence, so the phase is not claimed running — the clock above is what counts.
			expect(frame).toMatch(/· Freeze user space\s+PENDING/);
			app.unmount();
		}
	});

	it('counts live while playing (20×)', async () => {
		const player = playerOf('task-wont-freeze');
		const write = player.timeline.find(e => e.kind === 'action' && e.result === null)!;
		player.seek(write.t);
		player.clock.speed = 20;
		player.clock.paced = false; // strict real time: the 20 s count is what is watched here
		const app = render(<App player={player} source="s" tickMs={5} />);
		const seen = (f: string) => Number(/freezing: ([\d.]+) s/.exec(plain(f))?.[1] ?? 'NaN');
		await waitForFrame(app, f => seen(f) > 1 && seen(f) < 10, 8000);
		await waitForFrame(app, f => seen(f) > 10 && seen(f) < 20, 8000);
		app.unmount();
	});

	it('default: user space frozen counts, then stops at the thaw', async () => {
		const player = playerOf('default');
		const [begin] = notes(player.timeline, 'quiesce');
		player.seek(begin!.t);
		const {app, frame} = await screen(player);
		expect(frame).toMatch(/User space frozen: \d+\.\d ms ▲/);
		app.unmount();
		player.seek(player.endUs);
		const end = await screen(player);
		expect(end.frame).toMatch(/User space frozen: \d+\.\d ms(?! ▲)/);
		end.app.unmount();
	});
});

describe('log text never reaches the terminal raw', () => {
	const nasty = 'evil\r\u000C\u000B\u007F\u009B2J \u001B]0;pwned\u0007 \u001B]52;c;Zm9v\u0007 \u001B[2J\u001B[H done';
	const timeline: TimelineEvent[] = [
		{kind: 'log', t: 1_000_000, text: 'PM: suspend entry (deep)'},
		{kind: 'log', t: 1_000_100, text: nasty},
		{kind: 'log', t: 1_000_200, text: 'PM: suspend exit'},
	];

	it('the TUI shows every control character escaped', async () => {
		const player = new Player(timeline);
		player.seek(player.endUs);
		const {app} = await screen(player, 120, 40);
		const raw = app.lastFrame()!;
		// eslint-disable-next-line no-control-regex
		const withoutSgr = raw.replace(/\u001B\[[\d;]*m/g, '');
		// eslint-disable-next-line no-control-regex
		expect(withoutSgr).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/);
		expect(withoutSgr).toContain('evil\\x0d\\x0c\\x0b\\x7f\\x9b2J \\x1b]0;pwned\\x07 \\x1b]52;c;Zm9v\\x07 \\x1b[2J\\x1b[H done');
		expect(status(raw)).toMatch(/^(?:quiesce )?ENDED/);
		app.unmount();
	});

	it('headless output escapes them as dmesg does', () => {
		const line = formatEventText(timeline[1]!);
		// eslint-disable-next-line no-control-regex
		expect(line).not.toMatch(/[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/);
		expect(line).toBe('[    1.000100] evil\\x0d\\x0c\\x0b\\x7f\\x9b2J \\x1b]0;pwned\\x07 \\x1b]52;c;Zm9v\\x07 \\x1b[2J\\x1b[H done');
	});
});

describe('fits every terminal', () => {
	it.each([
		[80, 24],
		[120, 40],
		[200, 60],
	])('%i×%i: nothing essential cut, key hints shown, no line too wide, fewer rows than the terminal', async (columns, rows) => {
		const player = playerOf('task-wont-freeze');
		player.seek(player.endUs);
		const {app, frame} = await screen(player, columns, rows);
		const lines = frame.split('\n');
		expect(lines.length).toBeLessThan(rows);
		expect(Math.max(...lines.map(l => l.length))).toBeLessThanOrEqual(columns);
		for (const label of ['Freeze user space', 'Freeze kernel threads', 'Prepare devices', 'Freeze devices', 'Late/noirq freeze', 'Platform prepare (S4)', 'Memory quiesce + activation', 'Thaw devices', 'Thaw tasks']) {
			expect(frame).toContain(label);
		}

		expect(frame).toMatch(/411\/412/); // the count of the failed phase
		expect(status(frame)).toMatch(/ENDED .*73\d\d\.\d{6}.* 1× · cycle 1 of 1 · kernel 5\.10 · sim test/);
		expect(frame).toMatch(/CRIT /); // the warning line
		expect(frame).toMatch(/\? help/);
		expect(frame).toMatch(/q quit/);
		const log = lines.findIndex(l => /Kernel log/.test(l));
		if (columns > 80) expect(lines.length - log).toBeGreaterThan(rows / 3); // the log gets the room
		app.unmount();
	});

	it.each([
		[79, 24],
		[80, 23],
		[60, 15],
	])('%i×%i: says the terminal is too small instead of a broken layout', async (columns, rows) => {
		const player = playerOf('default');
		const app = render(<App player={player} source="s" autoplay={false} />);
		resize(app, columns, rows);
		const frame = await waitForFrame(app, f => /Terminal too small/.test(f));
		expect(frame).toContain(`${columns}×${rows}, quiesce needs at least 80×24`);
		expect(frame).not.toMatch(/Kernel log/);
		resize(app, 80, 24);
		await waitForFrame(app, f => /Kernel log/.test(f));
		app.unmount();
	});

	it('renders nothing while paused', async () => {
		const player = playerOf('default');
		const app = render(<App player={player} source="s" autoplay={false} />);
		await waitForFrame(app, f => /PAUSED/.test(f));
		const frames = app.frames.length;
		await new Promise(resolve => setTimeout(resolve, 300));
		expect(app.frames.length).toBe(frames);
		app.unmount();
	});
});

describe('keys', () => {
	it('space, speed, step (shows the event), phases, seek, slow motion, help, quit', async () => {
		let code: number | undefined;
		const player = playerOf('default');
		const app = render(<App player={player} source="sim default (seed 1)" autoplay={false} onQuit={c => (code = c)} />);
		await waitForFrame(app, f => /PAUSED/.test(status(f)));
		await press(app, ' ', f => /PLAYING/.test(status(f)));
		await press(app, ' ', f => /PAUSED/.test(status(f)));
		await press(app, '+', f => / 2× /.test(status(f)));
		await press(app, '-', f => / 1× /.test(status(f)));
		player.seek(player.startUs);
		await press(app, '.', f => /stepped to: # sysfs .*firmware\/activate|stepped to: /.test(plain(f)));
		await press(app, ']', f => /firmware activation \(quiesce\)/.test(f));
		await press(app, ']', f => /▶ Freeze user space/.test(plain(f)));
		await press(app, ']', f => /✓ Freeze user space/.test(plain(f)));
		await press(app, '[', f => /▶ Freeze user space/.test(plain(f)));
		const before = player.position;
		await press(app, keys.right, () => player.position > before + 1000);
		const after = player.position;
		await press(app, keys.left, () => player.position < after);
		await press(app, 'G', f => /ENDED/.test(status(f)) && /ENDED: OK — activation completed/.test(plain(f)) && /g watch again · q quit/.test(plain(f)));
		await press(app, 'g', f => /PLAYING/.test(status(f)));
		await press(app, ' ', f => /PAUSED/.test(status(f)));
		await press(app, 's', f => /strict real time/.test(status(f)));
		await press(app, 's', f => !/strict real time/.test(status(f)) && / 1× · (?:real time|×[\d.e-]+ slow|gap skipped)/.test(status(f)));
		await press(app, '?', f => /Keys — any key closes this help/.test(f) && /readable pace/.test(f));
		await press(app, 'x', f => /Kernel log/.test(f));
		await press(app, 'q', () => code === 0);
		app.unmount();
	});

	it('the step shows the event it stepped over, an operator write as what it is', async () => {
		const player = playerOf('default');
		const write = player.timeline.findIndex(e => e.kind === 'action' && e.result === null);
		player.seekToIndex(write - 1);
		const {app} = await screen(player);
		await press(app, '.', f => /stepped to: # write .*ndbus0\/firmware\/activate <- "quiesce/.test(plain(f)));
		expect(plain(app.lastFrame()!)).toMatch(/» script write "quiesce" > bus\/nd\/devices\/ndbus0\/firmware\/activate … blocked/);
		app.unmount();
	});

	it('Ctrl-C quits with 130 from anywhere: the help, the warnings, the search prompt', async () => {
		for (const opener of ['?', 'w', '/']) {
			let code: number | undefined;
			const player = playerOf('rdma-dma-during-quiesce');
			player.seek(player.endUs);
			const {app} = await screen(player, 120, 40, {onQuit: c => (code = c)});
			await press(app, opener, f => /Keys —|Warnings \(|▌/.test(f));
			await press(app, '\u0003', () => code === 130);
			app.unmount();
		}
	});

	it('devices: header, failed first, Home/End/PgUp/PgDn, what is hidden', async () => {
		const player = playerOf('big-box');
		player.seek(player.endUs);
		const {app, frame} = await screen(player, 120, 40);
		expect(frame).toMatch(/NAME\s+STATE\s+DETAIL/);
		const more = Number(/\((\d+) more below\)/.exec(frame)?.[1]);
		expect(more).toBeGreaterThan(300);
		await press(app, keys.pageDown, f => /\(\d+ above, \d+ more below\)/.test(plain(f)));
		await press(app, keys.end, f => /\(\d+ above, all shown\)/.test(plain(f)) && /mlx5|ixgbe|megaraid|nvme|xhci|i801|ahci/.test(plain(f)));
		await press(app, keys.pageUp, f => /\(\d+ above, \d+ more below\)/.test(plain(f)));
		await press(app, keys.home, f => /\(\d+ more below\)/.test(plain(f)) && !/above/.test(plain(f)) && /nmem0 /.test(plain(f)));
		await press(app, keys.down, f => /\(1 above,/.test(plain(f)));
		await press(app, keys.up, f => !/above/.test(plain(f)));
		app.unmount();
	});

	it('Tab moves the focus to the log: PgUp goes back, End follows the tail again', async () => {
		const player = playerOf('task-wont-freeze');
		player.seek(player.endUs);
		const {app} = await screen(player, 120, 40);
		await press(app, '\t', f => /▸ Kernel log/.test(plain(f)));
		await press(app, keys.pageUp, f => /back from the tail — End follows/.test(plain(f)));
		await press(app, keys.end, f => /following\)/.test(plain(f)));
		app.unmount();
	});

	it('w lists every warning', async () => {
		const player = playerOf('rdma-dma-during-quiesce');
		player.seek(player.endUs);
		const {app, frame} = await screen(player, 120, 40);
		expect(frame).toMatch(/\[\d+ warnings, w lists\]/);
		const listed = plain(await press(app, 'w', f => /Warnings \(1–\d+ of \d+\)/.test(plain(f))));
		// The kernel's warnings, and the simulator's own (state.simulated), each of those labelled.
		const state = player.stateNow();
		const count = state.warnings.length + (state.simulated?.warnings.length ?? 0);
		expect(listed.split('\n').filter(l => /(CRIT|WARN) \[/.test(l))).toHaveLength(count);
		expect(listed).toMatch(/sim CRIT \[[\d. ]+\] .*DMA reads in flight during the memory quiesce/);
		await press(app, 'x', f => /Phases/.test(f));
		app.unmount();
	});

	it('/ searches incrementally and highlights; n / N move between matches; Esc cancels', async () => {
		const player = playerOf('task-wont-freeze');
		const {app} = await screen(player, 120, 40);
		await press(app, '/', f => /\/▌/.test(plain(f)));
		for (const c of 'freez') app.stdin.write(c);
		const found = await waitForFrame(app, f => /\/freez▌/.test(plain(f)) && /match: Freezing user space processes/.test(plain(f)));
		expect(found).toContain('\u001B[7mFreez\u001B[27m'); // inverse video on the match, whatever its case
		await press(app, '\r', f => !/▌/.test(plain(f)) && /· \/freez/.test(plain(f)));
		await press(app, 'n', f => /match: Freezing of tasks failed/.test(plain(f)));
		await press(app, 'N', f => /match: Freezing user space processes/.test(plain(f)));
		await press(app, 'N', f => /no earlier match for "freez"/.test(plain(f)));
		await press(app, '/', f => /\/▌/.test(plain(f)));
		app.stdin.write('zzz-no-such-line');
		await waitForFrame(app, f => /no match for "zzz-no-such-line"/.test(plain(f)));
		await press(app, '\u001B', f => !/▌/.test(plain(f)));
		app.unmount();
	});

	it('e / E land on the next / previous error or failure', async () => {
		const player = playerOf('task-wont-freeze');
		const {app} = await screen(player, 120, 40);
		await press(app, 'e', f => /error: .*Freezing of tasks failed after 20\.\d+ seconds/.test(plain(f)));
		const first = player.position;
		await press(app, 'e', f => /error: /.test(plain(f)) && player.position >= first);
		await press(app, 'E', f => /no earlier error|error: /.test(plain(f)));
		app.unmount();
	});

	it('f filters the log by level and category', async () => {
		const player = playerOf('rdma-dma-during-quiesce');
		player.seek(player.endUs);
		const {app} = await screen(player, 120, 40);
		const errors = plain(await press(app, 'f', f => /filter: errors/.test(plain(f))));
		const logLines = errors.split('\n').filter(l => /^\│? ?\[ *\d+\.\d+\]/.test(l.replace(/^│ /, '')));
		expect(logLines.length).toBeGreaterThan(0);
		for (const line of logLines) expect(line).toMatch(/!!|CmpltTO|AER|error|warn/i);
		await press(app, 'f', f => /filter: freezer/.test(plain(f)) && /Freezing|Restarting|OOM/.test(plain(f)));
		for (const c of ['device PM', 'ACPI', 'nvdimm', 'other']) await press(app, 'f', f => plain(f).includes(`filter: ${c}`));
		await press(app, 'f', f => !/filter:/.test(plain(f)));
		app.unmount();
	});

	it('during the operator\'s prologue, before the write opens the cycle, the status bar says "before cycle 1 of 1", never "cycle 0"', async () => {
		const player = playerOf('default');
		const {app, frame} = await screen(player);
		expect(frame.split('\n')[0]).toMatch(/ · before cycle 1 of 1 · /);
		expect(frame).not.toMatch(/cycle 0 of/);
		app.unmount();
	});

	it('} / { move by cycle with "cycle k of n" on the status bar (a real 6.1 host log)', async () => {
		const {events} = await replay('fixtures/traces/qemu-6.1');
		const player = new Player(events);
		player.seek(player.firstCycleUs);
		const {app, frame} = await screen(player, 120, 40);
		const n = player.cycleStarts.length;
		expect(n).toBe(2);
		expect(status(frame)).toContain(`cycle 1 of ${n}`);
		expect(status(frame)).toMatch(/ · (?:real time|×[\d.e-]+ slow|gap skipped [\d.]+ (?:s|min|h)[^·]*) · /);
		await press(app, '}', f => status(f).includes(`cycle 2 of ${n}`));
		await press(app, '}', f => /no later cycle/.test(plain(f)));
		await press(app, '{', f => status(f).includes(`cycle 1 of ${n}`));
		app.unmount();
	});

	it('at 80×24 the help keeps `? help` and `q quit` on screen and says how many keys a taller terminal shows', async () => {
		const player = playerOf('default');
		const {app} = await screen(player, 80, 24);
		const help = plain(await press(app, '?', f => /Keys —/.test(f)));
		const lines = help.split('\n');
		expect(lines.length).toBeLessThanOrEqual(23);
		expect(lines.every(l => l.length <= 80)).toBe(true);
		expect(help).toMatch(/║ \? \/ h {7}this help/);
		expect(help).toMatch(/║ q {11}quit \(Ctrl-C too/);
		const more = Number(/… (\d+) more keys: a taller terminal shows them all/.exec(help)?.[1]);
		const shown = lines.filter(l => /^║ \S.{10} \S/.test(l) && !/Keys —|more keys/.test(l)).length;
		expect(shown + more).toBe(helpRows().length);
		app.unmount();
	});

	it('every key of the keymap is in the help overlay', async () => {
		const player = playerOf('default');
		const {app} = await screen(player, 120, 40);
		const help = plain(await press(app, '?', f => /Keys —/.test(f)));
		for (const [label, text] of helpRows()) expect(help).toContain(`${label.padEnd(12)}${text.slice(0, 40)}`);
		app.unmount();
	});
});

describe('replays: idle compressed, opening at the first cycle', () => {
	let events: TimelineEvent[];
	beforeAll(async () => {
		events = (await replay('fixtures/traces/qemu-6.1')).events;
	});

	it('the first cycle is not the boot', () => {
		const player = new Player(events);
		expect(player.firstCycleUs).toBeGreaterThan(player.startUs);
		expect(player.timeline[player.cycleStarts[0]!]!.t).toBe(player.firstCycleUs);
	});

	it('long gaps play in at most the limit (inside a cycle too: the freezer timeout); strict real time plays them in full', () => {
		const player = new Player(events);
		// The longest stretch without an event after the first cycle opened.
		let i = -1;
		for (let j = 1; j < events.length; j++) if (events[j]!.t > player.firstCycleUs && (i === -1 || events[j]!.t - events[j - 1]!.t > events[i]!.t - events[i - 1]!.t)) i = j;
		expect(events[i]!.t - events[i - 1]!.t).toBeGreaterThan(5_000_000);
		const from = events[i - 1]!.t;
		player.seek(from);
		player.clock.tick(0);
		player.clock.tick(2600); // the limit, stretched at most to a key scene's 2.5 s
		expect(player.position).toBeGreaterThanOrEqual(events[i]!.t);
		const strict = new Player(events);
		strict.clock.paced = false;
		strict.seek(from);
		strict.clock.tick(0);
		strict.clock.tick(2600);
		expect(strict.position).toBe(from + 2_600_000);
		// A stuck task's 20 s freezer timeout: compressed too, inside its cycle.
		const stuck = new Player(simulate('task-wont-freeze').timeline);
		const failed = stuck.timeline.find(e => e.kind === 'log' && /Freezing of tasks failed/.test(e.text))!;
		// 5.10's freezer line shows when it ends (pr_cont): the blocked write is when the freeze began.
		const opened = stuck.timeline.find(e => e.kind === 'action' && e.result === null)!;
		expect(failed.t - opened.t).toBeGreaterThan(19_000_000);
		expect(stuck.pace.toWall(failed.t) - stuck.pace.toWall(opened.t)).toBeLessThanOrEqual(2_500_001);
	});
});
