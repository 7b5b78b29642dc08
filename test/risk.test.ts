import {describe, expect, it} from 'vitest';
import {computeRisk} from '../source/commands/risk.js';
import {runMany} from '../source/risk/pool.js';
import {report, wilson} from '../source/risk/report.js';
import {loadScenario} from '../source/sim/scenario.js';
import {ensureBuilt, quiesce} from './helpers/cli.js';

describe('Wilson intervals', () => {
	it('match known values', () => {
		const e = wilson(20, 100);
		expect(e.p).toBe(0.2);
		expect(e.low).toBeCloseTo(0.1333, 3);
		expect(e.high).toBeCloseTo(0.2888, 3);
		expect(wilson(0, 50).low).toBe(0);
		expect(wilson(50, 50).high).toBe(1);
	});
});

describe('quiesce risk', () => {
	it('a scenario whose outcome is certain: 100 % and 0 %', async () => {
		const healthy = await computeRisk({scenario: 'default', runs: 60, seed: 1, compare: false, json: true, threads: 1});
		expect(healthy.reports[0]!.outcomes.success).toMatchObject({count: 60, p: 1});
		expect(healthy.reports[0]!.outcomes['freeze-failed'].count).toBe(0);
		const stuck = await computeRisk({scenario: 'task-wont-freeze', runs: 30, seed: 1, compare: false, json: true, threads: 1});
		expect(stuck.reports[0]!.outcomes['freeze-failed'].p).toBe(1);
		expect(stuck.reports[0]!.contributors[0]).toMatchObject({cause: 'task fio stuck in D state', p: 1});
		expect(stuck.reports[0]!.frozen.p50).toBeGreaterThanOrEqual(20_000_000);
	});

	it('a task stuck with probability 0.2 lands within the reported interval', async () => {
		const {reports} = await computeRisk({scenario: 'risky-host', runs: 800, seed: 7, compare: false, json: true, threads: 1});
		const r = reports[0]!;
		const stuck = r.contributors.find(c => c.cause === 'task nfsd-client stuck in D state')!;
		expect(stuck.low).toBeLessThanOrEqual(0.2);
		expect(stuck.high).toBeGreaterThanOrEqual(0.2);
		expect(r.outcomes['freeze-failed'].low).toBeLessThanOrEqual(0.2);
		expect(r.outcomes['freeze-failed'].high).toBeGreaterThanOrEqual(0.2);
		// RDMA traffic 30 % of the time, only in runs that got past the freezer: about 0.8 × 0.3.
		const dma = r.dmaTimeouts['mlx5_core 0000:3b:00.0']!;
		expect(dma.low).toBeLessThanOrEqual(0.24);
		expect(dma.high).toBeGreaterThanOrEqual(0.24);
	});

	it('single-thread and multi-thread runs agree exactly', async () => {
		ensureBuilt();
		const one = await computeRisk({scenario: 'risky-host', runs: 300, seed: 3, compare: false, json: true, threads: 1});
		const many = await computeRisk({scenario: 'risky-host', runs: 300, seed: 3, compare: false, json: true, threads: 3});
		expect(JSON.stringify(many.reports)).toBe(JSON.stringify(one.reports));
	});

	it('--compare runs the same draws with quiesce and with live', async () => {
		const {reports, lines} = await computeRisk({scenario: 'rdma-dma-during-quiesce', runs: 40, seed: 2, compare: true, json: false, threads: 1});
		expect(reports.map(r => r.method)).toEqual(['quiesce', 'live']);
		expect(reports[1]!.frozen.max).toBe(0);
		expect(lines.map(l => l.text).join('\n')).toMatch(/quiesce vs live, the same 40 draws/);
	});

	it('stops early and reports on the runs done', async () => {
		const controller = new AbortController();
		const scenario = loadScenario('default');
		const results = await runMany({scenario, runs: 5000, seed: 1, threads: 1, signal: controller.signal, onProgress: done => done >= 128 && controller.abort()});
		expect(results.length).toBeGreaterThanOrEqual(128);
		expect(results.length).toBeLessThan(5000);
		const r = report(results, {scenario: 'default', method: 'quiesce', seed: 1, requested: 5000});
		expect(r.complete).toBe(false);
		expect(r.outcomes.success.count).toBe(results.length);
	});

	it('prints plain text in a pipe, JSON with --json, and one-line errors', async () => {
		const text = await quiesce(['risk', '--scenario', 'need-reset', '--runs', '50']);
		expect(text.exitCode).toBe(0);
		expect(String(text.stdout)).toMatch(/^need-reset\s+100\.00 %/m);
		expect(String(text.stdout)).toMatch(/nmem2: need_reset 100\.00 %/);
		expect(String(text.stdout)).not.toMatch(/\u001B\[/);
		const json = await quiesce(['risk', '--scenario', 'default', '--runs', '20', '--json']);
		expect(JSON.parse(String(json.stdout)).outcomes.success.count).toBe(20);
		const bad = await quiesce(['risk', '--runs', '0']);
		expect(bad.exitCode).toBe(2);
		expect(String(bad.stderr).trim()).toBe('quiesce: --runs: expected a whole number from 1 to 10000000, got 0');
	});
});
