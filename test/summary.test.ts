/**
 * `replay --summary`: every cycle (or "showing the last N of M" with --all
 * for every one), totals with p50/p95/max per phase, DIMMs by name; and
 * `--summary --json`, the stable document of the README, streamed so that
 * memory stays bounded whatever the number of cycles (checked in a child
 * process with a small heap). Expected counts come from the generator below,
 * not from the code under test.
 */
import {createWriteStream, mkdtempSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {execa} from 'execa';
import {describe, expect, it} from 'vitest';
import {cliPath, ensureBuilt, quiesce} from './helpers/cli.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'quiesce-summary-'));

/** Cycle i (0-based) of a generated 6.1 log: every 7th fails (xhci EBUSY), every 11th is a pm_test=devices run, the others sleep. */
function cycle(i: number, t0: number): string[] {
	const s = (dt: number) => `[${((t0 + dt) / 1e6).toFixed(6).padStart(12)}]`;
	const lines = [`${s(0)} PM: suspend entry (deep)`, `${s(5000)} Filesystems sync: 0.005 seconds`, `${s(7000)} Freezing user space processes ... (elapsed 0.002 seconds) done.`, `${s(7010)} OOM killer disabled.`, `${s(8020)} Freezing remaining freezable tasks ... (elapsed 0.001 seconds) done.`, `${s(9000)} printk: Suspending console(s) (use no_console_suspend to debug)`];
	if (i % 7 === 3) lines.push(`${s(60_000)} xhci_hcd 0000:00:14.0: PM: failed to suspend async: error -16`, `${s(61_000)} PM: Some devices failed to suspend, or early wake event detected`);
	else if (i % 11 === 5) lines.push(`${s(100_000)} PM: suspend debug: Waiting for 5 second(s).`);
	else lines.push(`${s(100_000 + (i % 13) * 1000)} PM: suspend of devices complete after ${(91 + (i % 13)).toFixed(3)} msecs`, `${s(120_000)} ACPI: PM: Preparing to enter system sleep state S3`, `${s(130_000)} ACPI: PM: Waking up from system sleep state S3`);
	lines.push(`${s(400_000)} OOM killer enabled.`, `${s(400_010)} Restarting tasks ... done.`, `${s(410_000)} PM: suspend exit`);
	return lines;
}

const failing = (n: number) => Array.from({length: n}, (_, i) => i).filter(i => i % 7 === 3).length;
const testing = (n: number) => Array.from({length: n}, (_, i) => i).filter(i => i % 7 !== 3 && i % 11 === 5).length;

/** The file, its line count, and the first line of each cycle. */
function generate(name: string, n: number): {file: string; lines: number; starts: number[]} {
	const file = path.join(dir, name);
	const lines: string[] = [];
	const starts: number[] = [];
	for (let i = 0; i < n; i++) {
		starts.push(lines.length + 1);
		lines.push(...cycle(i, 100_000_000 + i * 1_000_000));
	}

	writeFileSync(file, lines.join('\n') + '\n');
	return {file, lines: lines.length, starts};
}

describe('replay --summary', () => {
	const {file, lines, starts} = generate('120.log', 120);

	it('shows the last 50 of 120 cycles and says so; totals count all 120', async () => {
		const result = await quiesce(['replay', '--summary', file]);
		const out = String(result.stdout);
		// Every 7th cycle failed: exit status 1 (README "Exit status").
		expect(result.exitCode).toBe(1);
		expect(out.match(/^cycle \d+:/gm)).toHaveLength(50);
		expect(out).toMatch(/^cycle 71: suspend \(deep\)/m);
		expect(out).toMatch(/^\(showing the last 50 of 120 cycles; --all lists every one\)$/m);
		expect(out).toMatch(new RegExp(`^totals: 120 cycle\\(s\\): ${120 - failing(120)} ok, ${failing(120)} failed, 0 incomplete; 120 suspend; ${testing(120)} pm_test run\\(s\\)$`, 'm'));
		// Two failure lines per failing cycle (the log has no levels: what the lines say counts).
		expect(out).toMatch(new RegExp(`^log: ${lines} record\\(s\\), ${2 * failing(120)} error\\(s\\), 0 warning\\(s\\)$`, 'm'));
		// "suspend of devices complete after 91.000 … 103.000 msecs": p50, p95 and max of the kernel's own figures.
		expect(out).toMatch(/^ {2}suspend: suspend of devices: n=\d+ p50 9\d\.000 ms, p95 10[23]\.000 ms, max 103\.000 ms \[kernel\]$/m);
	});

	it('--all lists every cycle', async () => {
		const out = String((await quiesce(['replay', '--summary', '--all', file])).stdout);
		expect(out.match(/^cycle \d+:/gm)).toHaveLength(120);
		expect(out).not.toMatch(/showing the last/);
		expect(out).toMatch(/^cycle 4: suspend \(deep\) .* — failed: xhci_hcd 0000:00:14\.0: failed to suspend async \(-16 EBUSY\)/m);
		expect(out).toMatch(/^cycle 6: suspend \(deep\) \[pm_test=devices: a test, not a sleep\]/m);
	});

	it('--json: one document with every cycle, totals, bus and DIMMs', async () => {
		const result = await quiesce(['replay', '--summary', '--json', file]);
		const doc = JSON.parse(String(result.stdout));
		expect(doc).toMatchObject({kind: 'summary', version: 1});
		expect(doc.cycles).toHaveLength(120);
		expect(doc.cycles.map((c: {index: number}) => c.index)).toEqual(Array.from({length: 120}, (_, i) => i + 1));
		const fourth = doc.cycles[3];
		expect(fourth).toMatchObject({index: 4, kind: 'suspend', mode: 'deep', pmTest: null, status: 'failed', partial: null});
		expect(fourth.failures[0]).toMatchObject({errno: -16, errnoName: 'EBUSY', device: 'xhci_hcd 0000:00:14.0', line: starts[3]! + 6});
		expect(doc.cycles[5]).toMatchObject({pmTest: 'devices', status: 'ok'});
		const devices = doc.cycles[0].phases.find((p: {id: string}) => p.id === 'freeze-devices');
		expect(devices).toMatchObject({status: 'done', durationUs: 91_000, source: 'kernel', label: 'Suspend devices'});
		for (const c of doc.cycles) for (const p of c.phases) expect(Object.keys(p)).toEqual(expect.arrayContaining(['id', 'label', 'status', 'startUs', 'durationUs', 'source']));
		expect(doc.totals).toMatchObject({cycles: 120, ok: 120 - failing(120), failed: failing(120), incomplete: 0, byKind: {suspend: 120}});
		expect(doc.bus).toMatchObject({present: false});
		expect(doc.dimms).toEqual([]);
	});

	it('DIMMs by name; "not supported by this platform" without firmware/ files', async () => {
		const doc = JSON.parse(String((await quiesce(['replay', '--summary', '--json', 'fixtures/traces/qemu-6.1'])).stdout));
		expect(doc.dimms.map((d: {name: string; note?: string}) => [d.name, d.note])).toEqual([
			['nmem0', 'not supported by this platform (no firmware/ attributes)'],
			['nmem1', 'not supported by this platform (no firmware/ attributes)'],
		]);
		const text = String((await quiesce(['replay', '--summary', 'fixtures/traces/qemu-6.1'])).stdout);
		expect(text).toMatch(/^ {2}nmem0: not supported by this platform/m);
		expect(text).not.toMatch(/unknown/);
	});
});

describe('bounded memory', () => {
	it('a log of 20 000 cycles (≈ 13 MB; its JSON document ≈ 45 MB) summarises as text and as JSON under a 48 MB heap', async () => {
		ensureBuilt();
		const file = path.join(dir, 'big.log');
		const out = createWriteStream(file);
		for (let i = 0; i < 20_000; i++) out.write(cycle(i, 100_000_000 + i * 1_000_000).join('\n') + '\n');
		await new Promise(resolve => out.end(resolve));
		expect(statSync(file).size).toBeGreaterThan(12_000_000);
		for (const args of [['--summary'], ['--summary', '--json']]) {
			const target = path.join(dir, `big-${args.length}.out`);
			const result = await execa('node', ['--max-old-space-size=48', cliPath, 'replay', file, ...args], {reject: false, stdout: {file: target}, stdin: 'ignore'});
			// 1 = a cycle failed (every 7th does); running out of heap would be 134.
			expect(result.exitCode, String(result.stderr)).toBe(1);
			const text = readFileSync(target, 'utf8');
			if (args.length === 2) {
				const doc = JSON.parse(text);
				expect(doc.cycles).toHaveLength(20_000);
				expect(text.length).toBeGreaterThan(40 * 1024 * 1024);
				expect(doc.totals).toMatchObject({cycles: 20_000, failed: failing(20_000)});
			} else expect(text).toMatch(/showing the last 50 of 20000 cycles/);
		}
	}, 300_000);
});
