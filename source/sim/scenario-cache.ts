/**
 * Build time only (scripts/build.mjs, a bundle entry of its own): every built-in scenario parsed by
 * scenario.ts, with the text of every built-in file, for scenario-load.ts to serve without zod.
 */
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {loadYamlParser} from '../yaml.js';
import {builtinScenarioFiles} from './scenario-files.js';
import {builtinScenarioNames, loadScenario, scenariosDir} from './scenario.js';
import type {BuiltinScenarioCache} from './scenario-load.js';

export async function builtinScenarioCache(): Promise<BuiltinScenarioCache> {
	await loadYamlParser();
	const dir = scenariosDir();
	const files: BuiltinScenarioCache['files'] = {};
	for (const name of builtinScenarioFiles()) files[name] = readFileSync(path.join(dir, name), 'utf8');
	const scenarios: BuiltinScenarioCache['scenarios'] = {};
	for (const name of builtinScenarioNames()) {
		const {name: _name, file, ...scenario} = loadScenario(name);
		scenarios[name] = {file: path.basename(file), scenario};
	}

	return {files, scenarios};
}
