import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {builtinDrillNames, loadDrill, DrillError} from '../source/rehearsal/drill.js';
import {grade, type DrillReport} from '../source/rehearsal/report.js';
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
	'nfs-recovering': 'tasks',
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

describe('the drill screen', () => {
	const sized = (app: ReturnType<typeof render>, columns: number, rows: number) => {
		Object.defineProperty(app.stdout, 'columns', {value: columns, configurable: true});
		Object.defineProperty(app.stdout, 'rows', {value: rows, configurable: true});
		app.stdout.emit('resize');
	};

	const open = async (drillName: string, props: Partial<Parameters<typeof RehearsalApp>[0]> = {}) => {
		const session = new DrillSession(loadDrill(drillName), 1);
		const app = render(<RehearsalApp session={session} playMs={() => 30} {...props} />);
		await waitForFrame(app, f => /type help for the commands/.test(f));
		await new Promise(resolve => setTimeout(resolve, 30));
		return {app, session};
	};

	const key = async (app: ReturnType<typeof render>, text: string) => {
		app.stdin.write(text);
		await new Promise(resolve => setTimeout(resolve, 25));
	};

	const line = (f: string) => f.split('\n').find(l => l.includes('│ > ')) ?? '';

	it('the action line edits like a shell: cursor keys, Backspace repeated, Ctrl-U, Ctrl-W at the cursor, Ctrl-A/E, history', async () => {
		const {app, session} = await open('clean-activation');
		for (const c of 'inspectXY') await key(app, c);
		await key(app, '\u007F');
		await key(app, '\u007F'); // Backspace, repeated
		await waitForFrame(app, f => /> inspect\s/.test(line(f))).catch(error => {
			throw new Error(`line: ${JSON.stringify(line(app.lastFrame()!))} ${(error as Error).message.slice(0, 50)}`);
		});
		for (let i = 0; i < 3; i++) await key(app, '\u001B[D'); // ←
		await key(app, 'Z');
		await waitForFrame(app, f => /> inspZect/.test(line(f)));
		await key(app, '\u0015'); // Ctrl-U: what is before the cursor
		await waitForFrame(app, f => /> ect\s/.test(line(f)));
		await key(app, '\u0005'); // Ctrl-E
		await key(app, '\u0015');
		await waitForFrame(app, f => /> type a command/.test(line(f)));
		for (const c of 'read ndbus0/firmware/activate') await key(app, c);
		await key(app, '\u0017'); // Ctrl-W
		await waitForFrame(app, f => /> read\s*$|> read\s+│/.test(line(f)) && !/ndbus0/.test(line(f)));
		await key(app, '\u0015');
		await waitForFrame(app, f => /> type a command/.test(line(f)));
		// Ctrl-W deletes the word before the cursor, not the last word (readline's unix-word-rubout).
		for (const c of 'read ndbus0/firmware/activate') await key(app, c);
		for (let i = 0; i < 'activate'.length; i++) await key(app, '\u001B[D');
		await key(app, '\u0017');
		await waitForFrame(app, f => /> read activate\s/.test(line(f)));
		await key(app, 'X');
		await waitForFrame(app, f => /> read Xactivate\s/.test(line(f)));
		await key(app, '\u0001'); // Ctrl-A: start of line
		await key(app, '#');
		await waitForFrame(app, f => /> #read Xactivate\s/.test(line(f)));
		await key(app, '\u0005'); // Ctrl-E: end of line
		await key(app, '!');
		await waitForFrame(app, f => /> #read Xactivate!/.test(line(f)));
		for (let i = 0; i < 'Xactivate!'.length; i++) await key(app, '\u001B[D');
		await key(app, '\u0015'); // Ctrl-U: deletes what is before the cursor, keeps the rest
		await waitForFrame(app, f => /> Xactivate!/.test(line(f)) && !/read/.test(line(f)));
		await key(app, 'Q');
		await waitForFrame(app, f => /> QXactivate!/.test(line(f)));
		await key(app, '\u0005');
		await key(app, '\u0015');
		await waitForFrame(app, f => /> type a command/.test(line(f)));
		await key(app, 'inspect');
		await waitForFrame(app, f => /> inspect/.test(line(f)));
		await key(app, '\r');
		await waitForFrame(app, () => session.records.length === 1);
		await key(app, '\u001B[A'); // ↑: the last command again
		await waitForFrame(app, f => /> inspect/.test(line(f)));
		await key(app, '\r');
		await waitForFrame(app, () => session.records.length === 2);
		expect(session.records.map(r => r.command)).toEqual(['inspect', 'inspect']);
		app.unmount();
	});

	it('fits 80×24 with the briefing wrapped and scrollable, and the answers wrapped', async () => {
		const {app} = await open('clean-activation');
		sized(app, 80, 24);
		const frame = await waitForFrame(app, f => f.split('\n').every(l => l.length <= 80) && f.split('\n').length < 24 && /↓ /.test(f));
		expect(frame).toMatch(/Phases/);
		expect(frame).toMatch(/Memory quiesce|Quiesce:/);
		await key(app, '\u001B[6~'); // PgDn: the briefing scrolls
		await waitForFrame(app, f => /^↑ /m.test(f));
		await key(app, 'inspect\r');
		// The answer is shown from its top, like a pager: the command, its first rows, and how many more.
		const first = await waitForFrame(app, f => /│ > inspect\s/.test(f) && /↓ \d+ more rows \(PgDn\)/.test(f));
		expect(first).not.toMatch(/moving data\./);
		await key(app, '\t'); // the focus goes devices,
		await key(app, '\t'); // then answers
		let answered = app.lastFrame()!;
		for (let i = 0; i < 10 && !/moving data\.\s*│/.test(answered); i++) {
			await key(app, '\u001B[6~'); // PgDn: the rest of the answer
			answered = app.lastFrame()!;
		}

		expect(answered).toMatch(/moving data\.\s*│/);
		expect(answered).not.toMatch(/more rows \(PgDn\)/);
		expect(answered.split('\n').filter(l => /^│ {3}\S/.test(l)).length).toBeGreaterThan(0); // the long answer wrapped onto indented rows
		expect(answered.split('\n').every(l => l.length <= 80)).toBe(true);
		expect(answered.split('\n').length).toBeLessThan(24);
		for (let i = 0; i < 10 && !/│ > inspect\s/.test(app.lastFrame()!); i++) await key(app, '\u001B[5~'); // PgUp goes back to the command
		expect(app.lastFrame()).toMatch(/│ > inspect\s/);
		app.unmount();
	});

	it('wait lets time pass on the host', async () => {
		const {app, session} = await open('clean-activation');
		const before = session.sim.now;
		await key(app, 'wait 5s\r');
		await waitForFrame(app, f => /5s passed/.test(f));
		expect(session.sim.now - before).toBeGreaterThanOrEqual(5_000_000);
		const clock = (f: string) => Number(/host clock ([\d.]+) s/.exec(f)?.[1]);
		await waitForFrame(app, f => clock(f) >= before / 1e6 + 5);
		app.unmount();
	});

	it('a 20 s freezer timeout plays in compressed time, not at once; typed commands wait for the write', async () => {
		const {app, session} = await open('stuck-task', {playMs: span => span / 20_000}); // 20 s in 1 s
		await key(app, 'arm all\r');
		await waitForFrame(app, () => session.records.length === 1);
		await key(app, 'trigger quiesce\r');
		const seen = (f: string) => Number(/freezing: ([\d.]+) s/i.exec(f)?.[1] ?? 'NaN');
		await waitForFrame(app, f => seen(f) > 2 && seen(f) < 18 && /the kernel is working/.test(f), 5000);
		expect(app.lastFrame()).toMatch(/the write has not returned yet/);
		expect(app.lastFrame()).not.toMatch(/EBUSY/); // the answer comes when the write returns
		await key(app, 'verify\r');
		await waitForFrame(app, f => /queued until the write returns: verify/.test(f));
		await waitForFrame(app, () => session.records.length === 3, 5000);
		await waitForFrame(app, f => /NEVER REACHED/.test(f) && /│ > verify/.test(f)); // the latest answer, from its top
		await key(app, '\t');
		await key(app, '\t'); // the answers pane: PgUp goes back to the write's answer
		let frame = app.lastFrame()!;
		for (let i = 0; i < 6 && !/-16 EBUSY/.test(frame); i++) {
			await key(app, '\u001B[5~');
			frame = app.lastFrame()!;
		}

		expect(frame).toMatch(/-16 EBUSY/);
		app.unmount();
	});

	it('each mistake shows the kernel behaviour that makes it matter, on screen and in the report', async () => {
		const {frame, report} = await play('stuck-task', loadDrill('stuck-task').mistake!);
		const mistake = report.mistakes.find(m => m.rule === 'tasks')!;
		expect(frame).toMatch(/MISTAKE dealt with the task stuck in D state first/);
		expect(frame).toMatch(/why: The freezer waits up to pm_freeze_timeout/);
		expect(mistake.why).toMatch(/20 s/);
	});
});

describe('grading never penalises a step that made no difference', () => {
	const run = (drillName: string, commands: string[]) => {
		const session = new DrillSession(loadDrill(drillName), 1);
		for (const command of commands) session.run(command);
		return grade(session);
	};

	it('no inspect and no bus read on a host with nothing stuck or moving and an armed bus: full score, said so', () => {
		const report = run('clean-activation', ['arm all', 'trigger quiesce', 'verify', 'finish']);
		expect(report.mistakes).toEqual([]);
		expect(report.score).toBe(100);
		expect(report.wentWell.find(w => w.rule === 'inspect')?.detail).toMatch(/no difference on this host/);
		expect(report.wentWell.find(w => w.rule === 'check-bus')?.detail).toMatch(/it was armed: no difference on this host/);
	});

	it('not draining the RDMA adapters is no mistake once noidle is off and no DMA timed out', () => {
		const report = run('rdma-traffic', ['inspect', 'read ndbus0/firmware/activate', 'noidle off', 'arm all', 'trigger quiesce', 'verify', 'finish']);
		expect(report.mistakes).toEqual([]);
		expect(report.wentWell.find(w => w.rule === 'drain')?.detail).toMatch(/no DMA timed out: no difference on this host/);
	});

	it('but it is one when the DMA did time out, and skipping inspect is one when a task is stuck', () => {
		expect(run('rdma-traffic', ['read ndbus0/firmware/activate', 'arm all', 'trigger quiesce', 'verify', 'finish']).mistakes.map(m => m.rule)).toEqual(expect.arrayContaining(['drain', 'inspect']));
		expect(run('stuck-task', ['read ndbus0/firmware/activate', 'arm all', 'trigger quiesce', 'verify', 'finish']).mistakes.map(m => m.rule)).toEqual(expect.arrayContaining(['inspect', 'tasks']));
	});
});

describe('the drill screen, devices and quitting', () => {
	it('Tab to the devices, PgDn scrolls them; Ctrl-C quits with 130', async () => {
		let code: number | undefined;
		const session = new DrillSession(loadDrill('clean-activation'), 1);
		const app = render(<RehearsalApp session={session} onQuit={c => (code = c)} />);
		await waitForFrame(app, f => /type help for the commands/.test(f));
		await new Promise(resolve => setTimeout(resolve, 30));
		app.stdin.write('\t');
		await waitForFrame(app, f => /▸ Devices/.test(f));
		app.stdin.write('\u001B[6~');
		await waitForFrame(app, f => /\(3 above, \d+ more below\)/.test(f));
		app.stdin.write('\u0003');
		await waitForFrame(app, () => code === 130);
		app.unmount();
	});
});
