/**
 * The recogniser's shortcuts (rules skipped by a message's first character; the last message
 * remembered) give exactly what trying every rule in turn gives: on every line of every fixture
 * log, and on generated lines built from the rules' own words.
 */
import {readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {firstCharOf, literalPrefixOf, recognise, recogniseTryingEveryRule} from '../source/kernel/recognise.js';

function files(dir: string): string[] {
	return readdirSync(dir).flatMap(name => {
		const file = path.join(dir, name);
		return statSync(file).isDirectory() ? files(file) : /\.(log|txt)$/.test(name) ? [file] : [];
	});
}

/** The message part of a log line (after a printk stamp, a syslog/journal prefix), roughly. */
function message(line: string): string {
	return line.replace(/^<\d+>/, '').replace(/^\[[^\]]*\]\s*/, '').replace(/^.*? kernel: /, '');
}

describe('recognise: first-character dispatch', () => {
	it('knows which patterns must begin with one character', () => {
		expect(firstCharOf(/^PM: suspend exit$/)).toBe('P');
		expect(firstCharOf(/^(?:PM: )?suspend/)).toBeUndefined();
		expect(firstCharOf(/^Linux version|^Booting/)).toBeUndefined();
		expect(firstCharOf(/^P?M/)).toBeUndefined();
		expect(firstCharOf(/^[PQ]M/)).toBeUndefined();
		expect(firstCharOf(/^pm/i)).toBeUndefined();
		expect(firstCharOf(/^ACPI (?:BIOS )?(Error|Warning)/)).toBe('A');
	});

	it('knows the literal text every match begins with', () => {
		expect(literalPrefixOf(/^PM: suspend exit$/)).toBe('PM: suspend exit');
		expect(literalPrefixOf(/^PM: (?:hibernation: )?hibernation entry$/)).toBe('PM: ');
		expect(literalPrefixOf(/^PM: Syncing filesystems \.\.\. ?(done\.)?$/)).toBe('PM: Syncing filesystems ...');
		expect(literalPrefixOf(/^Filesystems sync: \d+\.\d+ seconds$/)).toBe('Filesystems sync: ');
		expect(literalPrefixOf(/^BUG: /)).toBe('BUG: ');
		expect(literalPrefixOf(/^ab?c/)).toBe('a');
		expect(literalPrefixOf(/^ab*c/)).toBe('a');
		expect(literalPrefixOf(/^ab{2}c/)).toBe('a');
		expect(literalPrefixOf(/^ab+c/)).toBe('ab');
		expect(literalPrefixOf(/^a\(b\)\sc/)).toBe('a(b)');
		expect(literalPrefixOf(/^(?:PM: )?suspend/)).toBe('');
		expect(literalPrefixOf(/^Linux version|^Booting/)).toBe('');
		expect(literalPrefixOf(/^pm: x/i)).toBe('');
	});

	it('agrees with trying every rule on every fixture line', () => {
		let recognised = 0;
		for (const file of files(path.join(import.meta.dirname, '..', 'fixtures', 'traces'))) {
			for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
				for (const text of [line, message(line), message(line).trim()]) {
					const expected = recogniseTryingEveryRule(text);
					expect(recognise(text), `${file}: ${text}`).toEqual(expected);
					if (expected) recognised++;
				}
			}
		}

		expect(recognised).toBeGreaterThan(1000);
	});

	it('agrees with trying every rule on lines made of the rules\' words', () => {
		const words = ['PM: ', 'Freezing ', 'user space processes', ' completed (elapsed 0.001 seconds)', 'calling ', ' returned 0 after 12 usecs', ': ', 'platform serial8250: ', 'pci_pm_suspend+0x0/0x160', ' @ 12, parent: pci0000:00', 'ACPI ', 'Error', 'WARNING: CPU: 1 PID: 2 at ', 'Restarting tasks ... done.', 'suspend entry (deep)', 'hibernation: ', 'returns -16', 'failed to suspend async: error -16', 'task:', 'Oops', 'BUG: ', 'Linux version 6.1', ' 0x00000000', 'nfit ', 'nd_pmem ', 'a', ' ', '(', ')', ' not prepared for power transition: code -16', ': PM: failed to ', ' returns ', '] CmpltTO', 'AER: ', '0x', 'debug: Waiting for 5 seconds.', 'Power down', 'reboot: ', 'printk: ', 'Suspending console(s) (use no_console_suspend to debug)', 'Timekeeping suspended for 1.234 seconds', 'Suspended for ', 'PM: Device ', 'Syncing filesystems ... ', 'done.', 'D 0 26 2 0x00000000', ' 12', 'dev 1: calling\tpci_pm_suspend+0x0/0x160 @ 1, parent: p'];
		fc.assert(
			fc.property(fc.array(fc.constantFrom(...words), {maxLength: 8}), parts => {
				const text = parts.join('');
				expect(recognise(text)).toEqual(recogniseTryingEveryRule(text));
			}),
			{numRuns: 6000},
		);
	});
});
