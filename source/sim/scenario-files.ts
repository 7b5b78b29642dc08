/**
 * Where scenarios come from: the built-in ones by name from fixtures/scenarios, or a JSON/YAML file
 * by path. Finding and reading only; parsing is scenario.ts (zod, YAML), and a built-in scenario
 * parsed at build time is scenario-load.ts.
 */
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fixturesDir} from '../paths.js';
import type {ScenarioFile} from './scenario-schema.js';
import {ScenarioError} from '../errors.js';

export type Scenario = ScenarioFile & {name: string; file: string};

const extensions = ['.json', '.yaml', '.yml'];

export function scenariosDir(): string {
	return fixturesDir('scenarios');
}

/** A file name a scenario can have: .json, .yaml or .yml. */
function isScenarioFileName(name: string): boolean {
	return extensions.includes(path.extname(name));
}

/** The built-in scenario files' names (default.json, busy-window.yaml…), sorted. */
export function builtinScenarioFiles(): string[] {
	return readdirSync(scenariosDir()).filter(isScenarioFileName).sort();
}

export function builtinScenarioNames(): string[] {
	return builtinScenarioFiles()
		.map(f => path.basename(f, path.extname(f)))
		.sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : a.localeCompare(b)));
}

export function looksLikePath(ref: string): boolean {
	return ref.includes('/') || ref.includes('\\') || extensions.includes(path.extname(ref));
}

/** A built-in name, or a path to a scenario file. */
export function resolveScenarioFile(ref: string): string {
	if (!looksLikePath(ref)) {
		for (const ext of extensions) {
			const file = path.join(scenariosDir(), ref + ext);
			if (existsSync(file)) return file;
		}

		throw new ScenarioError(
			`unknown scenario "${ref}" (built-in: ${builtinScenarioNames().join(', ')}; or give a path to a .json/.yaml file)`,
		);
	}

	if (!existsSync(ref)) throw new ScenarioError(`${ref}: no such scenario file`);
	return ref;
}

export function readScenarioText(file: string): string {
	try {
		return readFileSync(file, 'utf8');
	} catch (error) {
		throw new ScenarioError(`${file}: cannot read: ${(error as Error).message}`);
	}
}

