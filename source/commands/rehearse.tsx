/**
 * `quiesce rehearse`: list drills, play one at the keyboard, or run one from
 * a script of actions (headless) — then grade it and write the report.
 */
import {readFileSync, writeFileSync} from 'node:fs';
import process from 'node:process';
import {builtinDrillNames, loadDrill, type Drill} from '../rehearsal/drill.js';
import {grade, reportMarkdown, reportSummary, type DrillReport} from '../rehearsal/report.js';
import {DrillSession} from '../rehearsal/session.js';
import {UsageError} from './errors.js';
import {jsonVersion} from '../json-version.js';

export type RehearseArgs = {list: boolean; drill?: string; seed: number; actions?: string; report?: string; json: boolean; headless: boolean};

/** One command per line (or a YAML list); blank lines and # comments are skipped. */
export function readActions(file: string): string[] {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		throw new UsageError(`--actions ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
	}

	return text.split('\n').map(l => l.replace(/^\s*-\s+/, '').replace(/#.*$/, '').trim()).filter(Boolean);
}

function writeReport(file: string, report: DrillReport, drill: Drill): string[] {
	const base = file.replace(/\.(?:md|json)$/, '');
	writeFileSync(`${base}.md`, reportMarkdown(report, drill));
	writeFileSync(`${base}.json`, JSON.stringify(report, null, 2) + '\n');
	return [`${base}.md`, `${base}.json`];
}

export async function runRehearse(args: RehearseArgs): Promise<void> {
	if (args.list) {
		for (const name of builtinDrillNames()) process.stdout.write(`${name.padEnd(20)} ${loadDrill(name).description}\n`);
		return;
	}

	if (!args.drill) throw new UsageError('give --drill NAME|PATH (or --list)');
	const drill = loadDrill(args.drill);
	const session = new DrillSession(drill, args.seed);
	if (args.actions || args.headless || !process.stdout.isTTY || !process.stdin.isTTY || process.env['TERM'] === 'dumb') {
		const actions = args.actions ? readActions(args.actions) : drill.solution ?? [];
		if (!args.actions && !args.json) process.stdout.write(`# no --actions: playing the drill's own solution\n`);
		for (const command of actions) {
			const answer = session.run(command);
			if (!args.json) process.stdout.write(`> ${command}\n${answer}\n`);
			if (session.finished) break;
		}

		if (!session.finished) session.run('finish');
		const report = grade(session);
		const written = args.report ? writeReport(args.report, report, drill) : [];
		process.stdout.write(args.json ? JSON.stringify({version: jsonVersion, ...report}) + '\n' : [...reportSummary(report), ...written.map(f => `report written to ${f}`)].join('\n') + '\n');
		return;
	}

	let finished: DrillReport | undefined;
	// The drill's screen (Ink, React) is loaded only here: headless drills never parse it.
	const {showRehearsal} = await import('../ui/rehearsal-run.js');
	await showRehearsal(session, report => (finished = report), code => (process.exitCode = code));
	if (finished && args.report) for (const file of writeReport(args.report, finished, drill)) process.stdout.write(`report written to ${file}\n`);
}
