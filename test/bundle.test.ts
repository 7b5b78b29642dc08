/**
 * The published bin is source/cli.ts bundled by scripts/build.mjs with code splitting: what a run
 * loads is checked here, not timed. Each run is spawned with a preload that logs every file it
 * loads (test/process/loaded-modules.mjs); the bundle's metafile says which sources and packages
 * each loaded chunk holds.
 */
import {appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';
import {beforeAll, describe, expect, it} from 'vitest';
import {fixturesDir, packageRoot} from '../source/paths.js';
import {cliPath, ensureBuilt} from './helpers/cli.js';

const root = packageRoot();
const bundleDir = path.join(root, 'dist', 'bundle');
const preload = path.join(root, 'test', 'process', 'loaded-modules.mjs');
type Meta = {outputs: Record<string, {inputs: Record<string, unknown>}>};

/** The packages and source folders a run loaded: chunks resolved to their inputs through the metafile, plus CommonJS files. */
function whatWasLoaded(logFile: string, meta: Meta): Set<string> {
	const loaded = new Set<string>();
	const name = (input: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1] ?? input.replace(/\/[^/]*$/, '/');
	for (const line of readFileSync(logFile, 'utf8').split('\n').filter(Boolean)) {
		const file = line.startsWith('file:') ? fileURLToPath(line) : line;
		if (file.startsWith(bundleDir + path.sep)) {
			const output = meta.outputs[path.relative(root, file).split(path.sep).join('/')];
			if (!output) throw new Error(`a loaded file the metafile does not list: ${file}`);
			for (const input of Object.keys(output.inputs)) loaded.add(name(input));
		} else if (file.includes(`${path.sep}node_modules${path.sep}`)) loaded.add(name(file.split(path.sep).join('/')));
	}

	return loaded;
}

const uiPackages = ['ink', 'react', 'react-reconciler', 'scheduler', 'yoga-layout', '@inkjs/ui'];

describe('the published bin (dist/bundle)', () => {
	let meta: Meta;
	let tmp: string;
	beforeAll(() => {
		ensureBuilt();
		meta = JSON.parse(readFileSync(path.join(bundleDir, 'meta.json'), 'utf8')) as Meta;
		tmp = mkdtempSync(path.join(os.tmpdir(), 'quiesce-bundle-'));
		return () => rmSync(tmp, {recursive: true, force: true});
	});

	async function loadedBy(args: string[]): Promise<{loaded: Set<string>; exitCode: number | undefined}> {
		const log = path.join(tmp, `loaded-${Math.random().toString(36).slice(2)}.log`);
		const result = await execa('node', ['--import', preload, cliPath, ...args], {reject: false, stdin: 'ignore', env: {QUIESCE_LOADED_LOG: log, NO_COLOR: '1'}});
		return {loaded: whatWasLoaded(log, meta), exitCode: result.exitCode};
	}

	it('package.json publishes the bundle as the bin', () => {
		const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {bin: Record<string, string>; files: string[]};
		expect(pkg.bin['quiesce']).toBe('dist/bundle/cli.js');
		expect(pkg.files).toContain('dist/bundle');
		expect(path.relative(root, cliPath)).toBe(path.join('dist', 'bundle', 'cli.js'));
	});

	it('the bundle holds React\'s production build only', () => {
		const inputs = Object.values(meta.outputs).flatMap(output => Object.keys(output.inputs));
		expect(inputs.some(input => /react-reconciler\/cjs\/react-reconciler\.production\.js$/.test(input))).toBe(true);
		expect(inputs.filter(input => /\.development\.js$/.test(input))).toEqual([]);
	});

	it.each([
		['sim --headless', ['sim', '--headless', '--scenario', 'default'], 0],
		['sim --json', ['sim', '--json', '--scenario', 'default'], 0],
		['--help', ['--help'], 0],
		['--version', ['--version'], 0],
		['scenarios', ['scenarios'], 0],
		['replay --summary', ['replay', '--summary', fixturesDir('traces', '01-hibernate-3.17-qemu-em28xx-full-cycle.log')], undefined],
		['replay (piped)', ['replay', fixturesDir('traces', '01-hibernate-3.17-qemu-em28xx-full-cycle.log')], undefined],
		['risk --json', ['risk', '--runs', '20', '--threads', '1', '--json'], 0],
		['rehearse --headless', ['rehearse', '--drill', 'clean-activation', '--headless'], undefined],
		['a usage error', ['sim', '--seed', 'x'], 2],
	] as const)('%s loads no Ink, React or yoga, and no monitor code', async (_name, args, status) => {
		const {loaded, exitCode} = await loadedBy([...args]);
		if (status !== undefined) expect(exitCode).toBe(status);
		expect(loaded.has('yargs')).toBe(true); // the log did see the run
		expect(uiPackages.filter(p => loaded.has(p))).toEqual([]);
		expect([...loaded].filter(input => input.startsWith('source/ui/'))).toEqual([]);
		expect(loaded.has('execa')).toBe(false);
	});

	// scripts/build.mjs lazyHelpRendering: yargs' help layout (cliui, string-width and its Unicode
	// tables) loads only when help is asked for.
	it.each([
		['sim --headless', ['sim', '--headless', '--scenario', 'default'], false],
		['a usage error', ['sim', '--frobnicate'], false],
		['no command', [], false],
		['completion', ['completion'], false],
		['--help', ['--help'], true],
		['replay --help', ['replay', '--help'], true],
		['help after the options', ['sim', '--seed', '3', '--help'], true],
	] as const)('%s (args %j): help layout loaded: %s', async (_name, args, help) => {
		const {loaded} = await loadedBy([...args]);
		expect(loaded.has('yargs')).toBe(true);
		expect(['cliui', 'string-width', 'emoji-regex'].filter(p => loaded.has(p))).toEqual(help ? ['cliui', 'string-width', 'emoji-regex'] : []);
	});

	it('help laid out by the lazily loaded cliui: options in a column, wrapped to the width', async () => {
		const result = await execa('node', [cliPath, 'sim', '--help'], {reject: false, stdin: 'ignore', env: {NO_COLOR: '1', COLUMNS: '80'}});
		expect(result.exitCode).toBe(0);
		const lines = result.stdout.split('\n');
		const seed = lines.find(line => line.trimStart().startsWith('--seed'));
		const scenario = lines.find(line => line.trimStart().startsWith('--scenario'));
		expect(seed).toBeDefined();
		// cliui puts every description in one column: the two option rows start their text at the same place.
		expect(/--seed\s+(\S)/.exec(seed!)!.index + /--seed\s+/.exec(seed!)![0].length).toBe(/--scenario\s+/.exec(scenario!)!.index + /--scenario\s+/.exec(scenario!)![0].length);
		expect(Math.max(...lines.map(line => line.length))).toBeLessThanOrEqual(100);
	});

	it('a JSON scenario never loads the YAML parser; a YAML file does', async () => {
		expect((await loadedBy(['sim', '--headless', '--scenario', 'default'])).loaded.has('yaml')).toBe(false);
		expect((await loadedBy(['sim', '--headless', '--scenario', fixturesDir('scenarios', 'busy-window.yaml')])).loaded.has('yaml')).toBe(true);
	});

	// dist/bundle/scenarios.json (test/scenario-cache.test.ts): built-in scenarios parsed at build time.
	it.each([
		['sim --headless of a JSON built-in', ['sim', '--headless', '--scenario', 'default']],
		['sim --headless of a YAML built-in', ['sim', '--headless', '--scenario', 'busy-window']],
		['scenarios', ['scenarios']],
	])('%s loads neither zod nor the YAML parser', async (_name, args) => {
		const {loaded} = await loadedBy(args);
		expect(loaded.has('yargs')).toBe(true);
		expect(['zod', 'yaml'].filter(p => loaded.has(p))).toEqual([]);
	});

	// source/trace/zod-on-demand.ts: the JSON formats' schemas load zod on first use.
	it('a plain log\'s replay loads no zod; ndctl JSON and a recorded bundle do', async () => {
		expect((await loadedBy(['replay', '--summary', fixturesDir('traces', '01-hibernate-3.17-qemu-em28xx-full-cycle.log')])).loaded.has('zod')).toBe(false);
		expect((await loadedBy(['replay', '--summary', fixturesDir('traces', '44-ndctl-list-BF-nfit_test-firmware-activate.json')])).loaded.has('zod')).toBe(true);
		const bundle = path.join(tmp, 'recorded');
		await execa('node', [cliPath, 'record', '--scenario', 'default', '--out', bundle], {stdin: 'ignore'});
		const replayed = await loadedBy(['replay', '--summary', bundle]);
		expect(replayed.exitCode).toBe(0);
		expect(replayed.loaded.has('zod')).toBe(true);
	});

	it('a plain log\'s replay loads no zstd decoder; a .zst one does', async () => {
		const log = fixturesDir('traces', '01-hibernate-3.17-qemu-em28xx-full-cycle.log');
		expect((await loadedBy(['replay', '--summary', log])).loaded.has('fzstd')).toBe(false);
		const zst = path.join(tmp, 'plain.log.zst');
		// zstd frame of the log, made by the zstd command (.ci/run installs it).
		await execa('zstd', ['-q', '-f', log, '-o', zst]);
		expect((await loadedBy(['replay', '--summary', zst])).loaded.has('fzstd')).toBe(true);
	});

	it('capture loads execa (for ndctl), still no UI', async () => {
		const {loaded} = await loadedBy(['capture', '--root', fixturesDir('sysfs-trees', 'armed'), '--out', path.join(tmp, 'capture-out')]);
		expect(loaded.has('execa')).toBe(true);
		expect(uiPackages.filter(p => loaded.has(p))).toEqual([]);
	});

	it('the monitor in a terminal does load Ink and React (the check sees them when they are there)', async () => {
		const log = path.join(tmp, 'monitor.log');
		// Without CI in the environment: Ink (is-in-ci) draws only the last frame when CI is set, as on the CI runner.
		const {CI: _ci, ...env} = process.env;
		const child = spawn('script', ['-qfec', `node --import ${preload} ${cliPath} sim --paused`, '/dev/null'], {env: {...env, QUIESCE_LOADED_LOG: log, COLUMNS: '120', LINES: '40', TERM: 'xterm'}, stdio: ['pipe', 'pipe', 'ignore']});
		let screen = '';
		child.stdout.on('data', (chunk: Buffer) => (screen += chunk.toString()));
		try {
			const deadline = Date.now() + 20_000;
			while (!/PAUSED/.test(screen) && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50));
			expect(screen).toMatch(/PAUSED/);
			const loaded = whatWasLoaded(log, meta);
			expect(uiPackages.filter(p => loaded.has(p) && p !== '@inkjs/ui')).toEqual(uiPackages.filter(p => p !== '@inkjs/ui'));
			expect([...loaded].some(input => input.startsWith('source/ui/'))).toBe(true);
		} finally {
			child.stdin.write('q');
			child.kill('SIGTERM');
		}
	}, 30_000);
});

