import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {Player} from '../source/player/player.js';
import {App} from '../source/ui/app.js';
import {Devices} from '../source/ui/devices.js';
import {FreezeProgress} from '../source/ui/freeze-progress.js';
import {KernelLog} from '../source/ui/kernel-log.js';
import {QuiesceCountdown} from '../source/ui/quiesce-countdown.js';
import {keys, press, waitForFrame} from './helpers/ink.js';
import {notes, simulate} from './helpers/sim.js';

function playerOf(scenario: string): Player {
	return new Player(simulate(scenario).timeline);
}

/** Position the player at the middle of the memory quiesce. */
function midQuiesce(player: Player): void {
	const [begin, end] = notes(player.timeline, 'quiesce');
	player.seek((begin!.t + end!.t) / 2);
}

describe('panes at key moments', () => {
	it('default, mid-quiesce: activation running, the countdown stalled within budget', () => {
		const player = playerOf('default');
		midQuiesce(player);
		const state = player.stateNow();
		const phases = render(<FreezeProgress cycle={state.cycle} nowUs={player.position} width={60} height={12} />).lastFrame()!;
		expect(phases).toMatch(/firmware activation \(quiesce\)/);
		expect(phases).toMatch(/✓ Freeze devices\s+DONE/);
		expect(phases).toMatch(/▶ Memory quiesce \+ a\S*\s+RUNNING/);
		expect(phases).toMatch(/· Thaw tasks\s+PENDING/);
		const countdown = render(<QuiesceCountdown quiesce={state.quiesce} cycle={state.cycle} nowUs={player.position} width={40} height={12} />).lastFrame()!;
		expect(countdown).toMatch(/Memory quiesce — STALLED \[OK\]/);
		expect(countdown).toMatch(/of 600 µs/);
		expect(countdown).toMatch(/µs of budget left/);
		expect(countdown).toMatch(/User space frozen: \d+\.\d ms and/);
	});

	it('overflow, at the end: the platform refused, DIMMs still armed, the warning shown', async () => {
		const player = playerOf('overflow');
		player.seek(player.endUs);
		const state = player.stateNow();
		expect(render(<QuiesceCountdown quiesce={state.quiesce} cycle={state.cycle} nowUs={player.position} width={40} height={12} />).lastFrame()).toMatch(/REFUSED \[CRIT\][\s\S]*platform refused: nothing activated/);
		expect(render(<Devices dimms={state.dimms} devices={state.devices} width={100} height={8} scroll={0} />).lastFrame()).toMatch(/DIMMs 12: 12 armed; results 12 none/);
		const app = render(<App player={player} source="sim overflow" autoplay={false} />);
		await waitForFrame(app, f => /^CRIT .*overflow|^CRIT platform refused/m.test(f));
		app.unmount();
	});

	it('task-wont-freeze: the freezer failed, the thaw shown as unwinding, the failure highlighted in the log', () => {
		const player = playerOf('task-wont-freeze');
		player.seek(player.endUs);
		const state = player.stateNow();
		const phases = render(<FreezeProgress cycle={state.cycle} nowUs={player.position} width={70} height={12} />).lastFrame()!;
		expect(phases).toMatch(/— FAILED/);
		expect(phases).toMatch(/✗ Freeze user space\s+FAILED\s+20\.\d+ s\s+411\/412 tasks/);
		expect(phases).toMatch(/↺ Thaw tasks\s+UNWOUND/);
		expect(phases).toMatch(/- Freeze devices\s+SKIPPED/);
		const tail = player.logTail(30);
		const log = render(<KernelLog lines={tail.lines} total={tail.total} back={0} width={110} height={32} />).lastFrame()!;
		expect(log).toMatch(/!! Freezing of tasks failed after 20\.\d{3} seconds \(1 tasks refusing to freeze/);
		expect(log).toMatch(/task:fio\s+state:D/);
	});

	it('rdma-dma-during-quiesce: DMA in flight on the RDMA adapter, its completion timeout, the AER lines', () => {
		const player = playerOf('rdma-dma-during-quiesce');
		midQuiesce(player);
		let state = player.stateNow();
		const during = render(<Devices dimms={state.dimms} devices={state.devices} width={120} height={30} scroll={0} />).lastFrame()!;
		expect(during).toMatch(/mlx5_core 0000:3b:00\.0\s+frozen \(noirq\)\s+· DMA \d+ in flight, CTO 100 µs/);
		player.seek(player.endUs);
		state = player.stateNow();
		const after = render(<Devices dimms={state.dimms} devices={state.devices} width={120} height={30} scroll={0} />).lastFrame()!;
		expect(after).toMatch(/mlx5_core 0000:3b:00\.0 .*ERR PCIe completion timeout/);
		const tail = player.logTail(40);
		expect(render(<KernelLog lines={tail.lines} total={tail.total} back={0} width={120} height={44} />).lastFrame()).toMatch(/!! mlx5_core 0000:3b:00\.0:\s+\[14\] CmpltTO/);
	});

	it('big-box: hundreds of DIMMs are counted by state and the list scrolls', () => {
		const player = playerOf('big-box');
		player.seek(player.endUs);
		const state = player.stateNow();
		const frame = render(<Devices dimms={state.dimms} devices={state.devices} width={100} height={8} scroll={250} />).lastFrame()!;
		expect(frame).toMatch(/\(251–255 of 328, ↑\/↓\) DIMMs 256: 256 idle; results 256 success/);
		expect(frame.split('\n').length).toBe(8);
	});
});

describe('the app and its keys', () => {
	const status = (f: string) => f.split('\n')[0] ?? '';

	it('pause and resume, speed, step, phase jumps, seek, start/end, slow motion, help, quit', async () => {
		let quit = false;
		const player = playerOf('default');
		const app = render(<App player={player} source="sim default (seed 1)" autoplay={false} onQuit={() => (quit = true)} />);
		await waitForFrame(app, f => /PAUSED/.test(status(f)) && /\[ 7316\.400000\]/.test(f));
		await press(app, ' ', f => /PLAYING/.test(status(f)));
		await press(app, ' ', f => /PAUSED/.test(status(f)));
		await press(app, '+', f => / 2× /.test(status(f)));
		await press(app, '-', f => / 1× /.test(status(f)));
		await press(app, '-', f => / 0\.5× /.test(status(f)));
		player.seek(player.startUs);
		await press(app, 'n', f => /firmware activation \(quiesce\)/.test(f) && /· Freeze user space/.test(f));
		await press(app, 'n', f => /▶ Freeze user space/.test(f));
		await press(app, 'n', f => /✓ Freeze user space/.test(f));
		await press(app, 'p', f => /▶ Freeze user space/.test(f));
		const before = player.position;
		await press(app, '.', () => player.position > before);
		await press(app, keys.right, f => /Freeze devices|Freeze kernel/.test(f) && player.position > before + 1000);
		const after = player.position;
		await press(app, keys.left, () => player.position < after);
		await press(app, 'G', f => /✓ Thaw tasks/.test(f) && /ENDED/.test(status(f)));
		await press(app, 'g', f => /no freeze cycle yet/.test(f));
		await press(app, 's', f => /slow-mo off/.test(status(f)));
		await press(app, 's', f => !/slow-mo off/.test(status(f)));
		await press(app, '?', f => /Keys — any key closes this help/.test(f) && /slow motion around the memory quiesce/.test(f));
		await press(app, 'x', f => /Freeze progress/.test(f));
		await press(app, 'q', () => quit);
		app.unmount();
	});

	it('plays in real time and stops at the end', async () => {
		const player = playerOf('live');
		player.clock.speed = 1000;
		const app = render(<App player={player} source="sim live" tickMs={5} />);
		await waitForFrame(app, f => /ENDED/.test(status(f)), 8000);
		expect(player.position).toBe(player.endUs);
		app.unmount();
	});

	it('scrolls the device list and the kernel log, and follows the tail again', async () => {
		const player = playerOf('default');
		player.seek(player.endUs);
		const app = render(<App player={player} source="s" autoplay={false} />);
		await waitForFrame(app, f => /Devices \(1–/.test(f));
		await press(app, keys.down, f => /Devices \(2–/.test(f));
		await press(app, keys.up, f => /Devices \(1–/.test(f));
		await press(app, 'b', f => /back from the tail — F follows/.test(f));
		await press(app, 'F', f => /following\)/.test(f));
		app.unmount();
	});
});

/** ink-testing-library's stdout has a fixed 100 columns and no rows: give it a size, as a terminal resize would. */
function resize(app: ReturnType<typeof render>, columns: number, rows: number): void {
	Object.defineProperty(app.stdout, 'columns', {value: columns, configurable: true});
	Object.defineProperty(app.stdout, 'rows', {value: rows, configurable: true});
	app.stdout.emit('resize');
}

describe('terminal sizes and idling', () => {
	const sized = (columns: number, rows: number) => {
		const player = playerOf('default');
		player.seek(player.endUs);
		const app = render(<App player={player} source="sim default (seed 1)" autoplay={false} />);
		resize(app, columns, rows);
		return app;
	};

	it('fits 80×24: no line wider than 80, fewer rows than the terminal', async () => {
		const app = sized(80, 24);
		const frame = await waitForFrame(app, f => f.split('\n').every(line => line.length <= 80) && /Kernel log/.test(f));
		expect(frame.split("\n").length, frame).toBeLessThan(24);
		expect(frame).toMatch(/Freeze progress/);
		expect(frame).toMatch(/Memory quiesce/);
		app.unmount();
	});

	it('uses a larger terminal and adapts live when it is resized', async () => {
		const app = sized(160, 50);
		const big = await waitForFrame(app, f => (f.split('\n')[1] ?? '').length > 150);
		expect(big.split('\n').length).toBeLessThan(50);
		expect(big.split('\n').length).toBeGreaterThan(40);
		resize(app, 90, 26);
		const small = await waitForFrame(app, f => f.split('\n').every(line => line.length <= 90) && f.split('\n').length < 26);
		expect(small).toMatch(/Kernel log/);
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
