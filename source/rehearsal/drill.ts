/**
 * Drills: a briefing, a scenario (a built-in or a path, with overrides), the
 * constraints, and which grading rules apply. Files in fixtures/drills/ or
 * anywhere; validated with errors that name the file and the field.
 */
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {parseYaml} from '../yaml.js';
import {z} from 'zod';
import {fixturesDir} from '../paths.js';
import {parseScenario, ScenarioError, type Scenario} from '../sim/scenario.js';
import {ruleIds} from './rules.js';
import {DrillError} from '../errors.js';

const drillSchema = z
	.object({
		description: z.string().min(1),
		briefing: z.string().min(1),
		scenario: z.string().min(1),
		overrides: z.record(z.unknown()).default({}),
		/** Longest time user space may stay frozen, in total. */
		maxFrozenMs: z.number().positive().optional(),
		rules: z.array(z.union([z.enum(ruleIds), z.object({id: z.enum(ruleIds), points: z.number().int().positive()}).strict()])).min(1),
		/** The commands of a correct run, and of the typical mistake (for teaching and tests). */
		solution: z.array(z.string()).optional(),
		mistake: z.array(z.string()).optional(),
	})
	.strict();

export type Drill = z.infer<typeof drillSchema> & {name: string; file: string; scenarioData: Scenario};

export {DrillError};

export function drillsDir(): string {
	return fixturesDir('drills');
}

export function builtinDrillNames(): string[] {
	return readdirSync(drillsDir()).filter(f => /\.ya?ml$/.test(f)).map(f => f.replace(/\.ya?ml$/, '')).sort();
}

export function loadDrill(ref: string): Drill {
	const file = /[/\\]|\.ya?ml$/.test(ref) ? ref : ['.yaml', '.yml'].map(ext => path.join(drillsDir(), ref + ext)).find(f => existsSync(f));
	if (!file || !existsSync(file)) throw new DrillError(`unknown drill "${ref}" (built-in: ${builtinDrillNames().join(', ')})`);
	let raw: unknown;
	try {
		raw = parseYaml(readFileSync(file, 'utf8'));
	} catch (error) {
		throw new DrillError(`${file}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
	}

	const parsed = drillSchema.safeParse(raw);
	if (!parsed.success) {
		const issue = parsed.error.issues[0]!;
		throw new DrillError(`${file}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
	}

	const drill = parsed.data;
	const base = /[/\\]|\.(?:json|ya?ml)$/.test(drill.scenario) ? path.resolve(path.dirname(file), drill.scenario) : drill.scenario;
	let scenarioData: Scenario;
	try {
		scenarioData = parseScenario(JSON.stringify({...drill.overrides, extends: base, description: drill.description}), path.join(path.dirname(file), `${path.basename(file).replace(/\.ya?ml$/, '')}.json`));
	} catch (error) {
		if (error instanceof ScenarioError) throw new DrillError(`${file}: scenario: ${error.message}`);
		throw error;
	}

	return {...drill, name: path.basename(file).replace(/\.ya?ml$/, ''), file, scenarioData};
}
