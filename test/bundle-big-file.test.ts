/**
 * A bundle folder's files are told apart by their first bytes only: a log larger than V8's
 * longest string (≈ 512 MiB) is still a log of the bundle, not silently skipped (issue 18).
 * The file is sparse: its head is a real log, the rest a hole that takes no disk space.
 */
import {copyFileSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {planTrace} from '../source/trace/bundle.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'quiesce-bundle-big-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe('a bundle with a log larger than the longest string', () => {
	it('keeps the log in the plan, with no warning', () => {
		const real = path.join(import.meta.dirname, '..', 'fixtures', 'traces', 'qemu-6.1');
		const log = path.join(dir, 'dmesg.log');
		writeFileSync(log, readFileSync(path.join(real, 'dmesg-6.1-boot-hibernate-pm_test-freezer-devices.log')));
		truncateSync(log, 600 * 1024 * 1024);
		copyFileSync(path.join(real, 'sys-power.txt'), path.join(dir, 'sys-power.txt'));
		const plan = planTrace(dir);
		expect(plan.logs).toEqual([log]);
		expect(plan.warnings).toEqual([]);
		expect(plan.unreadable).toEqual([]);
	});
});
