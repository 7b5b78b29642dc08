import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {parseLogText} from '../source/trace/log-parser.js';

const kernelLine = fc.oneof(
	fc.constantFrom(
		'[ 7316.402113] Freezing user space processes ... (elapsed 0.003 seconds) done.',
		'<6>[   41.788282] Freezing user space processes',
		'6,406,41788282,-;Freezing user space processes completed (elapsed 0.000 seconds)',
		' SUBSYSTEM=acpi',
		'Jul  7 10:00:00 host kernel: [  123.456789] PM: suspend entry (deep)',
		'Jun 11 21:16:14 host systemd[1]: Starting System Suspend...',
		'2023-06-11T21:16:08+0200 host kernel: OOM killer disabled.',
		'[ 9727.984200] kernel: PM: suspend entry (deep)',
		'[Mi Jan 30 19:16:41 2019] Freezing remaining freezable tasks ...',
		'> [Mi Jan 30 19:16:41 2019] Suspending console(s) (use no_console_suspend',
		'to debug)',
		'kernel: PM: dpm_run_callback(): pci_pm_suspend+0x0/0x160 returns -16',
		'\t\t[   95.695175][ T1849] PM: suspend entry (deep)',
		'Lit[  113.567994] Enabling non-boot CPUs ...',
		'[    0.000000] Linux version 6.1.0',
		'',
		'\r',
	),
	fc.string({maxLength: 120}),
	fc.string({unit: 'binary', maxLength: 80}),
	fc.string({unit: fc.constantFrom('[', ']', ' ', '.', '0', '9', '<', '>', ',', ';', ':', '\t', 'k'), maxLength: 40}),
);

describe('the log parser against garbage', () => {
	it('never throws, keeps every non-blank line, and time never runs backwards', () => {
		fc.assert(
			fc.property(fc.array(kernelLine, {maxLength: 60}), lines => {
				const text = lines.map(l => l.replaceAll('\n', ' ')).join('\n');
				const {events} = parseLogText(text, 'garbage.log');
				const covered = new Set<number>();
				for (const e of events) for (let l = e.source!.line; l <= (e.source!.endLine ?? e.source!.line); l++) covered.add(l);
				text.split('\n').forEach((line, i) => {
					if (line.replace(/^(?:> ?)+/, '').trim() !== '') expect(covered.has(i + 1)).toBe(true);
				});
				for (let i = 1; i < events.length; i++) expect(events[i]!.t).toBeGreaterThanOrEqual(events[i - 1]!.t);
			}),
			{numRuns: 300},
		);
	});

	it('mutated real lines (cut, doubled, spliced) never throw', () => {
		const real = '[ 7316.402113] Freezing user space processes ... (elapsed 0.003 seconds) done.';
		fc.assert(
			fc.property(fc.nat(real.length), fc.nat(real.length), fc.string({maxLength: 8}), (a, b, insert) => {
				const mutated = real.slice(0, a) + insert + real.slice(b);
				expect(() => parseLogText(`${mutated}\n${real}\n${mutated}${real}`, 'm.log')).not.toThrow();
			}),
			{numRuns: 300},
		);
	});

	it('warns with file and line for binary data and overlong lines, and goes on', () => {
		const {events, warnings} = parseLogText(`[    1.000000] ok\n\u0000\u0001\u0002garbage\n${'x'.repeat(70_000)}\n[    2.000000] still here`, 'bad.log');
		expect(warnings.map(w => `${w.file}:${w.line}`)).toEqual(['bad.log:2', 'bad.log:3']);
		expect(events.at(-1)?.text).toBe('still here');
		expect(events[1]?.text).toBe('\\x00\\x01\\x02garbage');
	});

	it('reads CRLF logs', () => {
		const {events} = parseLogText('[    1.000000] PM: suspend entry (deep)\r\n[    1.100000] PM: suspend exit\r\n', 'crlf.log');
		expect(events.map(e => e.text)).toEqual(['PM: suspend entry (deep)', 'PM: suspend exit']);
	});

	it('places a new boot after the previous one', () => {
		const {events} = parseLogText('[  500.000000] a\n[    0.000000] Linux version\n[    1.000000] b', 'boots.log');
		expect(events.map(e => e.t)).toEqual([500_000_000, 500_000_000, 501_000_000]);
		expect(events.map(e => e.stamp)).toEqual([500_000_000, 0, 1_000_000]);
	});
});

