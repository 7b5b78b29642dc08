/**
 * The per-device callback timeline: every line form and era, matching
 * `returned` to `calling`, cycles and phases, callbacks that never return,
 * interleaved async callbacks — and, on the real logs, an independent awk
 * oracle over the `returned … after N usecs` lines.
 */
import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {parseCallbackLine} from '../source/kernel/callback-lines.js';
import {recognise} from '../source/kernel/recognise.js';
import {fixturesDir} from '../source/paths.js';
import {deviceTimeline, DeviceTimelineBuilder, type CycleTimeline, type DeviceTimeline} from '../source/timeline/device-timeline.js';
import {compareCycles, devicesText, rankCallbacks} from '../source/timeline/report.js';
import {parseLogText} from '../source/trace/log-parser.js';
import {logs, simulateText} from './helpers/sim.js';

const traces = fixturesDir('traces');
const realLogs = [
	'qemu-6.1/dmesg-6.1-boot-hibernate-pm_test-freezer-devices.log',
	'nfit-test-6.1/01-quiesce-sysfs/dmesg-01-quiesce-sysfs.log',
	'nfit-test-6.1/01-quiesce-sysfs/dmesg-01-quiesce-sysfs-raw.log',
	'nfit-test-6.1/06-results-errors/dmesg-06-results-errors.log',
];

function timelineOf(text: string, file = 'inline.log'): DeviceTimeline {
	return deviceTimeline(parseLogText(text, file).events);
}

