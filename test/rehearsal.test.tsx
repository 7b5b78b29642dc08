import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {builtinDrillNames, loadDrill, DrillError} from '../source/rehearsal/drill.js';
import type {DrillReport} from '../source/rehearsal/report.js';
import {DrillSession} from '../source/rehearsal/session.js';
import {RehearsalApp} from '../source/ui/rehearsal-app.js';
import {quiesce} from './helpers/cli.js';
import {waitForFrame} from './helpers/ink.js';

/** The mistake each drill is built around, as the grading rule that must catch it. */
const typicalMistake: Record<string, string> = {
	'clean-activation': 'verify',
	'overflow-batches': 'no-overflow',
	'rdma-traffic': 'drain',
	'stuck-task': 'tasks',
	'live-platform': 'method',
	'results-follow-up': 'decide',
};

async function play(drillName: string, commands: string[]): Promise<{report: DrillReport; frame: string}> {
	const drill = loadDrill(drillName);
	let report: DrillReport | undefined;
	const session = new DrillSession(drill, 1);
	const app = render(<RehearsalApp session={session} onFinish={r => (report = r)} playMs={() => 30} />);
	await waitForFrame(app, f => /type help for the commands/.test(f));
	await new Promise(resolve => setTimeout(resolve, 20));
	for (const [i, command] of commands.entries()) {
		// Typed, then Enter — as a terminal delivers a pasted line.
		app.stdin.write(`${command}\r`);
		await waitForFrame(app, () => session.records.length > i);
	}

	const frame = await waitForFrame(app, f => /Score: \d+\/100/.test(f));
	app.unmount();
	return {report: report!, frame};
}

describe('built-in drills', () => {
	it('there are at least six, each with a solution and a typical mistake', () => {
		expect(builtinDrillNames().length).toBeGreaterThanOrEqual(6);
		for (const name of builtinDrillNames()) {
			const drill = loadDrill(name);
			expect(drill.solution?.length).toBeGreaterThan(0);
			expect(drill.mistake?.length).toBeGreaterThan(0);
			expect(typicalMistake[name]).toBeDefined();
		}
	});

	for (const name of Object.keys(typicalMistake)) {
		it(`${name}: played correctly, full score`, async () => {
			const {report, frame} = await play(name, loadDrill(name).solution!);
			expect(report.score).toBe(100);
			expect(report.mistakes).toEqual([]);
			expect(frame).toMatch(/Score: 100\/100/);
		});

		it(`${name}: the typical mistake is reported and the score drops`, async () => {
			const {report, frame} = await play(name, loadDrill(name).mistake!);
			expect(report.score).toBeLessThan(100);
			const mistake = report.mistakes.find(m => m.rule === typicalMistake[name]);
			expect(mistake, JSON.stringify(report.mistakes)).toBeDefined();
			expect(mistake!.why.length).toBeGreaterThan(40);
			expect(frame).toMatch(/MISTAKE/);
		});
	}
});

describe('drill sessions use the kernel model', () => {
	it('answers with the kernel\'s errnos', () => {
		const session = new DrillSession(loadDrill('clean-activation'), 1);
		expect(session.run('trigger quiesce')).toMatch(/ndbus0\/firmware\/activate <- quiesce: -6 ENXIO \(No such device or address\)/);
		expect(session.run('write nmem0/firmware/activate bogus')).toMatch(/-22 EINVAL/);
		expect(session.run('read ndbus0/firmware/capability')).toBe('ndbus0/firmware/capability = quiesce');
		expect(session.run('frobnicate')).toMatch(/unknown command "frobnicate"/);
		expect(session.run('arm nmem99')).toMatch(/no such DIMM: nmem99/);
	});

	it('the same drill and seed reproduce the same run', () => {
		const run = () => {
			const session = new DrillSession(loadDrill('rdma-traffic'), 9);
			for (const c of loadDrill('rdma-traffic').mistake!) session.run(c);
			return JSON.stringify(session.sim.timeline);
		};

		expect(run()).toBe(run());
	});

	it('a bad drill file gets a clear error', () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'quiesce-drill-'));
		const file = path.join(dir, 'bad.yaml');
		writeFileSync(file, 'description: x\nbriefing: y\nscenario: default\nrules: [inspect, telepathy]\n');
		expect(() => loadDrill(file)).toThrowError(DrillError);
		expect(() => loadDrill(file)).toThrowError(/bad\.yaml: rules\.1: /);
		writeFileSync(file, 'description: x\nbriefing: y\nscenario: nope\nrules: [inspect]\n');
		expect(() => loadDrill(file)).toThrowError(/bad\.yaml: scenario: unknown scenario "nope"/);
		expect(() => loadDrill('no-such-drill')).toThrowError(/unknown drill "no-such-drill" \(built-in: clean-activation/);
	});
});

describe('quiesce rehearse (headless)', () => {
	it('runs a script of actions and writes the report as Markdown and JSON', async () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'quiesce-rehearse-'));
		const actions = path.join(dir, 'actions.txt');
		writeFileSync(actions, '# the typical mistake\narm all\ntrigger quiesce\nfinish\n');
		const result = await quiesce(['rehearse', '--drill', 'clean-activation', '--actions', actions, '--report', path.join(dir, 'report')]);
		expect(result.exitCode).toBe(0);
		expect(String(result.stdout)).toMatch(/^Score: \d+\/100/m);
		expect(String(result.stdout)).toMatch(/MISTAKE read every result after the activation/);
		const json = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as DrillReport;
		expect(json.score).toBeLessThan(100);
		expect(json.timeline.map(t => t.command)).toEqual(['arm all', 'trigger quiesce', 'finish']);
		expect(readFileSync(path.join(dir, 'report.md'), 'utf8')).toMatch(/# Drill report: clean-activation[\s\S]*## Mistakes[\s\S]*Why it matters/);
		const list = await quiesce(['rehearse', '--list']);
		expect(String(list.stdout).trim().split('\n').length).toBeGreaterThanOrEqual(6);
	});
});
