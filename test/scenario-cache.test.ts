/**
 * The built-in scenarios parsed at build time (dist/bundle/scenarios.json, source/sim/scenario-load.ts):
 * the bundle's `sim` and `scenarios` take them instead of loading zod and the YAML parser. They must
 * say exactly what parsing the files says, and never be served once a file differs.
 */
import {cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {packageRoot} from '../source/paths.js';
import {builtinScenarioNames, loadScenario} from '../source/sim/scenario.js';
import type {BuiltinScenarioCache} from '../source/sim/scenario-load.js';
import {cliPath, ensureBuilt} from './helpers/cli.js';

const root = packageRoot();
const preload = path.join(root, 'test', 'process', 'loaded-modules.mjs');
const tscCli = path.join(root, 'dist', 'source', 'cli.js');

describe('built-in scenarios parsed at build time', () => {
	let tmp: string;
	beforeAll(() => {
		ensureBuilt();
		tmp = mkdtempSync(path.join(os.tmpdir(), 'quiesce-scenario-cache-'));
	});
	afterAll(() => rmSync(tmp, {recursive: true, force: true}));

	it('hold every built-in file and, for each scenario, what scenario.ts parses from it', () => {
		const cache = JSON.parse(readFileSync(path.join(root, 'dist', 'bundle', 'scenarios.json'), 'utf8')) as BuiltinScenarioCache;
		expect(Object.keys(cache.scenarios).sort()).toEqual([...builtinScenarioNames()].sort());
		for (const name of builtinScenarioNames()) {
			const {name: _name, file, ...parsed} = loadScenario(name);
			expect(cache.scenarios[name]!.file).toBe(path.basename(file));
			expect(cache.files[path.basename(file)]).toBe(readFileSync(file, 'utf8'));
			// JSON keeps no undefined field; everything else must be the same value.
			expect(cache.scenarios[name]!.scenario).toStrictEqual(JSON.parse(JSON.stringify(parsed)));
		}
	});

	it.each([
		['default', 'json'],
		['nfit-test', 'text'],
		['busy-window', 'json'], // a YAML file
		['big-box', 'json'],
		['task-wont-freeze', 'text'],
	])('%s (%s): the bundle prints what the unbundled CLI, which parses the file, prints', async (scenario, format) => {
		const args = ['sim', '--headless', '--scenario', scenario, '--seed', '3', ...(format === 'json' ? ['--json'] : [])];
		const env = {NO_COLOR: '1'};
		const [bundled, parsed] = await Promise.all([
			execa('node', [cliPath, ...args], {reject: false, stdin: 'ignore', env}),
			execa('node', [tscCli, ...args], {reject: false, stdin: 'ignore', env}),
		]);
		expect(bundled.stdout.length).toBeGreaterThan(1000);
		expect(bundled.stdout).toBe(parsed.stdout);
		expect(bundled.exitCode).toBe(parsed.exitCode);
	});

	/** A copy of the published package whose fixtures can be edited: its bundle, package.json, node_modules. */
	function packageCopy(): {dir: string; scenarios: string; run: (args: string[]) => Promise<{stdout: string; loaded: string}>} {
		const dir = mkdtempSync(path.join(tmp, 'pkg-'));
		cpSync(path.join(root, 'dist', 'bundle'), path.join(dir, 'dist', 'bundle'), {recursive: true});
		cpSync(path.join(root, 'package.json'), path.join(dir, 'package.json'));
		cpSync(path.join(root, 'fixtures', 'scenarios'), path.join(dir, 'fixtures', 'scenarios'), {recursive: true});
		symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
		const run = async (args: string[]) => {
			const log = path.join(dir, `loaded-${Math.random().toString(36).slice(2)}.log`);
			const result = await execa('node', ['--import', preload, path.join(dir, 'dist', 'bundle', 'cli.js'), ...args], {reject: false, stdin: 'ignore', env: {QUIESCE_LOADED_LOG: log, NO_COLOR: '1'}});
			expect(result.stderr).toBe('');
			return {stdout: result.stdout, loaded: readFileSync(log, 'utf8')};
		};

		return {dir, scenarios: path.join(dir, 'fixtures', 'scenarios'), run};
	}

	/** Whether a run loaded zod: the chunk that holds it, by the copy's metafile. */
	function loadedZod(dir: string, loaded: string): boolean {
		const meta = JSON.parse(readFileSync(path.join(dir, 'dist', 'bundle', 'meta.json'), 'utf8')) as {outputs: Record<string, {inputs: Record<string, unknown>}>};
		const zodChunks = Object.entries(meta.outputs).filter(([, output]) => Object.keys(output.inputs).some(input => input.includes('node_modules/zod/'))).map(([file]) => path.basename(file));
		return loaded.split('\n').filter(Boolean).some(line => zodChunks.includes(path.basename(line.startsWith('file:') ? fileURLToPath(line) : line)));
	}

	it('unchanged files: `sim` and `scenarios` load no zod', async () => {
		const copy = packageCopy();
		const sim = await copy.run(['sim', '--headless', '--scenario', 'default']);
		expect(sim.stdout).toMatch(/^# outcome success/m);
		expect(loadedZod(copy.dir, sim.loaded)).toBe(false);
		const list = await copy.run(['scenarios']);
		expect(list.stdout).toMatch(/^default {2,}\S/m);
		expect(loadedZod(copy.dir, list.loaded)).toBe(false);
	});

	it('an edited built-in file is parsed again, not served from the build', async () => {
		const copy = packageCopy();
		const file = path.join(copy.scenarios, 'default.json');
		const scenario = JSON.parse(readFileSync(file, 'utf8')) as {description: string; dimms: {count: number}};
		scenario.description = 'edited after the build';
		scenario.dimms.count = 3;
		writeFileSync(file, JSON.stringify(scenario, null, '\t'));
		const list = await copy.run(['scenarios', '--json']);
		const row = list.stdout.split('\n').map(line => JSON.parse(line) as {name: string; description: string; dimms: number}).find(r => r.name === 'default');
		expect(row).toMatchObject({description: 'edited after the build', dimms: 3});
		expect(loadedZod(copy.dir, list.loaded)).toBe(true);
		const sim = await copy.run(['sim', '--headless', '--scenario', 'default']);
		expect(sim.stdout).toMatch(/DIMMs: 3 success/);
	});

	it('a built-in file added or removed after the build: the whole set is parsed again', async () => {
		const added = packageCopy();
		writeFileSync(path.join(added.scenarios, 'extra.json'), JSON.stringify({extends: 'default', description: 'added after the build'}));
		const list = await added.run(['scenarios']);
		expect(list.stdout).toMatch(/^extra {2,}added after the build$/m);
		expect(loadedZod(added.dir, list.loaded)).toBe(true);

		const removed = packageCopy();
		unlinkSync(path.join(removed.scenarios, 'overflow.json'));
		const after = await removed.run(['scenarios']);
		expect(after.stdout).not.toMatch(/^overflow /m);
		expect(loadedZod(removed.dir, after.loaded)).toBe(true);
	});
});