describe('callback line forms, one per era', () => {
	it('6.1 (≈5.12–6.9): "<drv> <dev>: PM: calling <sym>+0x…/0x… @ pid, parent: p" and "… returned rc after N usecs"', () => {
		expect(parseCallbackLine('pci 0000:00:04.0: PM: calling pci_pm_freeze+0x0/0xe0 @ 9, parent: pci0000:00')).toEqual({kind: 'calling', form: 'pm-pS', driver: 'pci', device: '0000:00:04.0', callback: 'pci_pm_freeze', pid: 9, parent: 'pci0000:00'});
		expect(parseCallbackLine('pci 0000:00:04.0: PM: pci_pm_freeze+0x0/0xe0 returned 0 after 104 usecs')).toEqual({kind: 'returned', form: 'pm-pS', driver: 'pci', device: '0000:00:04.0', callback: 'pci_pm_freeze', rc: 0, usecs: 104});
	});

	it('a driver name with a space ("i8042 kbd 00:00") and a module symbol ("[nfit_test]")', () => {
		expect(parseCallbackLine('i8042 kbd 00:00: PM: calling pnp_bus_freeze+0x0/0x10 @ 1, parent: pnp0')).toMatchObject({driver: 'i8042 kbd', device: '00:00', callback: 'pnp_bus_freeze'});
		expect(parseCallbackLine('nfit_test nfit_test.0: PM: nfit_test_suspend+0x0/0x20 [nfit_test] returned -16 after 7 usecs')).toMatchObject({driver: 'nfit_test', device: 'nfit_test.0', callback: 'nfit_test_suspend', module: 'nfit_test', rc: -16, usecs: 7});
	});

	it('≥6.10 %ps: the symbol without offset', () => {
		expect(parseCallbackLine('nvme 0000:5e:00.0: PM: calling pci_pm_freeze @ 52114, parent: 0000:5d:00.0')).toEqual({kind: 'calling', form: 'pm-ps', driver: 'nvme', device: '0000:5e:00.0', callback: 'pci_pm_freeze', pid: 52114, parent: '0000:5d:00.0'});
		expect(parseCallbackLine('nvme 0000:5e:00.0: PM: pci_pm_freeze returned 0 after 838 usecs')).toEqual({kind: 'returned', form: 'pm-ps', driver: 'nvme', device: '0000:5e:00.0', callback: 'pci_pm_freeze', rc: 0, usecs: 838});
	});

	it('≈4.x–5.11 dev_info without "PM: "', () => {
		expect(parseCallbackLine('ahci 0000:00:1f.2: calling pci_pm_suspend+0x0/0x150 @ 3120, parent: pci0000:00')).toMatchObject({form: 'dev-pF', driver: 'ahci', device: '0000:00:1f.2', callback: 'pci_pm_suspend', pid: 3120});
		expect(parseCallbackLine('ahci 0000:00:1f.2: pci_pm_suspend+0x0/0x150 returned 0 after 3052 usecs')).toMatchObject({form: 'dev-pF', rc: 0, usecs: 3052});
	});

	it('2.6/3.x legacy: "calling  <dev>+ @ pid[, parent: p]" / "call <dev>+ returned rc after N usecs"', () => {
		expect(parseCallbackLine('calling  0000:00:1f.2+ @ 1234, parent: pci0000:00')).toEqual({kind: 'calling', form: 'legacy', driver: '', device: '0000:00:1f.2', pid: 1234, parent: 'pci0000:00'});
		expect(parseCallbackLine('calling  serio1+ @ 77')).toEqual({kind: 'calling', form: 'legacy', driver: '', device: 'serio1', pid: 77});
		expect(parseCallbackLine('call 0000:00:1f.2+ returned -5 after 2016 usecs')).toEqual({kind: 'returned', form: 'legacy', driver: '', device: '0000:00:1f.2', rc: -5, usecs: 2016});
	});

	it('2.6.3x Ubuntu: "PM: freeze of drv:<drv> dev:<dev> complete after N msecs" (also with an empty drv:)', () => {
		expect(parseCallbackLine('PM: freeze of drv:sd dev:0:0:0:0 complete after 202.829 msecs')).toEqual({kind: 'complete', form: 'drv-dev-msecs', driver: 'sd', device: '0:0:0:0', verb: 'freeze', usecs: 202_829});
		expect(parseCallbackLine('PM: freeze of drv: dev:pci0000:00 complete after 687.469 msecs')).toMatchObject({driver: '', device: 'pci0000:00', usecs: 687_469});
	});

	it('not callbacks: boot initcalls (init/main.c), dpm phase lines, user-space "returned" text', () => {
		expect(parseCallbackLine('calling  acpi_init+0x0/0x4f0 @ 1')).toBeUndefined();
		expect(parseCallbackLine('initcall acpi_init+0x0/0x4f0 returned 0 after 12000 usecs')).toBeUndefined();
		expect(parseCallbackLine('PM: freeze of devices complete after 15.186 msecs')).toBeUndefined();
		expect(parseCallbackLine("capture: fwtool write 'quiesce' > /sys/bus/nd/devices/ndbus0/firmware/activate returned rc=-1 errno=ENXIO")).toBeUndefined();
		expect(parseCallbackLine('foo bar: baz returned 0 after 3 usecs')).toBeUndefined();
	});

	it('never throws on garbage, and what it accepts has a device and a number', () => {
		fc.assert(
			fc.property(fc.oneof(fc.string(), fc.constantFrom('calling  x+ @ ', 'a b: PM: calling ', 'call x+ returned ', 'PM: freeze of drv:')).chain(p => fc.tuple(fc.constant(p), fc.string())), ([prefix, rest]) => {
				const parsed = parseCallbackLine(prefix + rest);
				if (parsed) {
					expect(parsed.device.length).toBeGreaterThan(0);
					if (parsed.kind !== 'calling') expect(Number.isFinite(parsed.usecs)).toBe(true);
				}
			}),
		);
	});
});

/**
 * The oracle: awk alone, from the log text. Cycles open at "… entry" (or, in a
 * log without entry lines, at "Freezing user space processes") and close at
 * "… exit" (or "Restarting tasks … done."); every `returned … after N usecs`
 * line is one callback, and the next "PM: <phase> of devices complete after"
 * line names the phase of those seen since the previous one.
 */
const oracle = String.raw`
{ sub(/^<[0-9]+>/, ""); sub(/^\[ *[0-9]+\.[0-9]+\] /, "") }
/PM: (hibernation: )?(hibernation|suspend) entry/ { cycle++; open = 1; explicit = 1; next }
/PM: (hibernation: )?(hibernation|suspend) exit$/ { open = 0; next }
/^Freezing user space processes/ { if (!open) { cycle++; open = 1; explicit = 0 } ; next }
/^Restarting tasks \.\.\. done\./ { if (!explicit) open = 0; next }
/ returned -?[0-9]+ after [0-9]+ usecs$/ {
	i = index($0, ": PM: "); dev = substr($0, 1, i - 1); rest = substr($0, i + 6)
	split(rest, w, " "); cb = w[1]; sub(/\+0x.*/, "", cb)
	n++; C[n] = cycle; D[n] = dev; F[n] = cb; U[n] = $(NF - 1); R[n] = $(NF - 3); pend[++np] = n
	next
}
/^PM: .* of devices (complete|aborted) after / {
	ph = $0; sub(/^PM: /, "", ph); sub(/ of devices.*/, "", ph)
	if (ph ~ /^end /) next
	for (k = 1; k <= np; k++) P[pend[k]] = ph
	np = 0
}
END {
	for (k = 1; k <= n; k++) { if (P[k] == "") P[k] = "?"; print "cb\t" C[k] "\t" P[k] "\t" D[k] "\t" F[k] "\t" R[k] "\t" U[k]; T[C[k] "\t" P[k]] += U[k] }
	for (key in T) print "total\t" key "\t" T[key]
}`;