/**
 * Issue 11's input oddities: none may merge, split or lose a line. Each
 * case lists the lines and the events they must give, one per line.
 */
describe('input oddities: one event per line, none merged, split or lost', () => {
	const one = (text: string) => {
		const {events, warnings} = parseLogText(text, 'odd.log');
		const lines = text.split('\n').filter(l => l !== '');
		expect(events, 'one event per line').toHaveLength(lines.length);
		events.forEach((e, i) => expect(e.source).toEqual({file: 'odd.log', line: i + 1}));
		for (let i = 1; i < events.length; i++) expect(events[i]!.t).toBeGreaterThanOrEqual(events[i - 1]!.t);
		return {events, warnings};
	};

	it('user-space lines between kernel lines (syslog, journal, systemd console status, a shell prompt)', () => {
		const {events} = one(
			[
				'Jun 11 21:16:08 host kernel: [  100.000000] Freezing user space processes',
				'Jun 11 21:16:08 host systemd-sleep[4242]: Entering sleep state \'suspend\'...',
				'[  OK  ] Reached target Sleep.',
				'Jun 11 21:16:08 host kernel: [  100.001000] Freezing user space processes completed (elapsed 0.001 seconds)',
				'# echo mem > /sys/power/state',
				'Jun 11 21:16:09 host kernel: [  100.002000] OOM killer disabled.',
			].join('\n'),
		);
		expect(events.map(e => [e.origin, e.ident, e.text])).toEqual([
			['kernel', undefined, 'Freezing user space processes'],
			['userspace', 'systemd-sleep', 'Entering sleep state \'suspend\'...'],
			['unknown', undefined, '[  OK  ] Reached target Sleep.'],
			['kernel', undefined, 'Freezing user space processes completed (elapsed 0.001 seconds)'],
			['unknown', undefined, '# echo mem > /sys/power/state'],
			['kernel', undefined, 'OOM killer disabled.'],
		]);
		expect(events.map(e => e.stamp)).toEqual([100_000_000, undefined, undefined, 100_001_000, undefined, 100_002_000]);
	});

	it('untimestamped serial-console output between stamped lines: each its own record', () => {
		const {events} = one(
			[
				'[  200.000000] PM: suspend entry (deep)',
				'Filesystems sync: 0.007 seconds',
				'Freezing user space processes',
				'Freezing user space processes completed (elapsed 0.001 seconds)',
				'NOTICE:  BL31: v2.6(release):v2.6',
				'[  200.100000] PM: suspend exit',
			].join('\n'),
		);
		expect(events.map(e => e.text)).toEqual([
			'PM: suspend entry (deep)',
			'Filesystems sync: 0.007 seconds',
			'Freezing user space processes',
			'Freezing user space processes completed (elapsed 0.001 seconds)',
			'NOTICE:  BL31: v2.6(release):v2.6',
			'PM: suspend exit',
		]);
		// A stamped line followed by a complete untimestamped message: not joined.
		const two = one('[  1.000000] Freezing user space processes\nFreezing user space processes completed (elapsed 0.001 seconds)\n');
		expect(two.events.map(e => e.text)).toEqual(['Freezing user space processes', 'Freezing user space processes completed (elapsed 0.001 seconds)']);
	});

	it('dmesg -r: <N> is facility × 8 + level, multi-digit priorities included', () => {
		const {events} = one(
			[
				'<6>[    5.000000] PM: suspend entry (deep)',
				'<12>[    5.000100] systemd[1]: Started Journal Service.',
				'<30>[    5.000200] systemd-logind[611]: Suspending...',
				'<4>[    5.000300] ACPI: EC: interrupt blocked',
				'<3>PM: Some devices failed to suspend, or early wake event detected',
				'<191>[    5.000400] custom[9]: local7 debug',
			].join('\n'),
		);
		expect(events.map(e => [e.level, e.origin, e.ident ?? null, e.text])).toEqual([
			[6, 'kernel', null, 'PM: suspend entry (deep)'],
			[4, 'userspace', 'systemd', 'systemd[1]: Started Journal Service.'],
			[6, 'userspace', 'systemd-logind', 'systemd-logind[611]: Suspending...'],
			[4, 'kernel', null, 'ACPI: EC: interrupt blocked'],
			[3, 'kernel', null, 'PM: Some devices failed to suspend, or early wake event detected'],
			[7, 'userspace', 'custom', 'custom[9]: local7 debug'],
		]);
		// The same in /dev/kmsg records.
		const kmsg = one('12,100,5000100,-;systemd[1]: Started Journal Service.\n6,101,5000200,-;PM: suspend exit\n');
		expect(kmsg.events.map(e => [e.level, e.origin, e.stamp])).toEqual([
			[4, 'userspace', 5_000_100],
			[6, 'kernel', 5_000_200],
		]);
	});

	it('device names of three words stay in their line, whole', () => {
		const lines = [
			'[   61.000000] i8042 kbd 00:00: PM: failed to suspend: error -16',
			'[   61.000100] PM: Device i8042 kbd 00:00 failed to suspend: error -16',
			'[   61.000200] i8042 aux 00:01: PM: calling pnp_bus_suspend+0x0/0x20 @ 1234, parent: pnp0',
			'[   61.000300] PM: Some devices failed to suspend, or early wake event detected',
		];
		const {events} = one(lines.join('\n'));
		expect(events.map(e => e.text)).toEqual(lines.map(l => l.slice(15)));
	});

	it.each([
		['de_DE', ['[Mi Jan 30 19:16:41 2019] PM: suspend entry (deep)', '[Mi Jan 30 19:16:42 2019] PM: suspend exit']],
		['zh_CN', ['[四 1月 30 19:16:41 2019] PM: suspend entry (deep)', '[四 1月 30 19:16:42 2019] PM: suspend exit']],
		['ja_JP', ['[木  1月 30 19:16:41 2019] PM: suspend entry (deep)', '[木  1月 30 19:16:42 2019] PM: suspend exit']],
		['ko_KR', ['[목  1월 30 19:16:41 2019] PM: suspend entry (deep)', '[목  1월 30 19:16:42 2019] PM: suspend exit']],
		['fr_FR', ['[mer. janv. 30 19:16:41 2019] PM: suspend entry (deep)', '[mer. janv. 30 19:16:42 2019] PM: suspend exit']],
		['ru_RU', ['[Ср янв 30 19:16:41 2019] PM: suspend entry (deep)', '[Ср янв 30 19:16:42 2019] PM: suspend exit']],
		['C, day < 10', ['[Wed Jan  9 23:59:59 2019] PM: suspend entry (deep)', '[Thu Jan 10 00:00:01 2019] PM: suspend exit']],
		['iso', ['2019-01-30T19:16:41,000000+01:00 PM: suspend entry (deep)', '2019-01-30T19:16:42,000000+01:00 PM: suspend exit']],
	])('dmesg -T in the %s locale: the date is the prefix, the message whole, seconds apart', (_locale, lines) => {
		const {events} = one(lines.join('\n'));
		expect(events.map(e => [e.origin, e.text])).toEqual([
			['kernel', 'PM: suspend entry (deep)'],
			['kernel', 'PM: suspend exit'],
		]);
		expect(events[1]!.t - events[0]!.t).toBe(_locale.startsWith('C,') ? 2_000_000 : 1_000_000);
	});

	it('journal lines with truncated or missing date fields', () => {
		const {events} = one(
			[
				'Jun 11 21:16:14 host kernel: PM: suspend entry (deep)',
				'Jun 11 21:16 host kernel: Filesystems sync: 0.007 seconds',
				'Jun 11 21:16:15 kernel: Freezing user space processes',
				'11 21:16:15 host kernel: Freezing user space processes completed (elapsed 0.001 seconds)',
				'21:16:15 host kernel: OOM killer disabled.',
				'host kernel: Freezing remaining freezable tasks',
				'Wed 2023-06-11 21:16:16 CEST host kernel: Freezing remaining freezable tasks completed (elapsed 0.001 seconds)',
				'2023-06-11T21:16:16+0200 host systemd-sleep.service[77]: sleeping',
				'-- Boot 0a1b2c3d4e5f --',
			].join('\n'),
		);
		expect(events.map(e => [e.origin, e.text])).toEqual([
			['kernel', 'PM: suspend entry (deep)'],
			['kernel', 'Filesystems sync: 0.007 seconds'],
			['kernel', 'Freezing user space processes'],
			['kernel', 'Freezing user space processes completed (elapsed 0.001 seconds)'],
			['kernel', 'OOM killer disabled.'],
			['kernel', 'Freezing remaining freezable tasks'],
			['kernel', 'Freezing remaining freezable tasks completed (elapsed 0.001 seconds)'],
			['userspace', 'sleeping'],
			['unknown', '-- Boot 0a1b2c3d4e5f --'],
		]);
	});

	it('a property: interleaving user-space and console lines never changes the kernel records', () => {
		const kernel = ['[   10.000000] PM: suspend entry (deep)', '[   10.000100] Freezing user space processes', '[   10.000200] Freezing user space processes completed (elapsed 0.001 seconds)', '[   10.000300] PM: suspend exit'];
		const noise = fc.constantFrom('Jun 11 21:16:08 host systemd[1]: Starting System Suspend...', '[  OK  ] Stopped target Sleep.', 'NOTICE:  BL31: v2.6', '<12>[   10.000150] systemd[1]: hi', 'random console text', 'kernel: PM: suspend exit');
		fc.assert(
			fc.property(fc.array(fc.tuple(fc.nat(kernel.length), noise), {maxLength: 8}), inserts => {
				const lines = [...kernel];
				for (const [at, line] of inserts.sort((a, b) => b[0] - a[0])) lines.splice(at, 0, line);
				const {events} = parseLogText(lines.join('\n'), 'p.log');
				expect(events).toHaveLength(lines.length);
				expect(events.filter(e => e.stamp !== undefined && e.origin === 'kernel').map(e => e.text)).toEqual(kernel.map(l => l.slice(15)));
			}),
			{numRuns: 200},
		);
	});
});

describe('text before a glued stamp', () => {
	// Found by the property test (seed -1054150697): the "e" before "[  300.176051]" was joined to the previous
	// message as if it were a wrapped line, and line 2 was claimed by two records.
	it('is a record of its own, never the wrapped tail of the line before', () => {
		const {events} = parseLogText('[   84.580285] nfit_test nfit_test.0: PM: platform_pm_thaw+0x0/0x40 returned 0 after 0 usecs\ne[  300.176051] rcu_torture_fwd_prog_cr Duration 39\n', 'glued.log');
		expect(events.map(e => (e.kind === 'log' ? [e.text, e.source?.line, e.source?.endLine] : []))).toEqual([
			['nfit_test nfit_test.0: PM: platform_pm_thaw+0x0/0x40 returned 0 after 0 usecs', 1, undefined],
			['e', 2, undefined],
			['rcu_torture_fwd_prog_cr Duration 39', 2, undefined],
		]);
	});
});
