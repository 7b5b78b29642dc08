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
