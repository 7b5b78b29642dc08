/**
 * A scenario for a run, as cheaply as it can be had. Run from the bundle, a built-in scenario is
 * taken as parsed at build time (dist/bundle/scenarios.json: scripts/build.mjs writes it with
 * scenario-cache.ts) as long as every built-in file still reads byte for byte as it did then, so
 * `sim --headless` and `scenarios` load neither zod nor the YAML parser. Anything else (a path, an
 * edited or added built-in file, a run from source) is parsed by scenario.ts, loaded on demand.
 */
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {builtinScenarioFiles, builtinScenarioNames, looksLikePath, scenariosDir, type Scenario} from './scenario-files.js';
import type {ScenarioFile} from './scenario-schema.js';

/** dist/bundle/scenarios.json: each built-in file's text, and each built-in scenario as scenario.ts parsed it. */
export type BuiltinScenarioCache = {
	files: Record<string, string>;
	scenarios: Record<string, {file: string; scenario: ScenarioFile}>;
};

let cache: BuiltinScenarioCache | null | undefined;

function currentCache(): BuiltinScenarioCache | null {
	if (cache !== undefined) return cache;
	cache = null;
	let built: BuiltinScenarioCache;
	try {
		// Beside the chunk that holds this code: dist/bundle/. From source/ or dist/source/ there is none.
		built = JSON.parse(readFileSync(new URL('./scenarios.json', import.meta.url), 'utf8')) as BuiltinScenarioCache;
	} catch {
		return null;
	}

	const dir = scenariosDir();
	let names: string[];
	try {
		names = builtinScenarioFiles();
	} catch {
		return null;
	}

	const then = Object.keys(built.files).sort();
	if (names.length !== then.length || names.some((name, i) => name !== then[i])) return null;
	for (const name of names) {
		let text: string;
		try {
			text = readFileSync(path.join(dir, name), 'utf8');
		} catch {
			return null;
		}

		if (text !== built.files[name]) return null;
	}

	cache = built;
	return cache;
}

function cachedEntry(ref: string): BuiltinScenarioCache['scenarios'][string] | undefined {
	return looksLikePath(ref) ? undefined : currentCache()?.scenarios[ref];
}

/** A built-in scenario by name as parsed at build time, or undefined when that cannot be trusted. */
export function cachedBuiltinScenario(ref: string): Scenario | undefined {
	const entry = cachedEntry(ref);
	if (!entry) return undefined;
	return {...(structuredClone(entry.scenario)), name: ref, file: path.join(scenariosDir(), entry.file)};
}

let parse: ((ref: string) => Scenario) | undefined;

/**
 * A scenario given by name or path that is (or may be) YAML: load the parser first, so that the
 * synchronous reader finds it loaded (source/yaml.ts). A JSON one never loads it (one that extends
 * a YAML scenario still works: the reader then requires the parser itself).
 */
export async function yamlFirst(scenario: string): Promise<void> {
	const json = looksLikePath(scenario) ? scenario.endsWith('.json') : existsSync(path.join(scenariosDir(), `${scenario}.json`));
	if (!json) await (await import('../yaml.js')).loadYamlParser();
}

/** Before loadScenarioForRun(ref): loads the parser unless the build-time parse serves. */
export async function prepareScenario(ref: string): Promise<void> {
	if (cachedEntry(ref)) return;
	await yamlFirst(ref);
	parse ??= (await import('./scenario.js')).loadScenario;
}

/** The scenario `ref` names (prepareScenario(ref) first); a bad one throws ScenarioError. */
export function loadScenarioForRun(ref: string): Scenario {
	const cached = cachedBuiltinScenario(ref);
	if (cached) return cached;
	if (!parse) throw new Error(`scenario "${ref}": prepareScenario() was not awaited first`);
	return parse(ref);
}

/** Every built-in scenario, default first. */
export async function builtinScenarios(): Promise<Scenario[]> {
	const names = builtinScenarioNames();
	const cached = names.map(cachedBuiltinScenario);
	if (cached.every(scenario => scenario !== undefined)) return cached;
	const [{loadScenario}] = await Promise.all([import('./scenario.js'), import('../yaml.js').then(yaml => yaml.loadYamlParser())]);
	return names.map(loadScenario);
}
