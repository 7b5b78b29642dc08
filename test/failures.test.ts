/**
 * Failures are failures: every failure message of fixtures/traces/from-source
 * (logs written from the kernel's format strings, one era's wording each; see
 * the README there) marks its cycle failed, with the errno number and name and
 * the device where the message names one. Expectations were written from
 * reading each log, not from running the reducer.
 */
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {fixturesDir} from '../source/paths.js';
import {cycleDocument, type CycleDocument} from '../source/monitor/summary-document.js';
import {allCycles, replay} from './helpers/replay.js';

const dir = path.join(fixturesDir('traces'), 'from-source');

async function documents(name: string): Promise<CycleDocument[]> {
	const {state} = await replay(path.join(dir, name));
	return allCycles(state).map((c, i) => cycleDocument(c, i + 1));
}

type Expected = {
	kind: string;
	status: 'ok' | 'failed' | 'incomplete';
	mode?: string | null;
	pmTest?: string | null;
	partial?: 'start-missing' | 'end-missing' | null;
	/** The first failure: errno, its name, the device, and a word of its text. */
	first?: {errno?: number | null; errnoName?: string | null; device?: string | null; text: RegExp};
	failures?: number;
};

const cases: Array<[string, Expected[]]> = [
	['dev-2.6.32-pm_op-usb-failed-to-suspend.log', [{kind: 'suspend', status: 'failed', partial: null, first: {errno: -16, errnoName: 'EBUSY', device: 'usb2', text: /failed to suspend/}}]],
	['dev-3.13-pci_pm_suspend-no-prefix-async.log', [{kind: 'suspend', status: 'failed', mode: 'mem', first: {errno: -16, errnoName: 'EBUSY', device: '0000:00:14.0', text: /failed to suspend async/}}]],
	['dev-5.10-PM-Device-failed-to-freeze-hibernate.log', [{kind: 'hibernate', status: 'failed', first: {errno: -16, errnoName: 'EBUSY', device: '0000:3b:00.0', text: /failed to freeze async/}}]],
	['dev-6.1-device-prefixed-xhci-suspend-ebusy.log', [{kind: 'suspend', status: 'failed', mode: 'deep', first: {errno: -16, errnoName: 'EBUSY', device: 'xhci_hcd 0000:00:14.0', text: /failed to suspend async/}}]],
	['dev-6.10-ps-three-word-device-noirq-etimedout.log', [{kind: 'suspend', status: 'failed', first: {errno: -110, errnoName: 'ETIMEDOUT', device: 'i8042 kbd 00:00', text: /failed to suspend async noirq/}}]],
	['dev-6.12-module-callback-resume-eio.log', [{kind: 'suspend', status: 'failed', mode: 'deep', first: {errno: -5, errnoName: 'EIO', device: 'nvidia 0000:01:00.0', text: /failed to resume async.*nv_pmops_resume \[nvidia\]/}}]],
	[
		'dev-4.19-not-prepared-old-and-6.6-new.log',
		[
			{kind: 'suspend', status: 'failed', first: {errno: -16, errnoName: 'EBUSY', device: '3-1', text: /not prepared/}},
			{kind: 'suspend', status: 'failed', first: {errno: -115, errnoName: 'EINPROGRESS', device: 'arm-smmu 3da0000.kgsl-smmu', text: /not prepared/}},
		],
	],
	['pmtest-3.x-unsupported-freeze-state-eagain.log', [{kind: 'suspend', status: 'failed', mode: 's2idle', partial: null, first: {errno: -11, errnoName: 'EAGAIN', device: null, text: /unsupported pm_test level/}, failures: 1}]],
	['pmtest-6.1-unsupported-s2idle-eagain.log', [{kind: 'suspend', status: 'failed', mode: 's2idle', partial: null, first: {errno: -11, errnoName: 'EAGAIN', text: /unsupported pm_test level/}, failures: 1}]],
	['hib-2.6-image-not-found-ebusy-boot.log', [{kind: 'hibernate', status: 'failed', mode: 'restore', first: {errno: -16, errnoName: 'EBUSY', text: /could not be opened/}}]],
	['hib-6.6-image-not-found-einval-boot.log', [{kind: 'hibernate', status: 'failed', mode: 'restore', first: {errno: -22, errnoName: 'EINVAL', text: /no hibernation image/}}]],
	['hib-3.x-no-swap-device-no-swap-writer.log', [{kind: 'hibernate', status: 'failed', first: {errno: null, text: /swap device/}, failures: 2}]],
	['hib-5.4-error-creating-hibernation-image.log', [{kind: 'hibernate', status: 'failed', first: {errno: -14, errnoName: 'EFAULT', text: /creating the hibernation image/}}]],
	['hib-6.6-error-creating-image-and-power-down.log', [{kind: 'hibernate', status: 'failed', first: {errno: -12, errnoName: 'ENOMEM', text: /creating the hibernation image/}}]],
	['hib-5.4-failed-to-load-hibernation-image.log', [{kind: 'hibernate', status: 'failed', mode: 'restore', partial: 'start-missing', first: {errno: -5, errnoName: 'EIO', text: /reading the hibernation image/}, failures: 2}]],
	['hib-6.8-failed-to-load-image-resume-failed.log', [{kind: 'hibernate', status: 'failed', mode: 'restore', first: {errno: -1, errnoName: 'EPERM', text: /reading the hibernation image/}, failures: 3}]],
	['hib-6.1-not-enough-free-swap-enospc.log', [{kind: 'hibernate', status: 'failed', first: {errno: -28, errnoName: 'ENOSPC', text: /not enough free swap/}}]],
	[
		'hib-3.x-and-6.1-devices-failed-to-power-down.log',
		[
			{kind: 'hibernate', status: 'failed', first: {errno: -16, errnoName: 'EBUSY', device: '0000:00:1f.3', text: /failed to freeze noirq/}},
			{kind: 'hibernate', status: 'failed', first: {errno: -16, errnoName: 'EBUSY', device: 'snd_hda_intel 0000:00:1f.3', text: /failed to freeze late async/}},
		],
	],
	['s3-5.10-timekeeping-acpi-error-in-cycle.log', [{kind: 'suspend', status: 'failed', mode: 'deep', first: {errno: null, text: /ACPI Error: Aborting method/}}]],
	['s3-6.6-warning-during-resume.log', [{kind: 'suspend', status: 'failed', first: {text: /WARNING: CPU: 3 PID: 1972 at drivers\/i2c/}}]],
	['boot-5.15-restart-during-suspend-devices.log', [{kind: 'suspend', status: 'failed', mode: 'deep', first: {text: /machine restarted during "Suspend devices"/}}]],
	['fragment-device-errors-no-start.log', [{kind: 'suspend', status: 'failed', partial: 'start-missing', first: {errno: -16, errnoName: 'EBUSY', device: 'xhci_hcd 0000:00:14.0', text: /failed to suspend async/}}]],
	['fragment-resume-tail.log', [{kind: 'suspend', status: 'incomplete', partial: 'start-missing', failures: 0}]],
	['fragment-lone-freezer-failure-6.2.log', [{kind: 'freeze', status: 'failed', partial: 'start-missing', first: {errno: -16, errnoName: 'EBUSY', text: /refused to freeze/}}]],
	['fragment-suspend-head-end-missing.log', [{kind: 'suspend', status: 'incomplete', partial: 'end-missing', failures: 0}]],
	['pmtest-6.1-suspend-devices-wait.log', [{kind: 'suspend', status: 'ok', pmTest: 'devices', failures: 0}]],
	['pmtest-3.4-suspend-freezer-wait.log', [{kind: 'suspend', status: 'ok', pmTest: 'freezer', failures: 0}]],
	['pmtest-5.15-suspend-platform-wait-acpi.log', [{kind: 'suspend', status: 'ok', pmTest: 'platform', failures: 0}]],
	['pmtest-3.2-hibernation-debug-freezer.log', [{kind: 'hibernate', status: 'ok', pmTest: 'freezer', failures: 0}]],
	['s2idle-6.6-timings-journal-coarse.log', [{kind: 'suspend', status: 'ok', mode: 's2idle', pmTest: null, partial: null, failures: 0}]],
];

