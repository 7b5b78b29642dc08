/**
 * Every real trace in fixtures/traces parses, nothing is dropped, every
 * PM / freezer / device-PM / ACPI-sleep / nvdimm line is classified, and each
 * file shows the cycles and failures a human reading it finds. Expectations
 * below were written from reading the logs (and SOURCES.md), not from
 * running the parser.
 */
import {readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import type {LogEvent} from '../source/events.js';
import {recognise} from '../source/kernel/recognise.js';
import {fixturesDir} from '../source/paths.js';
import {lostText} from './helpers/lost-text.js';
import {cycleDocument} from '../source/monitor/summary-document.js';
import {allCycles, phaseStatus, replay} from './helpers/replay.js';

const docs = (state: Parameters<typeof allCycles>[0]) => allCycles(state).map((c, i) => cycleDocument(c, i + 1));

const traces = fixturesDir('traces');
const file = (name: string) => path.join(traces, name);

function listFiles(dir: string): string[] {
	return readdirSync(dir).flatMap(name => {
		const full = path.join(dir, name);
		if (statSync(full).isDirectory()) return listFiles(full);
		return /\.(log|txt|json|tsv)$/.test(name) && name !== 'SOURCES.md' ? [full] : [];
	});
}

describe('every trace file parses', () => {
	// Empty files hold nothing to parse (a capture's "skipped" list when no attribute was unreadable); a
	// skipped list names files that could not be read, so it gives no values (test/sysfs-dump-layouts.test.ts).
	it.each(listFiles(traces).filter(f => statSync(f).size > 0 && !/-skipped\.tsv$/.test(f)).map(f => path.relative(traces, f)))('%s', async name => {
		const {events} = await replay(file(name));
		expect(events.length).toBeGreaterThan(0);
	});
});

describe('nothing is dropped from a log', () => {
	const logs = listFiles(traces).filter(f => /\.(log)$/.test(f) || /kmsg/.test(f));
	it.each(logs.map(f => path.relative(traces, f)))('%s: every line\'s text is in its event', async name => {
		const {events} = await replay(file(name));
		const lines = readFileSync(file(name), 'utf8').split('\n');
		if (lines.at(-1) === '') lines.pop();
		expect(lostText(lines, events)).toEqual([]);
	});

	it('the check itself fails when a line\'s text is swallowed, cut, or moved', () => {
		const lines = ['[    1.000000] PM: suspend entry (deep)', 'Lit', 'Jan  1 00:00:01 host kernel: [    2.000000] Freezing user space processes'];
		const ok: LogEvent[] = [
			{kind: 'log', t: 1, text: 'PM: suspend entry (deep)', source: {file: 'f', line: 1}},
			{kind: 'log', t: 1, text: 'Lit', source: {file: 'f', line: 2}},
			{kind: 'log', t: 2, text: 'Freezing user space processes', source: {file: 'f', line: 3}},
		];
		expect(lostText(lines, ok)).toEqual([]);
		const lostAt = (events: LogEvent[]) => [...new Set(lostText(lines, events).map(p => Number(p.split(':')[0])))];
		expect(lostAt(ok.map((e, i) => (i === 1 ? {...e, text: ''} : e)))).toEqual([2]);
		expect(lostAt(ok.map((e, i) => (i === 0 ? {...e, text: 'PM: suspend entry'} : e)))).toEqual([1]);
		expect(lostAt(ok.map((e, i) => (i === 2 ? {...e, text: 'Freezing user space'} : e)))).toEqual([3]);
		expect(lostAt(ok.map((e, i) => (i === 2 ? {...e, text: 'processes'} : e)))).toEqual([3]);
		expect(lostAt(ok.slice(0, 2))).toEqual([3]);
	});
});

/**
 * What a person grepping a log for PM trouble looks at, and the signal each
 * printk must give — written from the kernel's format strings (kernel.md §5,
 * drivers/base/power/main.c, kernel/power/process.c), not from recognise().
 * The first row a message matches decides; `check` reads the numbers back
 * out of the line itself.
 */
type Expectation = {line: RegExp; type: string; check?: (m: RegExpExecArray, signal: Record<string, unknown>) => void};
const pmExpectations: Expectation[] = [
	{line: /^Freezing (user space processes|remaining freezable tasks) (?:\.\.\. ?\(elapsed|completed \(elapsed) (\d+)\.(\d{3}) seconds\)/, type: 'freeze-done', check: (m, s) => expect(s).toMatchObject({what: m[1]!.startsWith('user') ? 'user' : 'kernel', elapsedMs: Number(m[2]) * 1000 + Number(m[3])})},
	{line: /^Freezing (?:user space processes|remaining freezable tasks|of tasks) (failed|aborted) after (\d+)\.(\d{3})\d* seconds \((\d+) tasks refusing/, type: 'freeze-failed', check: (m, s) => expect(s).toMatchObject({aborted: m[1] === 'aborted', elapsedMs: Number(m[2]) * 1000 + Number(m[3]), refusing: Number(m[4])})},
	{line: /^Freezing (user space processes|remaining freezable tasks) \.\.\. done\.$/, type: 'freeze-done', check: (m, s) => expect(s['what']).toBe(m[1]!.startsWith('user') ? 'user' : 'kernel')},
	{line: /^Freezing (user space processes|remaining freezable tasks)(?: \.\.\.)? ?$/, type: 'freeze-start', check: (m, s) => expect(s['what']).toBe(m[1]!.startsWith('user') ? 'user' : 'kernel')},
	{line: /^OOM killer (en|dis)abled\.$/, type: 'oom-killer', check: (m, s) => expect(s['enabled']).toBe(m[1] === 'en')},
	{line: /^Restarting (tasks|kernel threads)(?: \.\.\.|:)/, type: 'restart', check: (m, s) => expect(s['what']).toBe(m[1] === 'tasks' ? 'tasks' : 'kernel')},
	{line: /^(?:printk: )?Suspending console\(s\)/, type: 'console-suspend'},
	{line: /^PM: suspend entry \((\w+)\)$/, type: 'cycle-start', check: (m, s) => expect(s).toMatchObject({kind: 'suspend', detail: m[1]})},
	{line: /^PM: suspend exit$/, type: 'cycle-end', check: (_m, s) => expect(s['kind']).toBe('suspend')},
	{line: /^PM: (?:hibernation: )?hibernation (entry|exit)$/, type: 'cycle', check: (m, s) => expect(s).toMatchObject({type: m[1] === 'entry' ? 'cycle-start' : 'cycle-end', kind: 'hibernate'})},
	{line: /^PM: (?:Syncing filesystems|Filesystems sync)/, type: 'fs-sync'},
	{line: /^Filesystems sync: /, type: 'fs-sync'},
	{line: /^PM: (?:(late|noirq|early|end) )?(\w+) of devices (complete|aborted) after (\d+)\.(\d{3})/, type: 'dpm-phase', check: (m, s) => expect(s).toMatchObject({info: m[1] ?? '', verb: m[2], aborted: m[3] === 'aborted', usecs: Number(m[4]) * 1000 + Number(m[5])})},
	// __suspend_report_result(): pr_err("%s(): %pS returns %d") up to 5.17, then dev_err(dev, …) — device-prefixed.
	{line: /^(?:(\S+ \S+): )?(?:PM: )?(\w+)\(\): (\S+) returns (-?\d+)$/, type: 'callback-error', check: (m, s) => expect(s).toMatchObject({callee: m[3], errno: Number(m[4]), ...(m[1] ? {device: m[1]} : {})})},
	{line: /^(?:(\S+ \S+): PM: failed to|PM: Device (\S+) failed to) (\w+)/, type: 'device-failed', check: (m, s) => expect(s).toMatchObject({verb: m[3]})},
	{line: /not prepared for power transition: code (-?\d+)$/, type: 'device-not-prepared', check: (m, s) => expect(s['errno']).toBe(Number(m[1]))},
	{line: /^(\S+ \S+): (?:PM: )?calling /, type: 'device-callback', check: (m, s) => expect(s).toMatchObject({device: m[1], phase: 'calling'})},
	{line: /^(\S+ \S+): (?:PM: )?\S+ returned (-?\d+) after (\d+) usecs$/, type: 'device-callback', check: (m, s) => expect(s).toMatchObject({device: m[1], phase: 'returned', errno: Number(m[2]), usecs: Number(m[3])})},
	// dpm_suspend()/hibernation_snapshot() report (kernel/power/suspend.c suspend_devices_and_enter, hibernate.c): a failure record naming which.
	{line: /^PM: (?:hibernation: )?Some devices failed to (suspend|power down)/, type: 'failure', check: (m, s) => expect((s['failure'] as {id: string}).id).toBe(m[1] === 'suspend' ? 'devices-failed-to-suspend' : 'devices-failed-to-power-down')},
	{line: /^ACPI: (?:PM: )?(Preparing to enter|Waking up from) system sleep state (S\d)/, type: 'acpi-sleep', check: (m, s) => expect(s).toMatchObject({direction: m[1] === 'Waking up from' ? 'wake' : 'enter', state: m[2]})},
	{line: /^nfit ACPI0012:00: result: (-?\d+)$/, type: 'nfit-result', check: (m, s) => expect(s['rc']).toBe(Number(m[1]))},
	{line: /^(?:nd_pmem \S+|pmem\d+(?:\.\d+)?s?): /, type: 'nvdimm'},
	{line: /^task:(\S+)\s+state:(\S)/, type: 'task-dump', check: (m, s) => expect(s).toMatchObject({comm: m[1], state: m[2]})},
];

/** Device-prefixed lines of kernels newer than any fixture, from the format strings (kernel.md §5.3). */
const devicePrefixed = [
	// 5.18–6.9: dev_err(dev, "%s(): %pS returns %d\n") in __suspend_report_result() (drivers/base/power/main.c)
	'mlx5_core 0000:3b:00.0: PM: dpm_run_callback(): pci_pm_freeze+0x0/0xc0 returns -16',
	// 6.10+: the same with %ps (no offset)
	'xhci_hcd 0000:00:14.0: PM: dpm_run_callback(): pci_pm_suspend returns -110',
	// pm_dev_err(): "<driver> <dev>: PM: failed to <verb><info>: error <n>"
	'mlx5_core 0000:3b:00.0: PM: failed to freeze async: error -16',
	'nvme 0000:5e:00.0: PM: not prepared for power transition: code -11',
	'nvme 0000:5e:00.0: PM: calling pci_pm_freeze+0x0/0xc0 @ 52114, parent: 0000:5d:00.0',
	'nvme 0000:5e:00.0: PM: pci_pm_freeze+0x0/0xc0 returned 0 after 838 usecs',
];

function expectSpecificSignal(text: string): boolean {
	const row = pmExpectations.find(r => r.line.test(text));
	if (!row) return false;
	const signal = recognise(text) as Record<string, unknown> | undefined;
	expect(signal, text).toBeDefined();
	if (row.type !== 'cycle') expect(signal!['type'], text).toBe(row.type);
	row.check?.(row.line.exec(text)!, signal!);
	return true;
}

describe('every power-management line is classified', () => {
	// The broad net: anything a person grepping for PM trouble would look at, device-prefixed lines included.
	const pmLine = /^(?:(?:\S+ \S+: )?PM: (?!hibernation: Registered nosave)|Freezing |Restarting (?:tasks|kernel threads)|OOM killer (?:en|dis)abled|(?:printk: )?Suspending console|ACPI: (?:PM: )?(?:Preparing to enter|Waking up from) system sleep|nd_pmem |pmem\d: |nfit ACPI0012|(?:PM: )?(?:pm_op|dpm_run_callback|pci_pm_\w+|legacy_\w+)\(\))/;
	const logs = listFiles(traces).filter(f => /\.log$/.test(f) || /kmsg/.test(f));
	it.each(logs.map(f => path.relative(traces, f)))('%s: the specific signal, not just any', async name => {
		const {events} = await replay(file(name));
		const unclassified: string[] = [];
		for (const e of events) {
			if (e.kind !== 'log') continue;
			if (expectSpecificSignal(e.text)) continue;
			if (pmLine.test(e.text) && !recognise(e.text)) unclassified.push(e.text);
		}

		expect(unclassified).toEqual([]);
	});

	it('covers the signals an operator acts on in these logs', async () => {
		const seen = new Set<string>();
		for (const f of logs) {
			for (const e of (await replay(f)).events) if (e.kind === 'log') seen.add(pmExpectations.find(r => r.line.test(e.text))?.type ?? '');
		}

		for (const type of ['freeze-done', 'freeze-failed', 'freeze-start', 'oom-killer', 'restart', 'console-suspend', 'cycle-start', 'cycle-end', 'cycle', 'dpm-phase', 'callback-error', 'device-failed', 'acpi-sleep', 'nvdimm', 'task-dump']) {
			expect(seen, type).toContain(type);
		}
	});

	it.each(devicePrefixed)('device-prefixed: %s', text => {
		expect(pmLine.test(text)).toBe(true);
		expect(expectSpecificSignal(text)).toBe(true);
	});
});

describe('per-file expectations', () => {
	it('01: a full 3.17 hibernation: freeze, devices, S4, thaw — all phases ran, but ACPI Exceptions and WARNINGs inside it: failed', async () => {
		const {state} = await replay(file('01-hibernate-3.17-qemu-em28xx-full-cycle.log'));
		const [cycle] = allCycles(state);
		expect(cycle).toMatchObject({kind: 'hibernate', status: 'failed'});
		// Line 24 "ACPI Exception: AE_NOT_FOUND, While evaluating Sleep State [\_S0_]", line 39 the em28xx WARNING,
		// line 168 the restore kernel's firmware_class WARNING, then the restored image's copies at lines 231 and 258.
		expect(cycle!.failures.map(f => f.line)).toEqual([24, 39, 168, 231, 258]);
		expect(cycle!.failures[1]!.text).toMatch(/WARNING: CPU: 2 PID: 2055 at drivers\/media\/usb\/em28xx\/em28xx-cards\.c:3505/);
		expect(state.log).toMatchObject({errors: 2, warnings: 3});
		for (const id of ['freeze-user', 'freeze-kthreads', 'freeze-devices', 'freeze-late-noirq', 'activation', 'thaw-devices', 'thaw-tasks']) expect(phaseStatus(cycle!, id)).toBe('done');
		const devices = cycle!.phases.find(p => p.id === 'freeze-devices')!;
		expect(devices.endUs! - devices.startUs!).toBe(14_358); // "freeze of devices complete after 14.358 msecs"
		// The restore kernel's stamps go back to 2 s, the restored image's back to 107 s: time never runs backwards.
		expect(cycle!.userFrozenToUs! - cycle!.userFrozenFromUs!).toBeLessThan(10_000_000);
	});

	it('03: a 2.6.35 hibernation that fails with ENOMEM, then a device fails to recover with -EBUSY', async () => {
		const {state} = await replay(file('03-hibernate-2.6.35-ubuntu1010-syslog-enomem-recover-ebusy.log'));
		const [cycle] = allCycles(state);
		expect(cycle!.kind).toBe('hibernate');
		expect(cycle!.failure).toMatch(/not enough free memory|-12/);
		// "PM: Not enough free memory" then "PM: Error -12 creating hibernation image" (lines 36, 37), then the failed
		// recover: "pm_op(): pci_pm_thaw+0x0/0x80 returns -16" (line 41) and "PM: Device 0000:00:00.0 failed to recover async" (42), one failure.
		expect(cycle!.failures.map(f => [f.line, f.errno, f.errnoName])).toEqual([[36, -12, 'ENOMEM'], [37, -12, 'ENOMEM'], [41, -16, 'EBUSY']]);
		expect(cycle!.failures[2]!.text).toMatch(/failed to recover async \(pm_op\(\): pci_pm_thaw/);
		expect(cycle!.failures[2]).toMatchObject({device: '0000:00:00.0'});
		expect(state.devices['0000:00:00.0']?.errors.join()).toMatch(/recover async: error -16/);
	});

	it('05: a 3.0 suspend where khubd refuses to freeze for 20 s', async () => {
		const {state} = await replay(file('05-s3-3.0-ubuntu1110-kernlog-freeze-failure-khubd.log'));
		const [cycle] = allCycles(state);
		expect(cycle).toMatchObject({kind: 'suspend', status: 'failed'});
		expect(phaseStatus(cycle!, 'freeze-user')).toBe('done');
		expect(phaseStatus(cycle!, 'freeze-kthreads')).toBe('failed');
		expect(cycle!.refusing.map(t => t.comm)).toEqual(['khubd']);
		expect(phaseStatus(cycle!, 'thaw-tasks')).toBe('unwound');
		// try_to_freeze_tasks() returns -EBUSY.
		expect(cycle!.failures).toMatchObject([{line: 13, errno: -16, errnoName: 'EBUSY'}]);
		expect(docs(state)[0]!.mode).toBe('mem');
	});

	it('07: a 4.x S3 cycle with timestamps that go backwards, kernel threads frozen in 1.335 s', async () => {
		const {events, state} = await replay(file('07-s3-4.x-ubuntu-e1000e-nonmonotonic-timestamps.log'));
		for (let i = 1; i < events.length; i++) expect(events[i]!.t).toBeGreaterThanOrEqual(events[i - 1]!.t);
		const [cycle] = allCycles(state);
		expect(cycle).toMatchObject({kind: 'suspend', status: 'ok'});
		const kthreads = cycle!.phases.find(p => p.id === 'freeze-kthreads')!;
		expect(kthreads.endUs! - kthreads.startUs!).toBe(1_335_000);
		expect(cycle!.phases.find(p => p.id === 'activation')?.detail).toBe('S3');
	});

	it('09: two rtcwake cycles on serial console with firmware lines in between; the second never completes', async () => {
		const {events, state} = await replay(file('09-s3-5.9rc1-arm64-odroidn2-serial-firmware-interleave-oops.log'));
		const cycles = allCycles(state);
		expect(cycles).toHaveLength(2);
		expect(cycles[0]).toMatchObject({kind: 'suspend', detail: 'deep', status: 'ok'});
		// The second resume hits "Unable to handle kernel NULL pointer dereference" (line 176), "Internal error: Oops" (188), and the log ends.
		expect(cycles[1]!.status).toBe('running');
		expect(docs(state)[1]).toMatchObject({status: 'failed', partial: 'end-missing'});
		expect(cycles[1]!.failures.map(f => f.line)).toEqual([176, 188]);
		expect(cycles[1]!.failures[1]!.text).toMatch(/kernel Oops.*Internal error: Oops: 96000004/);
		// The firmware fragment glued to a kernel line is split off and kept.
		expect(events.some(e => e.kind === 'log' && e.text === 'Lit' && e.origin === 'unknown')).toBe(true);
		expect(events.some(e => e.kind === 'log' && e.text === 'Enabling non-boot CPUs ...' && e.origin === 'kernel')).toBe(true);
		// The mail-wrapped freezer line is read as one message.
		expect(events.some(e => e.kind === 'log' && /^Freezing remaining freezable tasks \.\.\. \(elapsed 0\.001 seconds\) done\.$/.test(e.text))).toBe(true);
	});

	it('10: Android 6.1 with caller ids and tab indentation: one deep suspend, split freezer lines', async () => {
		const {events, state} = await replay(file('10-s3-android-am62x-callerid-tab-indented.log'));
		const [cycle] = allCycles(state);
		expect(cycle).toMatchObject({kind: 'suspend', detail: 'deep', status: 'ok'});
		const user = cycle!.phases.find(p => p.id === 'freeze-user')!;
		expect(user.status).toBe('done');
		expect(events.filter(e => e.kind === 'log' && e.origin === 'kernel').length).toBeGreaterThan(20);
	});

	it('13: a journal with systemd lines interleaved: s2idle suspend, user-space lines kept as user-space', async () => {
		const {events, state} = await replay(file('13-s2idle-journalctl-dell-precision5570-split-restarting.log'));
		expect(allCycles(state)[0]).toMatchObject({kind: 'suspend', detail: 's2idle', status: 'ok'});
		expect(events.some(e => e.kind === 'log' && e.origin === 'userspace' && e.ident === 'systemd-sleep')).toBe(true);
	});

	it('14: a 5.6 hibernation cut off while saving the image, with an rcutorture WARNING inside', async () => {
		const {state} = await replay(file('14-hibernate-5.6rc6-arm64-juno-image-saving-warning.log'));
		const [cycle] = allCycles(state);
		expect(cycle).toMatchObject({kind: 'hibernate', status: 'running'});
		expect(phaseStatus(cycle!, 'freeze-user')).toBe('done');
		expect(docs(state)[0]).toMatchObject({status: 'failed', partial: 'end-missing'});
		expect(cycle!.failures).toMatchObject([{line: 53, id: 'kernel-bug'}]);
	});

	it('17: 6.17 journal-monotonic: btrfs refuses to freeze (20.001 s), then a second attempt hangs', async () => {
		const {state} = await replay(file('17-s3-6.17rc5-journalctl-monotonic-btrfs-freeze-failure.log'));
		const cycles = allCycles(state);
		expect(cycles).toHaveLength(2);
		expect(cycles[0]).toMatchObject({kind: 'suspend', detail: 'deep', status: 'failed'});
		expect(cycles[0]!.refusing).toEqual([{comm: 'btrfs', pid: 15_156, state: 'D'}]);
		expect(cycles[0]!.userFrozenToUs! - cycles[0]!.userFrozenFromUs!).toBeGreaterThanOrEqual(20_001_000);
		expect(cycles[1]).toMatchObject({detail: 's2idle', status: 'running'});
		expect(docs(state).map(d => [d.status, d.partial, d.mode])).toEqual([['failed', null, 'deep'], ['incomplete', 'end-missing', 's2idle']]);
	});

	it('19: 5.17 without timestamps: xhci_hcd fails to suspend with -16', async () => {
		const {state} = await replay(file('19-s3-5.17-journal-bare-kernel-prefix-xhci-ebusy.log'));
		const [cycle] = allCycles(state);
		expect(phaseStatus(cycle!, 'freeze-devices')).toBe('failed');
		expect(state.devices['xhci_hcd 0000:00:14.0']?.errors).toContain('failed to suspend async: error -16');
		// The file starts at "Freezing remaining freezable tasks": the cycle began before it.
		expect(docs(state)[0]).toMatchObject({kind: 'suspend', status: 'failed', partial: 'start-missing'});
		expect(cycle!.failures[0]).toMatchObject({errno: -16, errnoName: 'EBUSY', device: 'xhci_hcd 0000:00:14.0'});
	});

	it('22: German dmesg -T, e-mail quoted and wrapped: a complete deep S3 cycle', async () => {
		const {state} = await replay(file('22-dmesg-T-de_DE-4.19-email-quoted-wrapped.log'));
		const [cycle] = allCycles(state);
		expect(cycle).toMatchObject({kind: 'suspend', detail: 'deep', status: 'ok'});
		expect(phaseStatus(cycle!, 'activation')).toBe('done');
		expect(phaseStatus(cycle!, 'freeze-kthreads')).toBe('done');
	});

	it('40: a boot log with pmem namespaces: no cycle, the nvdimm lines are recognised', async () => {
		const {events, state} = await replay(file('40-nvdimm-dmesg-5.7rc4-memmap-pmem-elided.log'));
		expect(allCycles(state)).toEqual([]);
		const nvdimm = events.filter(e => e.kind === 'log' && recognise(e.text)?.type === 'nvdimm');
		expect(nvdimm.length).toBe(4);
	});

	it('30: /sys/power as grep prints it', async () => {
		const {state} = await replay(file('30-sys-power-grep-all-dell-precision5570.txt'));
		expect(state.power).toMatchObject({mem_sleep: '[s2idle]', pm_freeze_timeout: '20000', state: 'freeze mem disk'});
	});

	it('33: a virtio-pmem bus: no DIMM objects, no firmware activation', async () => {
		const {state} = await replay(file('33-sys-bus-nd-devices-ls-virtio-pmem.txt'));
		expect(state.bus).toMatchObject({present: true, name: 'ndbus0'});
		expect(state.bus.capability).toBeUndefined();
		expect(state.dimms).toEqual({});
	});

	it('44, 46, 47: ndctl output from nfit_test, including the cut-off and the -u variants', async () => {
		expect((await replay(file('44-ndctl-list-BF-nfit_test-firmware-activate.json'))).state.bus).toMatchObject({name: 'ndbus2', capability: 'quiesce', activate: 'idle'});
		const cut = await replay(file('46-ndctl-list-BDF-nfit_test-fwa-cover-letter-truncated.txt'));
		expect(cut.state.bus).toMatchObject({capability: 'quiesce', activate: 'idle'});
		expect(cut.state.dimms['nmem1']).toMatchObject({current: '0'});
		expect(cut.warnings.map(w => w.message).join()).toMatch(/not valid JSON/);
		expect((await replay(file('47-ndctl-list-DFu-nmem1-human-strings.json'))).state.dimms['nmem1']).toMatchObject({current: '0', next: null});
	});

	it('qemu-6.1 folder: two hibernation test cycles, a bus without firmware activation, two DIMMs', async () => {
		const {state, warnings} = await replay(file('qemu-6.1'));
		const cycles = allCycles(state);
		expect(cycles.map(c => [c.kind, c.status])).toEqual([['hibernate', 'ok'], ['hibernate', 'ok']]);
		// "PM: hibernation: debug: Waiting for 5 seconds." right after freezing, then after the devices froze.
		expect(cycles.map(c => c.pmTest)).toEqual(['freezer', 'devices']);
		expect(docs(state)[0]!.phases.find(p => p.id === 'activation')?.label).toMatch(/pm_test debug wait \(freezer\)/);
		expect(docs(state).map(d => d.mode)).toEqual(['platform', 'platform']);
		expect(phaseStatus(cycles[1]!, 'freeze-devices')).toBe('done'); // pm_test=devices
		expect(phaseStatus(cycles[0]!, 'freeze-devices')).toBe('skipped'); // pm_test=freezer
		expect(state.bus).toMatchObject({present: true, name: 'ndbus0'});
		expect(state.bus.capability).toBeUndefined();
		expect(Object.keys(state.dimms).sort()).toEqual(['nmem0', 'nmem1']);
		expect(warnings.some(w => /another kernel log/.test(w.message))).toBe(true);
	});

	it('qemu-6.1 /dev/kmsg: levels and stamps from the record prefix; the first cycle', async () => {
		const {events, state} = await replay(file('qemu-6.1/kmsg-6.1-boot-hibernate-pm_test-freezer.txt'));
		const freezing = events.find(e => e.kind === 'log' && e.text === 'Freezing user space processes');
		expect(freezing).toMatchObject({level: 6, stamp: 41_788_282});
		expect(allCycles(state)[0]).toMatchObject({kind: 'hibernate', status: 'ok'});
	});
});
