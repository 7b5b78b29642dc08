/**
 * Loading scenarios: built-in ones by name from fixtures/scenarios, or any
 * JSON/YAML file by path. Every error names the file, the field path and
 * what was expected, on one line.
 */
import path from 'node:path';
import {parseYaml} from '../yaml.js';
import type {ZodIssue} from 'zod';
import {scenarioSchema, type ScenarioFile} from './scenario-schema.js';
import {ScenarioError} from '../errors.js';
import {looksLikePath, readScenarioText, resolveScenarioFile, type Scenario} from './scenario-files.js';

export {ScenarioError, type Scenario};
export {builtinScenarioNames, resolveScenarioFile, scenariosDir} from './scenario-files.js';

export function loadScenario(ref: string): Scenario {
	const file = resolveScenarioFile(ref);
	return parseScenario(readScenarioText(file), file);
}

type RawObject = Record<string, unknown>;

function isObject(value: unknown): value is RawObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseRaw(text: string, file: string): RawObject {
	let raw: unknown;
	try {
		raw = path.extname(file) === '.json' ? JSON.parse(text) : parseYaml(text);
	} catch (error) {
		const message = (error as Error).message.split('\n')[0];
		throw new ScenarioError(`${file}: not valid ${path.extname(file) === '.json' ? 'JSON' : 'YAML'}: ${message}`);
	}

	if (!isObject(raw)) throw new ScenarioError(`${file}: expected a mapping of scenario fields at the top level`);
	return raw;
}

/** Objects merge key by key; anything else (arrays included) replaces. */
function deepMerge(base: RawObject, over: RawObject): RawObject {
	const out: RawObject = {...base};
	for (const [key, value] of Object.entries(over)) {
		const previous = out[key];
		out[key] = isObject(previous) && isObject(value) ? deepMerge(previous, value) : value;
	}

	return out;
}

/** Resolve `extends: NAME|PATH` (relative paths from the extending file). */
function resolveExtends(raw: RawObject, file: string, chain: string[]): RawObject {
	const parent = raw['extends'];
	const {extends: _extends, ...own} = raw;
	if (parent === undefined) return own;
	if (typeof parent !== 'string' || parent.length === 0) {
		throw new ScenarioError(`${file}: extends: expected a scenario name or path`);
	}

	const parentRef = looksLikePath(parent) ? path.resolve(path.dirname(file), parent) : parent;
	const parentFile = resolveScenarioFile(parentRef);
	if (chain.includes(path.resolve(parentFile))) {
		throw new ScenarioError(`${file}: extends: cycle through ${path.basename(parentFile)}`);
	}

	const parentRaw = resolveExtends(parseRaw(readScenarioText(parentFile), parentFile), parentFile, [...chain, path.resolve(parentFile)]);
	return deepMerge(parentRaw, own);
}

export function parseScenario(text: string, file: string): Scenario {
	const raw = resolveExtends(parseRaw(text, file), file, [path.resolve(file)]);
	const parsed = scenarioSchema.safeParse(raw);
	if (!parsed.success) throw new ScenarioError(`${file}: ${describeIssue(parsed.error.issues[0]!)}`);
	const scenario = parsed.data;
	checkCrossFields(scenario, file);
	return {...scenario, name: path.basename(file, path.extname(file)), file};
}

function describeIssue(issue: ZodIssue): string {
	const where = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
	if (issue.code === 'invalid_type' && issue.received === 'undefined') return `${where}: required field is missing (expected ${issue.expected})`;
	if (issue.code === 'unrecognized_keys') return `${where}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map(k => `"${k}"`).join(', ')}`;
	if (issue.code === 'invalid_enum_value') return `${where}: expected one of ${issue.options.map(o => `"${String(o)}"`).join(', ')}, got "${String(issue.received)}"`;
	if (issue.code === 'invalid_type') return `${where}: expected ${issue.expected}, got ${issue.received}`;
	return `${where}: ${issue.message}`;
}

function checkCrossFields(scenario: ScenarioFile, file: string): void {
	for (const key of Object.keys(scenario.dimms.overrides)) {
		const index = Number(key.replace(/^nmem/, ''));
		if (index >= scenario.dimms.count) {
			throw new ScenarioError(`${file}: dimms.overrides.${key}: expected a DIMM index below dimms.count (${scenario.dimms.count})`);
		}
	}

	const seen = new Set<string>();
	for (const [i, device] of scenario.devices.entries()) {
		if (device.count > 1 && !device.name.includes('{i}') && !device.name.includes('{x}')) {
			throw new ScenarioError(`${file}: devices.${i}.name: expected "{i}" or "{x}" in the name when count > 1`);
		}

		if (seen.has(device.name)) throw new ScenarioError(`${file}: devices.${i}.name: duplicate device "${device.name}"`);
		seen.add(device.name);
	}

	for (const [i, stuck] of scenario.tasks.stuck.entries()) {
		const pool = stuck.kind === 'user' ? scenario.tasks.user : scenario.tasks.kernel;
		const sameKind = scenario.tasks.stuck.filter(s => s.kind === stuck.kind).length;
		if (sameKind > pool) throw new ScenarioError(`${file}: tasks.stuck.${i}: more stuck ${stuck.kind} tasks than tasks.${stuck.kind} (${pool})`);
	}
}