function runOracle(file: string): {callbacks: string[]; totals: string[]} {
	const out = execFileSync('awk', [oracle, file], {encoding: 'utf8'});
	const lines = out.split('\n').filter(Boolean);
	return {callbacks: lines.filter(l => l.startsWith('cb\t')).map(l => l.slice(3)), totals: lines.filter(l => l.startsWith('total\t')).map(l => l.slice(6)).sort()};
}

describe('real 6.1 logs against an independent awk oracle', () => {
	it.each(realLogs)('%s: callbacks, µs, phases and per-phase totals equal awk\'s; every returned line matched', name => {
		const file = path.join(traces, name);
		const text = readFileSync(file, 'utf8');
		const returned = text.split('\n').filter(l => / returned -?\d+ after \d+ usecs$/.test(l)).length;
		expect(returned).toBeGreaterThan(50);
		const timeline = timelineOf(text, file);
		const oracleOut = runOracle(file);
		expect(oracleOut.callbacks).toHaveLength(returned);

		const ours = timeline.cycles.flatMap(c => c.callbacks).sort((a, b) => a.returnLine! - b.returnLine!);
		expect(ours.map(c => `${c.cycle}\t${c.phase}\t${c.driver} ${c.device}\t${c.callback}\t${c.rc}\t${c.usecs}`)).toEqual(oracleOut.callbacks);
		// Every returned line matched to its calling line: nothing unfinished, nothing alone.
		expect(ours.every(c => c.status === 'ok' && c.line < c.returnLine!)).toBe(true);
		expect(timeline.returnedLines).toBe(returned);
		expect(timeline.callingLines).toBe(returned);

		const totals = timeline.cycles.flatMap(c => c.phases.filter(p => p.callbacks > 0).map(p => `${c.index}\t${p.name}\t${p.callbackUsecs}`)).sort();
		expect(totals).toEqual(oracleOut.totals);
	});

	it('qemu-6.1: cycle 1 (pm_test=freezer) has no callbacks, cycle 2 has 28 freeze and 30 restore callbacks; async restore callbacks ran in kworkers 9 and 105', () => {
		const timeline = timelineOf(readFileSync(path.join(traces, realLogs[0]!), 'utf8'));
		expect(timeline.cycles.map(c => [c.index, c.kind, c.callbacks.length, c.failed])).toEqual([
			[1, 'hibernate', 0, false],
			[2, 'hibernate', 58, false],
		]);
		const cycle = timeline.cycles[1]!;
		expect(cycle.phases.map(p => [p.name, p.callbacks, p.kernelUsecs])).toEqual([
			['freeze', 28, 15_186],
			['restore', 30, 12_986],
		]);
		expect(cycle.mainPid).toBe(1);
		const asyncPids = new Set(cycle.callbacks.filter(c => c.async).map(c => c.pid));
		expect(asyncPids).toEqual(new Set([9, 105]));
		// The kernel's µs, not the printk span: rtc_cmos 00:06 took 328 µs though its two lines are 515 µs apart.
		const rtc = cycle.callbacks.find(c => c.device === '00:06' && c.phase === 'freeze')!;
		expect(rtc.usecs).toBe(328);
		expect(rtc.endUs - rtc.startUs).toBe(328);
	});

	it('nfit-test 6.1 quiesce: one cycle from the freezer to "Restarting tasks", six phases, noirq callbacks in their phase', () => {
		const timeline = timelineOf(readFileSync(path.join(traces, realLogs[1]!), 'utf8'));
		expect(timeline.cycles).toHaveLength(1);
		const cycle = timeline.cycles[0]!;
		expect(cycle.phases.map(p => p.name)).toEqual(['freeze', 'late freeze', 'noirq freeze', 'noirq thaw', 'early thaw', 'thaw']);
		expect(cycle.callbacks.filter(c => c.phase === 'noirq freeze').every(c => c.callback === 'pci_pm_freeze_noirq')).toBe(true);
		expect(cycle.closed).toBe(true);
	});
});

