/**
 * The monitor on an input still being read (issue 17), in ink-testing-library: the status bar
 * says the end is not known yet (`cycle 1 of ≥1 · reading (stdin)…`), the screen waits at the end
 * so far (FOLLOWING) instead of ending, and once the input ends it says so and ends as a replay of
 * a file does (ENDED, the outcome panel).
 */
import {render} from 'ink-testing-library';
import {beforeAll, describe, expect, it} from 'vitest';
import type {TimelineEvent} from '../source/events.js';
import {fixturesDir} from '../source/paths.js';
import {Player} from '../source/player/player.js';
import {App} from '../source/ui/app.js';
import {followUntilFirstCycle} from '../source/ui/run.js';
import {press, waitForFrame} from './helpers/ink.js';
import {replay} from './helpers/replay.js';

// eslint-disable-next-line no-control-regex
const plain = (frame: string) => frame.replace(/\u001B\[[\d;]*m/g, '');
const status = (f: string) => plain(f).split('\n')[0] ?? '';

describe('the monitor on a pipe', () => {
	let qemu: TimelineEvent[];
	let firstExit: number;
	beforeAll(async () => {
		qemu = (await replay(fixturesDir('traces', 'qemu-6.1', 'dmesg-6.1-boot-hibernate-pm_test-freezer-devices.log'))).events;
		firstExit = qemu.findIndex(e => e.kind === 'log' && e.text === 'PM: hibernation: hibernation exit');
	});

	it('opens before any event, says the end is not known while reading, follows the end so far, then says the input ended', async () => {
		const player = Player.open();
		followUntilFirstCycle(player);
		let wall = 0;
		const app = render(
			<App
				player={player}
				source="(stdin)"
				reading="(stdin)"
				openAtUs={() => player.firstCycleUs}
				inputEnd={() => `end of input: ${player.timeline.length} events read from (stdin)`}
				now={() => (wall += 2000)}
				tickMs={5}
			/>,
		);
		// Nothing read yet: the screen is there, empty, and says what it waits for.
		let frame = await waitForFrame(app, f => /Kernel log/.test(f));
		expect(status(frame)).toMatch(/reading \(stdin\)…/);
		expect(status(frame)).not.toMatch(/cycle/);
		expect(plain(frame)).toMatch(/Kernel log \(0 lines/);

		// The first cycle and its end arrive: the count of cycles is a floor, the playback waits at the last line read.
		player.append(qemu.slice(0, firstExit + 1));
		frame = await waitForFrame(app, f => /FOLLOWING/.test(status(f)) && /cycle 1 of ≥1/.test(status(f)), 10_000);
		expect(status(frame)).toMatch(/FOLLOWING .*cycle 1 of ≥1 · reading \(stdin\)…/);
		expect(status(frame)).not.toMatch(/ENDED/);
		expect(plain(frame)).toMatch(/PM: hibernation: hibernation exit/);
		expect(plain(frame)).not.toMatch(/ENDED: /); // no outcome panel: the end is not known

		// More comes, then the end of input: said once, and the replay ends as a file's does.
		player.append(qemu.slice(firstExit + 1));
		player.finish();
		frame = await waitForFrame(app, f => /end of input: \d+ events read from \(stdin\)/.test(plain(f)));
		expect(plain(frame)).toContain(`end of input: ${qemu.length} events read from (stdin)`);
		frame = await waitForFrame(app, f => /ENDED/.test(status(f)), 10_000);
		expect(status(frame)).toMatch(/ENDED .*cycle 2 of 2 · \(stdin\)/);
		expect(status(frame)).not.toMatch(/≥|reading/);
		expect(plain(frame)).toMatch(/ENDED: DONE — hibernate completed/);
		app.unmount();
	});

	it('paused, the screen still shows each batch as it arrives; G follows the input; a complete timeline shows no floor', async () => {
		const player = Player.open();
		followUntilFirstCycle(player);
		const app = render(<App player={player} source="(stdin)" reading="(stdin)" autoplay={false} openAtUs={() => player.firstCycleUs} now={() => 0} />);
		await waitForFrame(app, f => /PAUSED/.test(status(f)));
		player.append(qemu.slice(0, 100));
		let frame = await waitForFrame(app, f => /Kernel log \(100 lines/.test(plain(f)));
		expect(status(frame)).toMatch(/PAUSED .*reading \(stdin\)…/);
		frame = await press(app, 'G', f => /following the input as it is read/.test(plain(f)));
		expect(status(frame)).toMatch(/(?:FOLLOWING|PLAYING) /);
		app.unmount();

		const whole = new Player(qemu);
		const file = render(<App player={whole} source="kern.log" autoplay={false} />);
		frame = await waitForFrame(file, f => /Kernel log/.test(f));
		expect(status(frame)).toMatch(/before cycle 1 of 2 · kern\.log/);
		expect(status(frame)).not.toMatch(/≥|reading/);
		file.unmount();
	});
});