describe('every failure message, in each era\'s wording, fails its cycle', () => {
	it.each(cases)('%s', async (name, expected) => {
		const docs = await documents(name);
		expect(docs).toHaveLength(expected.length);
		for (const [i, want] of expected.entries()) {
			const doc = docs[i]!;
			expect(doc.kind).toBe(want.kind);
			expect(doc.status).toBe(want.status);
			if (want.mode !== undefined) expect(doc.mode).toBe(want.mode);
			if (want.pmTest !== undefined) expect(doc.pmTest).toBe(want.pmTest);
			if (want.partial !== undefined) expect(doc.partial).toBe(want.partial);
			if (want.failures !== undefined) expect(doc.failures).toHaveLength(want.failures);
			if (want.first) {
				const first = doc.failures[0]!;
				expect(first.text).toMatch(want.first.text);
				if (want.first.errno !== undefined) expect(first.errno).toBe(want.first.errno);
				if (want.first.errnoName !== undefined) expect(first.errnoName).toBe(want.first.errnoName);
				if (want.first.device !== undefined) expect(first.device).toBe(want.first.device);
				expect(first.line).toBeGreaterThan(0);
			}
		}
	});
});

describe('pm_test is not sleep', () => {
	it('the debug wait is labelled with its level, never "System sleep"', async () => {
		for (const name of ['pmtest-6.1-suspend-devices-wait.log', 'pmtest-3.4-suspend-freezer-wait.log', 'pmtest-5.15-suspend-platform-wait-acpi.log', 'pmtest-3.2-hibernation-debug-freezer.log']) {
			const [doc] = await documents(name);
			const wait = doc!.phases.find(p => p.id === 'activation')!;
			expect(wait.label).toMatch(new RegExp(`pm_test debug wait \\(${doc!.pmTest}\\)`));
			expect(doc!.phases.map(p => p.label).join()).not.toMatch(/System sleep/);
		}
	});

	it('freezer level: nothing after the freezer ran (devices skipped)', async () => {
		const [doc] = await documents('pmtest-3.4-suspend-freezer-wait.log');
		expect(doc!.phases.find(p => p.id === 'freeze-devices')?.status).toBe('skipped');
		// "[  330.322002] suspend debug: Waiting for 5 seconds." then "[  335.330011] PM: Finishing wakeup." 5.008009 s later.
		expect(doc!.phases.find(p => p.id === 'activation')?.durationUs).toBe(5_008_009);
	});
});