describe('matching and failure', () => {
	it('a callback that never returns (the log is cut): unfinished, the cycle failed and not closed', () => {
		const timeline = timelineOf(
			[
				'[  10.000000] PM: suspend entry (deep)',
				'[  10.100000] Freezing user space processes',
				'[  10.200000] e1000e 0000:00:19.0: PM: calling pci_pm_suspend+0x0/0x160 @ 2001, parent: pci0000:00',
				'[  10.200100] pci 0000:00:1f.0: PM: calling pci_pm_suspend+0x0/0x160 @ 2001, parent: pci0000:00',
				'[  10.200300] pci 0000:00:1f.0: PM: pci_pm_suspend+0x0/0x160 returned 0 after 150 usecs',
				'[  12.000000] some unrelated line',
			].join('\n'),
		);
		const [cycle] = timeline.cycles;
		expect(cycle!.closed).toBe(false);
		expect(cycle!.failed).toBe(true);
		const stuck = cycle!.callbacks.find(c => c.driver === 'e1000e')!;
		expect(stuck.status).toBe('unfinished');
		expect(stuck.usecs).toBeUndefined();
		expect(stuck.endUs).toBe(12_000_000);
		expect(cycle!.failures.some(f => f.text.includes('never returned'))).toBe(true);
		expect(rankCallbacks(cycle!.callbacks)[0]).toBe(stuck);
		expect(devicesText(timeline, {top: 5})).toMatch(/e1000e 0000:00:19\.0 .*NEVER RETURNED/);
		// Phase from the symbol when no dpm line closed it.
		expect(stuck.phase).toBe('suspend');
	});

	it('a failing callback: rc, the failure lines, the device marked; devices that failed come first', () => {
		const timeline = timelineOf(
			[
				'[ 7316.400000] PM: suspend entry (deep)',
				'[ 7316.433010] nvme 0000:5e:00.0: PM: calling pci_pm_suspend+0x0/0xc0 @ 52114, parent: 0000:5d:00.0',
				'[ 7316.443010] mlx5_core 0000:3b:00.0: PM: calling pci_pm_suspend+0x0/0xc0 @ 52114, parent: 0000:3a:00.0',
				'[ 7316.512300] mlx5_core 0000:3b:00.0: PM: pci_pm_suspend+0x0/0xc0 returned -16 after 69000 usecs',
				'[ 7316.512301] mlx5_core 0000:3b:00.0: PM: dpm_run_callback(): pci_pm_suspend+0x0/0xc0 returns -16',
				'[ 7316.512309] mlx5_core 0000:3b:00.0: PM: failed to suspend: error -16',
				'[ 7316.512400] nvme 0000:5e:00.0: PM: pci_pm_suspend+0x0/0xc0 returned 0 after 79000 usecs',
				'[ 7316.513000] PM: suspend of devices aborted after 112.993 msecs',
				'[ 7316.600000] PM: suspend exit',
			].join('\n'),
		);
		const [cycle] = timeline.cycles;
		expect(cycle!.failed).toBe(true);
		expect(cycle!.phases[0]).toMatchObject({name: 'suspend', aborted: true, kernelUsecs: 112_993, failed: 1});
		const ranked = rankCallbacks(cycle!.callbacks);
		expect(ranked.map(c => [c.driver, c.status, c.rc])).toEqual([
			['mlx5_core', 'failed', -16],
			['nvme', 'ok', 0],
		]);
		expect(cycle!.failures.map(f => f.line)).toEqual([4, 5, 6, 8]);
	});

	it('interleaved async callbacks: same callback on several devices, returns out of order, matched by device+callback', () => {
		const timeline = timelineOf(
			[
				'[ 55.299999] pci 0000:00:00.0: PM: calling pci_pm_restore+0x0/0xe0 @ 105, parent: pci0000:00',
				'[ 55.300000] platform QEMU0002:00: PM: calling platform_pm_restore+0x0/0x40 @ 1, parent: pci0000:00',
				'[ 55.300691] pci 0000:00:01.0: PM: calling pci_pm_restore+0x0/0xe0 @ 9, parent: pci0000:00',
				'[ 55.300700] platform QEMU0002:00: PM: platform_pm_restore+0x0/0x40 returned 0 after 1 usecs',
				'[ 55.300716] pci 0000:00:01.0: PM: pci_pm_restore+0x0/0xe0 returned 0 after 4 usecs',
				'[ 55.300890] pci 0000:00:00.0: PM: pci_pm_restore+0x0/0xe0 returned 0 after 240 usecs',
				'[ 55.300900] platform pcspkr: PM: calling platform_pm_restore+0x0/0x40 @ 1, parent: platform',
				'[ 55.300950] platform pcspkr: PM: platform_pm_restore+0x0/0x40 returned 0 after 2 usecs',
				'[ 55.311140] PM: restore of devices complete after 12.986 msecs',
			].join('\n'),
		);
		const callbacks = timeline.cycles[0]!.callbacks;
		const by = (device: string) => callbacks.find(c => c.device === device)!;
		expect(by('0000:00:00.0')).toMatchObject({usecs: 240, pid: 105, async: true, line: 1, returnLine: 6, phase: 'restore'});
		expect(by('0000:00:01.0')).toMatchObject({usecs: 4, pid: 9, async: true, line: 3, returnLine: 5});
		expect(by('QEMU0002:00')).toMatchObject({usecs: 1, pid: 1, async: false});
		// Visibly parallel: the async bar overlaps the sync ones.
		expect(by('0000:00:00.0').startUs < by('QEMU0002:00').startUs && by('0000:00:00.0').endUs > by('QEMU0002:00').startUs).toBe(true);
	});

	it('several callbacks of one device in one phase are kept apart; a returned line without calling is kept, not dropped', () => {
		const timeline = timelineOf(
			[
				'[ 1.000000] PM: suspend entry (s2idle)',
				'[ 1.000100] usb 1-1: PM: calling usb_dev_suspend+0x0/0x20 @ 10, parent: usb1',
				'[ 1.000200] usb 1-1: PM: calling usb_port_suspend+0x0/0x20 @ 10, parent: usb1',
				'[ 1.000300] usb 1-1: PM: usb_port_suspend+0x0/0x20 returned 0 after 50 usecs',
				'[ 1.000400] usb 1-1: PM: usb_dev_suspend+0x0/0x20 returned 0 after 300 usecs',
				'[ 1.000500] usb 1-2: PM: usb_dev_suspend+0x0/0x20 returned 0 after 7 usecs',
				'[ 1.100000] PM: suspend exit',
			].join('\n'),
		);
		const cbs = timeline.cycles[0]!.callbacks;
		expect(cbs.map(c => [c.device, c.callback, c.usecs, c.status])).toEqual([
			['1-1', 'usb_dev_suspend', 300, 'ok'],
			['1-1', 'usb_port_suspend', 50, 'ok'],
			['1-2', 'usb_dev_suspend', 7, 'no-calling-line'],
		]);
	});

	it('legacy 2.6/3.x lines in a syslog: matched by device name, phase from the dpm line', () => {
		const timeline = timelineOf(
			[
				'Jan  3 16:47:17 host kernel: [  411.500000] PM: Syncing filesystems ... done.',
				'Jan  3 16:47:17 host kernel: [  411.528205] Freezing user space processes ... (elapsed 0.01 seconds) done.',
				'Jan  3 16:47:17 host kernel: [  411.600000] calling  0000:00:1d.0+ @ 1822, parent: pci0000:00',
				'Jan  3 16:47:17 host kernel: [  411.600100] calling  0000:00:1d.1+ @ 1823, parent: pci0000:00',
				'Jan  3 16:47:17 host kernel: [  411.620000] call 0000:00:1d.1+ returned 0 after 19531 usecs',
				'Jan  3 16:47:17 host kernel: [  411.640000] call 0000:00:1d.0+ returned 0 after 39062 usecs',
				'Jan  3 16:47:17 host kernel: [  411.700000] PM: freeze of devices complete after 100.123 msecs',
			].join('\n'),
		);
		const cbs = timeline.cycles[0]!.callbacks;
		expect(cbs.map(c => [c.device, c.usecs, c.phase, c.form])).toEqual([
			['0000:00:1d.0', 39_062, 'freeze', 'legacy'],
			['0000:00:1d.1', 19_531, 'freeze', 'legacy'],
		]);
	});

	it('the real 2.6.35 Ubuntu log: seven drv:/dev: completion lines in the freeze phase; the cycle failed (-12, then -16 on recover)', () => {
		const file = path.join(traces, '03-hibernate-2.6.35-ubuntu1010-syslog-enomem-recover-ebusy.log');
		const timeline = timelineOf(readFileSync(file, 'utf8'), file);
		const cycle = timeline.cycles[0]!;
		expect(cycle.kind).toBe('hibernate');
		expect(cycle.callbacks.map(c => [c.driver, c.device, c.usecs, c.phase])).toEqual([
			['sd', '0:0:0:0', 202_829, 'freeze'],
			['scsi', 'target0:0:0', 202_820, 'freeze'],
			['scsi', 'host0', 202_758, 'freeze'],
			['ata_piix', '0000:00:1f.1', 182_588, 'freeze'],
			['radeon', '0000:01:00.0', 707_693, 'freeze'],
			['pci', '0000:00:01.0', 687_480, 'freeze'],
			['', 'pci0000:00', 687_469, 'freeze'],
		]);
		expect(cycle.failed).toBe(true);
		expect(cycle.failures.map(f => f.text)).toEqual(expect.arrayContaining([expect.stringContaining('Error -12'), expect.stringContaining('failed to recover async: error -16')]));
	});

	it('a log that starts mid-cycle with no callback lines (real 5.17 journal): one cycle, failed, its failure lines listed', () => {
		const file = path.join(traces, '19-s3-5.17-journal-bare-kernel-prefix-xhci-ebusy.log');
		const timeline = timelineOf(readFileSync(file, 'utf8'), file);
		expect(timeline.cycles).toHaveLength(1);
		expect(timeline.cycles[0]!.failed).toBe(true);
		expect(timeline.cycles[0]!.failures.map(f => f.line)).toEqual([4, 5, 6, 7]);
	});

	it('2.6–4.x suspend: "Syncing filesystems" before "Preparing system for mem sleep" is one cycle, ended by "Restarting tasks … done." (no exit line)', () => {
		const cycle = (t: number) => [
			`[ ${t}.000000] PM: Syncing filesystems ... done.`,
			`[ ${t}.100000] PM: Preparing system for mem sleep`,
			`[ ${t}.200000] Freezing user space processes ... (elapsed 0.01 seconds) done.`,
			`[ ${t}.300000] calling  0000:00:1d.0+ @ 1822, parent: pci0000:00`,
			`[ ${t}.310000] call 0000:00:1d.0+ returned 0 after 9765 usecs`,
			`[ ${t}.400000] PM: suspend of devices complete after 100.123 msecs`,
			`[ ${t}.500000] PM: Finishing wakeup.`,
			`[ ${t}.600000] Restarting tasks ... done.`,
			`[ ${t}.700000] e1000e: eth0 NIC Link is Up`,
		];
		const timeline = timelineOf([...cycle(100), ...cycle(200)].join('\n'));
		expect(timeline.cycles.map(c => [c.index, c.kind, c.closed, c.startLine, c.endLine, c.callbacks.length])).toEqual([
			[1, 'suspend', true, 1, 8, 1],
			[2, 'suspend', true, 10, 17, 1],
		]);
	});

	it('stamps that go backwards (another CPU\'s printk) and logs without [ts] (journal short-iso, kmsg): kernel µs, no negative bar', () => {
		const backwards = timelineOf(
			[
				'[ 5.000000] PM: suspend entry (deep)',
				'[ 5.200000] nvme 0000:01:00.0: PM: calling pci_pm_suspend+0x0/0x1 @ 5, parent: p',
				'[ 5.100000] nvme 0000:01:00.0: PM: pci_pm_suspend+0x0/0x1 returned 0 after 4000 usecs',
				'[ 5.300000] PM: suspend of devices complete after 4.100 msecs',
			].join('\n'),
		);
		const [cb] = backwards.cycles[0]!.callbacks;
		expect(cb).toMatchObject({usecs: 4000, status: 'ok'});
		expect(cb!.endUs - cb!.startUs).toBe(4000);

		const journal = timelineOf(
			[
				'2024-05-01T10:00:00.000100+02:00 host kernel: PM: suspend entry (s2idle)',
				'2024-05-01T10:00:00.100000+02:00 host kernel: xhci_hcd 0000:00:14.0: PM: calling pci_pm_suspend @ 2301, parent: pci0000:00',
				'2024-05-01T10:00:00.100300+02:00 host systemd-sleep[2301]: returned 0 after 5 usecs is not a kernel line',
				'2024-05-01T10:00:00.180000+02:00 host kernel: xhci_hcd 0000:00:14.0: PM: pci_pm_suspend returned -16 after 79000 usecs',
				'2024-05-01T10:00:00.190000+02:00 host kernel: PM: suspend exit',
			].join('\n'),
		);
		expect(journal.cycles[0]!.callbacks.map(c => [c.driver, c.device, c.callback, c.form, c.rc, c.usecs, c.status])).toEqual([['xhci_hcd', '0000:00:14.0', 'pci_pm_suspend', 'pm-ps', -16, 79_000, 'failed']]);
		expect(journal.returnedLines).toBe(1);

		const kmsg = timelineOf(['6,1001,50262773,-;platform pcspkr: PM: calling platform_pm_freeze+0x0/0x50 @ 1, parent: platform', '6,1002,50263022,-;platform pcspkr: PM: platform_pm_freeze+0x0/0x50 returned 0 after 1 usecs'].join('\n'));
		expect(kmsg.cycles[0]!.callbacks[0]).toMatchObject({device: 'pcspkr', usecs: 1, startUs: 50_262_773});
	});

	it('compare cycles: the phase and the device that changed between the fastest and the slowest cycle', () => {
		const cycle = (entry: number, us: number) => [
			`[ ${entry}.000000] PM: suspend entry (deep)`,
			`[ ${entry}.100000] nvme 0000:01:00.0: PM: calling pci_pm_suspend+0x0/0x1 @ 5, parent: p`,
			`[ ${entry}.200000] nvme 0000:01:00.0: PM: pci_pm_suspend+0x0/0x1 returned 0 after ${us} usecs`,
			`[ ${entry}.200100] pci 0000:00:01.0: PM: calling pci_pm_suspend+0x0/0x1 @ 5, parent: p`,
			`[ ${entry}.200200] pci 0000:00:01.0: PM: pci_pm_suspend+0x0/0x1 returned 0 after 10 usecs`,
			`[ ${entry}.300000] PM: suspend of devices complete after ${((us + 10) / 1000).toFixed(3)} msecs`,
			`[ ${entry}.400000] PM: suspend exit`,
		];
		const timeline = timelineOf([...cycle(10, 1000), ...cycle(20, 90_000), ...cycle(30, 2000)].join('\n'));
		const comparison = compareCycles(timeline)!;
		expect([comparison.fastest, comparison.slowest]).toEqual([1, 2]);
		expect(comparison.phases[0]).toMatchObject({phase: 'suspend', deltaUsecs: 89_000});
		expect(comparison.devices[0]).toMatchObject({driver: 'nvme', device: '0000:01:00.0', fastestUsecs: 1000, slowestUsecs: 90_000});
	});

	it('the recogniser and the callback parser agree on which 6.1 lines are device callbacks', () => {
		const text = readFileSync(path.join(traces, realLogs[0]!), 'utf8');
		for (const event of parseLogText(text, 'x').events) {
			const ours = parseCallbackLine(event.text);
			if (ours && ours.driver.includes(' ')) continue; // The recogniser takes one word for the driver.
			if (ours) expect(recognise(event.text)?.type).toBe('device-callback');
		}
	});
});

