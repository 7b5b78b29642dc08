/**
 * Driver errors (dev_err with an errno) during a cycle: kept with the cycle, counted as errors in
 * a log without levels, never turned into the cycle's failure. Lines are real (fixtures/traces) or
 * dev_err format strings from the kernel source named beside them.
 */
import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {driverError} from '../source/kernel/driver-errors.js';
import {reduce} from '../source/monitor/reducer.js';
import {cycleDocument, cycleLines} from '../source/monitor/summary-document.js';
import {initialState} from '../source/monitor/state.js';
import {parseLogText} from '../source/trace/log-parser.js';

describe('driverError', () => {
	it.each([
		// fixtures/traces/13 (journal, 5.x s2idle resume): drivers/usb/typec/ucsi/ucsi.c, drivers/thermal/thermal_core.c.
		['ucsi_acpi USBC000:00: failed to re-enable notifications (-110)', 'ucsi_acpi USBC000:00', -110],
		['thermal thermal_zone13: failed to read out thermal zone (-61)', 'thermal thermal_zone13', -61],
		// fixtures/traces/05 (3.0 kern.log): drivers/usb/core/hub.c hub_port_init() "device descriptor read/%s, error %d".
		['usb 6-3: device descriptor read/64, error -110', 'usb 6-3', -110],
		// drivers/nvme/host/pci.c nvme_timeout() style "… timeout, … status -4" and "ret=-5" forms.
		['nvme nvme0: I/O 12 QID 0 timeout, reset controller status -4', 'nvme nvme0', -4],
		['i915 0000:00:02.0: failed to resume: ret=-5', 'i915 0000:00:02.0', -5],
	])('%s', (line, device, errno) => {
		expect(driverError(line)).toMatchObject({device, errno});
	});

	it.each([
		'usb 1-1: new high-speed USB device number 2 using xhci_hcd', // no failure word
		'ucsi_acpi USBC000:00: failed to re-enable notifications', // no errno
		'xhci_hcd 0000:00:14.0: PM: failed to suspend async: error -16', // a PM line: the device-failed rule's
		'failed to re-enable notifications (-110)', // no device prefix
		'e1000e 0000:00:19.0 eth0: 10/100 speed: disabling TSO (-1000 Mbps)', // no failure word; not an errno
		'thermal thermal_zone1: failed to read (-5000)', // beyond MAX_ERRNO
	])('not a driver error: %s', line => {
		expect(driverError(line)).toBeUndefined();
	});
});

describe('in a replay', () => {
	const file = 'fixtures/traces/13-s2idle-journalctl-dell-precision5570-split-restarting.log';
	const replay = () => {
		let state = initialState();
		for (const event of parseLogText(readFileSync(file, 'utf8'), file).events) state = reduce(state, event);
		return state;
	};

	it('the s2idle cycle stays ok, with its two driver errors listed and counted', () => {
		const state = replay();
		const cycle = state.cycle!;
		expect(cycle.status).toBe('ok');
		const doc = cycleDocument(cycle, 1);
		expect(doc.status).toBe('ok');
		expect(doc.failures).toEqual([]);
		expect(doc.driverErrors).toEqual([
			{device: 'ucsi_acpi USBC000:00', text: 'failed to re-enable notifications (-110)', errno: -110, errnoName: 'ETIMEDOUT', line: 17},
			{device: 'thermal thermal_zone13', text: 'failed to read out thermal zone (-61)', errno: -61, errnoName: 'ENODATA', line: 25},
		]);
		expect(state.log.errors).toBe(2); // a journal without levels: what the message says
		expect(cycleLines(doc).join('\n')).toMatch(/driver error \(the suspend went on\): ucsi_acpi USBC000:00: failed to re-enable notifications \(-110\) = ETIMEDOUT \[line 17\]/);
	});
});