describe('each phase has its own time, marked kernel or stamps, at its real precision', () => {
	it('s2idle: suspend-to-idle is the sleep; resume split noirq/early/normal from the kernel; 1 s journal stamps', async () => {
		const [doc] = await documents('s2idle-6.6-timings-journal-coarse.log');
		const byId = Object.fromEntries(doc!.phases.map(p => [p.id, p]));
		// "PM: suspend-to-idle" at 10:12:02, "PM: resume from suspend-to-idle" at 10:14:09.
		expect(byId['s2idle']).toMatchObject({durationUs: 127_000_000, source: 'timestamps', precisionUs: 1_000_000});
		expect(byId['activation']).toMatchObject({label: 'Suspend-to-idle', precisionUs: 1_000_000});
		expect(byId['noirq-resume']).toMatchObject({durationUs: 20_011, source: 'kernel', precisionUs: 1});
		expect(byId['early-resume']).toMatchObject({durationUs: 774, source: 'kernel'});
		expect(byId['main-resume']).toMatchObject({durationUs: 512_302, source: 'kernel'});
		expect(byId['main-suspend']).toMatchObject({durationUs: 410_210, source: 'kernel'});
		// "(elapsed 0.002 seconds)": the kernel's figure, to the millisecond.
		expect(byId['freeze-user']).toMatchObject({durationUs: 2000, source: 'kernel', precisionUs: 1000});
	});

	it('S3: "Timekeeping suspended for 641.218 seconds" is the sleep length, from the kernel', async () => {
		const [doc] = await documents('s3-5.10-timekeeping-acpi-error-in-cycle.log');
		expect(doc!.phases.find(p => p.id === 'activation')).toMatchObject({durationUs: 641_218_000, source: 'kernel', precisionUs: 1000});
	});

	it('2.6/3.x "(elapsed 0.01 seconds)" is read at 10 ms precision', async () => {
		const [doc] = await documents('pmtest-3.4-suspend-freezer-wait.log');
		expect(doc!.phases.find(p => p.id === 'freeze-user')).toMatchObject({durationUs: 10_000, source: 'kernel', precisionUs: 10_000});
	});
});