describe('a simulated run with pm_print_times on has the same timeline', () => {
	it.each(['default', 'device-freeze-error', 'device-noirq-error'])('%s: every returned line matched, the kernel µs kept, phases named, the failing device marked', name => {
		const sim = simulateText(`extends: ${name}\nlog: {pmPrintTimes: true, pmDebugMessages: true}\n`);
		const lines = logs(sim.timeline).map(e => e.text);
		const returned = lines.map(l => / returned (-?\d+) after (\d+) usecs$/.exec(l)).filter(m => m !== null);
		expect(returned.length).toBeGreaterThan(5);
		const timeline = deviceTimeline(sim.timeline);
		const callbacks = timeline.cycles.flatMap(c => c.callbacks);
		expect(callbacks).toHaveLength(returned.length);
		expect(callbacks.every(c => c.returnLine !== undefined && c.line < c.returnLine)).toBe(true);
		expect(callbacks.map(c => c.usecs).sort((a, b) => a! - b!)).toEqual(returned.map(m => Number(m[2])).sort((a, b) => a - b));
		expect(callbacks.filter(c => c.rc !== 0).length).toBe(returned.filter(m => m[1] !== '0').length);
		const phases = new Set(callbacks.map(c => c.phase));
		expect(phases.has('freeze')).toBe(true);
		if (name !== 'default') {
			expect(timeline.cycles[0]!.failed).toBe(true);
			expect(rankCallbacks(timeline.cycles[0]!.callbacks)[0]!.status).toBe('failed');
		}
	});
});

