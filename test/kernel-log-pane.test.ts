import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import type {LogEvent} from '../source/events.js';
import {fixturesDir} from '../source/paths.js';
import {parseLogText} from '../source/trace/log-parser.js';
import {entryText} from '../source/ui/kernel-log.js';

describe('the kernel log pane\'s text of a line', () => {
	it('a user-space record written to /dev/kmsg shows its "ident:" once (real nfit_test capture, <12> capture: lines)', () => {
		const file = path.join(fixturesDir('traces'), 'nfit-test-6.1', '06-results-errors', 'dmesg-06-results-errors-raw.log');
		const line = readFileSync(file, 'utf8').split('\n')[5]!;
		expect(line).toBe("<12>[   81.173877] capture: fwtool write 'bogus' > /sys/bus/nd/devices/ndbus0/firmware/activate (start; CLOCK_MONOTONIC before this marker: 81.221068)");
		const [event] = parseLogText(line, 'x.log').events as LogEvent[];
		expect(event).toMatchObject({origin: 'userspace', ident: 'capture'});
		expect(entryText(event!)).toBe("capture: fwtool write 'bogus' > /sys/bus/nd/devices/ndbus0/firmware/activate (start; CLOCK_MONOTONIC before this marker: 81.221068)");
	});

	it('a journal line whose text does not carry its ident gets it in front', () => {
		const event: LogEvent = {kind: 'log', t: 1, text: "Entering sleep state 'suspend'...", origin: 'userspace', ident: 'systemd-sleep'};
		expect(entryText(event)).toBe("systemd-sleep: Entering sleep state 'suspend'...");
	});
});
