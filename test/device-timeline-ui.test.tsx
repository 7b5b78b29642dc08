/**
 * The monitor's device-timeline view (key `t`): rows and bars from the real
 * 6.1 log at chosen positions, async callbacks parallel, failed and running
 * ones marked, sort and scroll keys, 80×24.
 */
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {Player} from '../source/player/player.js';
import {fixturesDir} from '../source/paths.js';
import {deviceTimeline} from '../source/timeline/device-timeline.js';
import {timelineView} from '../source/timeline/terminal-view.js';
import {parseLogText} from '../source/trace/log-parser.js';
import {App} from '../source/ui/app.js';
import {DeviceTimelineView} from '../source/ui/device-timeline.js';
import {keys, press, waitForFrame} from './helpers/ink.js';

const qemuFile = path.join(fixturesDir('traces'), 'qemu-6.1', 'dmesg-6.1-boot-hibernate-pm_test-freezer-devices.log');
const qemuEvents = parseLogText(readFileSync(qemuFile, 'utf8'), qemuFile).events;
const qemu = deviceTimeline(qemuEvents);
/** The printk time of a line of the log. */
const at = (line: number) => qemuEvents.find(e => e.source?.line === line)!.t;

function resize(app: ReturnType<typeof render>, columns: number, rows: number): void {
	Object.defineProperty(app.stdout, 'columns', {value: columns, configurable: true});
	Object.defineProperty(app.stdout, 'rows', {value: rows, configurable: true});
	app.stdout.emit('resize');
}

describe('timeline rows (pure)', () => {
	it('at the end of the freeze phase: its 28 callbacks, async pci ones ▓ and marked ∥, bars inside the width', () => {
		const view = timelineView(qemu, at(498), 100, 'start');
		expect(view.title).toContain('cycle 2/2 (hibernate)');
		expect(view.title).toContain('[freeze] restore');
		expect(view.rows).toHaveLength(28);
		const pci = view.rows.filter(r => r.label.startsWith('pci '));
		expect(pci).toHaveLength(7);
		expect(pci.every(r => r.mark === '∥' && r.bar.includes('▓') && !r.bar.includes('█'))).toBe(true);
		expect(view.rows.filter(r => r.mark === ' ').every(r => r.bar.includes('█'))).toBe(true);
		expect(view.rows.every(r => (r.mark + ' ' + r.label + ' ' + r.bar + ' ' + r.usecs).length <= 100)).toBe(true);
		// Bars move right in start order (sync callbacks one after another).
		const starts = view.rows.map(r => r.bar.search(/\S/));
		expect(starts[0]).toBeLessThanOrEqual(starts[27]!);
		expect(view.rows.find(r => r.label.startsWith('rtc_cmos 00:06'))!.usecs.trim()).toBe('328 µs');
	});

	it('mid-restore: only callbacks started so far; one still running shown with ? and "running"', () => {
		// Line 503 calls pci_pm_restore on 0000:00:00.0 (returns at 506 after 240 µs); line 504 is 196 µs later.
		const view = timelineView(qemu, at(504), 100, 'start');
		expect(view.phase).toBe('restore');
		expect(view.rows.map(r => r.label.trim())).toEqual(['reg-dummy reg-dummy', 'platform QEMU0002:00', 'pci 0000:00:00.0']);
		const running = view.rows[2]!;
		expect(running.usecs.trim()).toBe('running');
		expect(running.bar).toContain('?');
		expect(running.mark).toBe('…');
	});

	it('slowest first; a failed and a never-returned callback come first, marked without colour', () => {
		const events = parseLogText(
			[
				'[ 1.000000] PM: suspend entry (deep)',
				'[ 1.100000] nvme 0000:5e:00.0: PM: calling pci_pm_suspend+0x0/0xc0 @ 5, parent: p',
				'[ 1.110000] e1000e 0000:00:19.0: PM: calling pci_pm_suspend+0x0/0xc0 @ 9, parent: p',
				'[ 1.120000] e1000e 0000:00:19.0: PM: pci_pm_suspend+0x0/0xc0 returned -5 after 10000 usecs',
				'[ 1.130000] snd 0000:00:1f.3: PM: calling pci_pm_suspend+0x0/0xc0 @ 5, parent: p',
				'[ 1.130100] snd 0000:00:1f.3: PM: pci_pm_suspend+0x0/0xc0 returned 0 after 100 usecs',
				'[ 9.000000] end of log',
			].join('\n'),
			'x',
		).events;
		const view = timelineView(deviceTimeline(events), 9_000_000, 90, 'time');
		expect(view.rows.map(r => [r.label.trim(), r.mark, r.usecs.trim()])).toEqual([
			['nvme 0000:5e:00.0', '…', 'running'],
			['e1000e 0000:00:19.0', '✗', 'rc -5'],
			['snd 0000:00:1f.3', ' ', '100 µs'],
		]);
		expect(view.rows[1]!.bar).toContain('!');
		expect(view.title).toContain('FAILED');
	});
});

describe('monitor: key t opens the device timeline', () => {
	it('t shows it for the cycle on screen, o sorts slowest first, ↓ scrolls, t again returns; 80×24 fits', async () => {
		const player = new Player(qemuEvents);
		player.seek(at(498));
		const app = render(<App player={player} source={qemuFile} autoplay={false} />);
		resize(app, 80, 24);
		await waitForFrame(app, f => /Kernel log/.test(f));
		let frame = await press(app, 't', f => /Device timeline — cycle 2\/2/.test(f));
		expect(frame.split('\n').every(l => l.length <= 80)).toBe(true);
		expect(frame.split('\n').length).toBeLessThan(24);
		expect(frame).toMatch(/sort: by start/);
		expect(frame).toMatch(/platform platform-fram/);
		expect(frame).toMatch(/1–\d+ of 28 ↑\/↓ · freeze 15\.186 ms/);
		frame = await press(app, 'o', f => /slowest first/.test(f));
		const rows = frame.split('\n').filter(l => /µs\s*$/.test(l));
		expect(rows[0]).toMatch(/rtc_cmos 00:06.*328 µs/);
		frame = await press(app, keys.down, f => /2–\d+ of 28/.test(f));
		expect(frame).not.toMatch(/rtc_cmos 00:06.*328 µs/);
		frame = await press(app, 't', f => /Kernel log/.test(f));
		expect(frame).not.toMatch(/Device timeline/);
		app.unmount();
	});

	it('a simulation without callback lines says so instead of drawing nothing', async () => {
		const {simulate} = await import('./helpers/sim.js');
		const player = new Player(simulate('default').timeline);
		player.seek(player.endUs);
		const frame = render(<DeviceTimelineView timeline={deviceTimeline(player.timeline)} positionUs={player.position} width={110} height={10} scroll={0} sort="start" />).lastFrame()!;
		expect(frame).toMatch(/Device timeline/);
		expect(frame).toMatch(/no per-device callback lines in this cycle \(echo 1 > \/sys\/power\/pm_print_times\)/);
	});
});