describe('garbage never breaks the timeline', () => {
	const valid = fc.constantFrom(
		'[ 1.000000] PM: suspend entry (deep)',
		'[ 1.100000] nvme 0000:01:00.0: PM: calling pci_pm_suspend+0x0/0x1 @ 5, parent: p',
		'[ 1.200000] nvme 0000:01:00.0: PM: pci_pm_suspend+0x0/0x1 returned 0 after 17 usecs',
		'[ 1.200000] nvme 0000:01:00.0: PM: pci_pm_suspend+0x0/0x1 returned -5 after 3 usecs',
		'[ 1.300000] PM: suspend of devices complete after 1.000 msecs',
		'[ 1.400000] Restarting tasks ... done.',
		'[ 1.500000] PM: suspend exit',
		'call 0000:00:1d.0+ returned 0 after 9 usecs',
		'PM: freeze of drv:sd dev:0:0:0:0 complete after 2.829 msecs',
	);
	it('any mix of callback lines and junk: no throw, every returned line counted once, durations never negative', () => {
		fc.assert(
			fc.property(fc.array(fc.oneof(valid, fc.string(), fc.stringMatching(/^\[ *\d{1,5}\.\d{6}\] .{0,40}$/)), {maxLength: 60}), lines => {
				const text = lines.join('\n');
				const timeline = timelineOf(text);
				const returned = parseLogText(text, 'x').events.filter(e => {
					const p = parseCallbackLine(e.text);
					return p !== undefined && p.kind !== 'calling';
				}).length;
				expect(timeline.returnedLines).toBe(returned);
				const callbacks = timeline.cycles.flatMap(c => c.callbacks);
				expect(callbacks.filter(c => c.usecs !== undefined).length).toBe(returned);
				for (const c of callbacks) expect(c.endUs).toBeGreaterThanOrEqual(c.startUs);
				for (const c of callbacks) expect(c.usecs === undefined || c.usecs >= 0).toBe(true);
				expect(() => devicesText(timeline, {top: 3})).not.toThrow();
			}),
			{numRuns: 300},
		);
	});
});

