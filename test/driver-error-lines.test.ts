/**
 * driverError(): each errno form it reads, the MAX_ERRNO bounds, and failure
 * words of either case — the cases the mutation run found unchecked. Lines are
 * dev_err() format strings from the kernel source named beside each one.
 */
import {describe, expect, it} from 'vitest';
import {driverError} from '../source/kernel/driver-errors.js';

describe('driverError: the errno forms', () => {
	it.each([
		// drivers/usb/typec/ucsi/ucsi.c ucsi_resume_work(): "failed to re-enable notifications (%d)".
		['ucsi_acpi USBC000:00: failed to re-enable notifications (-110)', {device: 'ucsi_acpi USBC000:00', text: 'failed to re-enable notifications (-110)', errno: -110}],
		// drivers/usb/core/hub.c usb_port_suspend(): dev_err(&udev->dev, "Failed to suspend device, error %d\n", status).
		['usb 1-1: Failed to suspend device, error -110', {device: 'usb 1-1', text: 'Failed to suspend device, error -110', errno: -110}],
		// sound/soc/codecs/wm8962.c wm8962_irq(): dev_err(dev, "Failed to resume: %d\n", ret) — a capital F, the errno after ": ".
		['wm8962 0-001a: Failed to resume: -13', {device: 'wm8962 0-001a', text: 'Failed to resume: -13', errno: -13}],
		// MAX_ERRNO is 4095 (include/linux/err.h IS_ERR_VALUE()): the largest errno still is one.
		['thermal thermal_zone1: failed to read out thermal zone (-4095)', {device: 'thermal thermal_zone1', text: 'failed to read out thermal zone (-4095)', errno: -4095}],
	])('%s', (line, want) => {
		expect(driverError(line)).toStrictEqual(want);
	});

	it('an error named without "fail", capitalised', () => {
		// drivers/fsi/fsi-scom.c scom_probe(): dev_err(dev, "Error %d creating char device %s\n", rc, …).
		expect(driverError('scom scom1: Error -12 creating char device scom1')).toStrictEqual({device: 'scom scom1', text: 'Error -12 creating char device scom1', errno: -12});
		// drivers/input/mouse/elan_i2c_core.c elan_resume(): dev_err(dev, "error %d enabling regulator\n", error).
		expect(driverError('elan_i2c i2c-ELAN0000:00: error -5 enabling regulator')).toMatchObject({errno: -5});
	});
});

describe('driverError: not an errno', () => {
	it.each([
		'thermal thermal_zone1: failed to read out thermal zone (-4096)', // beyond MAX_ERRNO
		'thermal thermal_zone1: failed to read out thermal zone (-0)', // zero is success, not an errno
		'ucsi_acpi USBC000:00: re-enabled notifications (-110)', // no failure word
		'usb 1-1: device descriptor read/64, status ok', // a failure-ish word nowhere, no errno
	])('%s', line => {
		expect(driverError(line)).toBeUndefined();
	});
});