describe('npm start', () => {
	it('rebuilds the bundle only when an input changed (prestart: scripts/build.mjs --if-changed)', async () => {
		const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {scripts: Record<string, string>};
		expect(pkg.scripts['prestart']).toBe('node scripts/build.mjs --if-changed');
		expect(pkg.scripts['start']).toBe('node dist/bundle/cli.js sim');
		// A copy of the project (its own dist/), so that changing a source cannot disturb other tests.
		const copy = mkdtempSync(path.join(os.tmpdir(), 'quiesce-start-'));
		try {
			for (const entry of ['source', 'scripts']) cpSync(path.join(root, entry), path.join(copy, entry), {recursive: true});
			for (const file of ['package.json', 'package-lock.json', 'tsconfig.json']) cpSync(path.join(root, file), path.join(copy, file));
			for (const entry of ['node_modules', 'fixtures']) symlinkSync(path.join(root, entry), path.join(copy, entry));
			const start = () => execa('npm', ['start', '--silent', '--', '--headless'], {cwd: copy, reject: false, stdin: 'ignore', env: {QUIESCE_BUILD_VERBOSE: '1', NO_COLOR: '1'}});
			const bin = path.join(copy, 'dist', 'bundle', 'cli.js');

			const first = await start();
			expect(first.stderr).toMatch(/build: dist\/bundle written/);
			expect(first.exitCode, String(first.stderr)).toBe(0);
			expect(first.stdout).toMatch(/^# outcome success/m);
			const built = statSync(bin).mtimeMs;

			const second = await start();
			expect(second.stderr).toMatch(/build: dist\/bundle is current, not rebuilt/);
			expect(second.stderr).not.toMatch(/written/);
			expect(second.stdout).toBe(first.stdout);
			expect(statSync(bin).mtimeMs).toBe(built);

			appendFileSync(path.join(copy, 'source', 'escape.ts'), '\n// a change\n');
			const third = await start();
			expect(third.stderr).toMatch(/build: dist\/bundle written/);
			expect(third.exitCode).toBe(0);
		} finally {
			rmSync(copy, {recursive: true, force: true});
		}
	}, 120_000);
});