describe('bounded memory: keeping only the slowest callbacks of each phase', () => {
	it('--devices text is the same from a builder that keeps all and one that keeps the top N (and every failure); the streamed cycles hold all', () => {
		const file = path.join(traces, realLogs[1]!);
		const {events} = parseLogText(readFileSync(file, 'utf8') + '[   99.000000] Freezing user space processes\n[   99.100000] x y: PM: calling z_suspend+0x0/0x1 @ 1, parent: p\n[   99.200000] a b: PM: calling c_suspend+0x0/0x1 @ 1, parent: p\n[   99.300000] a b: PM: c_suspend+0x0/0x1 returned -5 after 10 usecs\n', file);
		const full = new DeviceTimelineBuilder();
		const streamed: CycleTimeline[] = [];
		const small = new DeviceTimelineBuilder({keepText: false, top: 2, onCycle: c => streamed.push({...c, callbacks: [...c.callbacks]})});
		for (const e of events) {
			full.push(e);
			small.push(e);
		}

		const a = full.finish();
		const b = small.finish();
		expect(devicesText(b, {top: 2})).toBe(devicesText(a, {top: 2}));
		expect(b.cycles.map(c => c.callbacks.length)).toEqual([4 * 2, 2]); // four phases with callbacks (freeze, noirq freeze, noirq thaw, thaw), two kept each; the cut cycle keeps its failed and unfinished ones
		expect(b.cycles.map(c => c.callbackCount)).toEqual(a.cycles.map(c => c.callbacks.length));
		expect(streamed.map(c => c.callbacks.length)).toEqual(a.cycles.map(c => c.callbacks.length));
		expect(b.cycles[1]!.callbacks.map(c => c.status)).toEqual(['unfinished', 'failed']);
	});
});
