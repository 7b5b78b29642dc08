#!/usr/bin/env node
/**
 * The published CLI: source/cli.ts bundled by esbuild into dist/bundle/.
 *
 *   node scripts/build.mjs               bundle now
 *   node scripts/build.mjs --if-changed  bundle only when an input changed since the last bundle
 *
 * Code splitting: every `await import()` in cli.ts and commands/ becomes its own chunk, so a headless
 * command parses only what it runs (the monitor's Ink, React and yoga live in chunks that
 * `sim --headless` never loads; test/bundle.test.ts checks it from the metafile). React's production
 * build is chosen at bundle time. The risk worker is a second entry point beside the chunks
 * (source/risk/pool.ts finds it as ./worker.js).
 *
 * --if-changed compares a hash of every input (source/, package.json, package-lock.json, this script)
 * with the one stored beside the bundle; the same hash means the bundle is current and nothing is
 * written. `npm start` runs it first, so it costs a hash, not a build, when nothing changed.
 */
import {createHash} from 'node:crypto';
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {inkOutputFile, patchInkOutput} from './ink-output-patch.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'bundle');
const stampFile = path.join(outdir, 'inputs.sha256');
const metafileOut = path.join(outdir, 'meta.json');

/** Every input of the bundle, in a stable order. */
function inputFiles() {
	const files = [];
	const walk = dir => {
		for (const entry of readdirSync(dir, {withFileTypes: true}).sort((a, b) => (a.name < b.name ? -1 : 1))) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) walk(full);
			else if (entry.isFile()) files.push(full);
		}
	};

	walk(path.join(root, 'source'));
	// The built-in scenarios parsed at build time (scenarios.json): a changed one rebuilds. A stale
	// one is never served anyway (source/sim/scenario-load.ts compares every file's text).
	walk(path.join(root, 'fixtures', 'scenarios'));
	for (const file of ['package.json', 'package-lock.json', 'tsconfig.json']) if (existsSync(path.join(root, file))) files.push(path.join(root, file));
	files.push(fileURLToPath(import.meta.url));
	files.push(path.join(root, 'scripts', 'ink-output-patch.mjs'));
	return files;
}

export function inputsHash() {
	const hash = createHash('sha256');
	for (const file of inputFiles()) {
		hash.update(path.relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
	}

	return hash.digest('hex');
}

export function bundleIsCurrent(hash = inputsHash()) {
	try {
		return readFileSync(stampFile, 'utf8').trim() === hash && existsSync(path.join(outdir, 'cli.js'));
	} catch {
		return false;
	}
}

/**
 * string-width 8.3 measures printable ASCII as its length before it segments anything ("Fast path:
 * printable ASCII (0x20–0x7E) needs no segmenter, regex, or EAW lookup — width equals length");
 * 7.2 (cliui's and wrap-ansi's copies, which lay out help and Ink's wrapped text) segments every
 * string, and the first one builds the Intl.Segmenter (ICU's break-iterator data). The same fast
 * path, in the same place (after ANSI codes are stripped): for such a string 7.2 adds 1 per
 * character too (none is a control, zero-width, combining, default-ignorable or emoji character,
 * and all are East Asian Width narrow). test/string-width-fast-path.test.ts compares the two.
 */
export function asciiFastPath(text) {
	if (text.includes('// Fast path: printable ASCII')) return {contents: text};
	const before = '\tif (string.length === 0) {\n\t\treturn 0;\n\t}\n\n';
	const anchor = `${before}\tlet width = 0;`;
	if (!text.includes(anchor)) return {error: 'expected the 7.x "if (string.length === 0) … let width = 0;" or the 8.x ASCII fast path (see asciiFastPath in scripts/build.mjs)'};
	const fastPath = '\t// Fast path: printable ASCII (scripts/build.mjs asciiFastPath).\n\tif (/^[\\u0020-\\u007E]*$/.test(string)) {\n\t\treturn string.length;\n\t}\n\n';
	return {contents: text.replace(anchor, `${before}${fastPath}\tlet width = 0;`)};
}

/**
 * string-width (three copies: yargs', cliui's, wrap-ansi's) builds an Intl.Segmenter when it is
 * imported, which loads ICU's break-iterator data: ≈30 ms of every run, though a run that prints no
 * help never measures a string. Build it on first use instead. A copy that no longer has that exact
 * line fails the build, so an upgrade is looked at rather than silently slower.
 */
const lazySegmenter = {
	name: 'lazy-segmenter',
	setup(build) {
		build.onLoad({filter: /[\\/]node_modules[\\/](?:.*[\\/])?string-width[\\/]index\.js$/}, args => {
			const text = readFileSync(args.path, 'utf8');
			const eager = /^const segmenter = new Intl\.Segmenter\(\);$/m;
			if (!eager.test(text)) return {errors: [{text: `${args.path}: expected "const segmenter = new Intl.Segmenter();" to make lazy (see lazySegmenter in scripts/build.mjs)`}]};
			const lazy = text.replace(eager, 'let eagerSegmenter;\nconst segmenter = {segment: text => (eagerSegmenter ??= new Intl.Segmenter()).segment(text)};');
			const fast = asciiFastPath(lazy);
			return fast.error ? {errors: [{text: `${args.path}: ${fast.error}`}]} : {contents: fast.contents, loader: 'js'};
		});
	},
};

/**
 * yargs needs cliui and string-width only to lay out help text (usage.js help(): shim.cliui, and
 * shim.stringWidth for the column width), yet its shim imports them up front: with wrap-ansi,
 * emoji-regex and get-east-asian-width that is ≈30 KB of Unicode tables and /v regexes to compile,
 * ≈30 % of `node -e 0` on every run. The shim gets stand-ins instead, and the real modules load
 * in a chunk of their own when cli.ts sees a help request (globalThis[Symbol.for(
 * 'quiesce.loadYargsHelp')], awaited before parsing). A stand-in called before that load throws:
 * a help path the CLI does not foresee fails loudly in the tests (test/bundle.test.ts, every
 * command's --help in test/cli.test.ts) rather than printing help laid out differently.
 */
export function lazyHelpRendering(text) {
	const imports = ["import cliui from 'cliui'", "import stringWidth from 'string-width';"];
	for (const line of imports) if (!text.includes(line)) return {error: `expected "${line}" (see lazyHelpRendering in scripts/build.mjs)`};
	const stand = [
		'let helpRendering;',
		"const helpNeeded = () => { if (!helpRendering) throw new Error('yargs help rendering used before it was loaded (scripts/build.mjs lazyHelpRendering)'); return helpRendering; };",
		'const cliui = options => helpNeeded().cliui(options);',
		'const stringWidth = text => helpNeeded().stringWidth(text);',
		"globalThis[Symbol.for('quiesce.loadYargsHelp')] = async () => { const [c, w] = await Promise.all([import('cliui'), import('string-width')]); helpRendering = {cliui: c.default, stringWidth: w.default}; };",
	].join('\n');
	return {contents: text.replace(imports[0], '').replace(imports[1], stand)};
}

/**
 * yargs finds "its" package.json (for --version and pkgConf) from the folder above its own
 * node_modules; bundled, there is none, and it would search from the working directory up to /,
 * reading folders that are none of its business (capture's strace test forbids exactly that).
 * Point it at this package's root, which is what it finds when it is not bundled.
 */
const yargsMainFilename = {
	name: 'yargs-main-filename',
	setup(build) {
		build.onLoad({filter: /[\\/]node_modules[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/}, args => {
			const text = readFileSync(args.path, 'utf8');
			const search = "const mainFilename = __dirname.substring(0, __dirname.lastIndexOf('node_modules'));";
			if (!text.includes(search)) return {errors: [{text: `${args.path}: expected "${search}" (see yargsMainFilename in scripts/build.mjs)`}]};
			// The chunk is dist/bundle/<chunk>.js: the package root is two folders up.
			const rooted = text.replace(search, "const mainFilename = join(dirname(__dirname), '..', '..') + '/';");
			const lazy = lazyHelpRendering(rooted);
			return lazy.error ? {errors: [{text: `${args.path}: ${lazy.error}`}]} : {contents: lazy.contents, loader: 'js'};
		});
	},
};

/** Ink's per-frame output caches kept across frames (scripts/ink-output-patch.mjs says why and why it is safe). */
const sharedInkOutputCaches = {
	name: 'shared-ink-output-caches',
	setup(build) {
		build.onLoad({filter: inkOutputFile}, args => {
			const patched = patchInkOutput(readFileSync(args.path, 'utf8'));
			return patched.error ? {errors: [{text: `${args.path}: ${patched.error}`}]} : {contents: patched.contents, loader: 'js'};
		});
	},
};

/**
 * dist/bundle/scenarios.json: every built-in scenario parsed by the bundle's own scenario.ts (the
 * scenario-cache entry), so that `sim` and `scenarios` need neither zod nor the YAML parser
 * (source/sim/scenario-load.ts). A built-in scenario that does not parse leaves no file: runs then
 * parse, and report the error, as without it.
 */
async function writeScenarioCache() {
	const file = path.join(outdir, 'scenarios.json');
	rmSync(file, {force: true});
	try {
		const {builtinScenarioCache} = await import(`${pathToFileURL(path.join(outdir, 'scenario-cache.js')).href}?${Date.now()}`);
		writeFileSync(file, JSON.stringify(await builtinScenarioCache()));
	} catch (error) {
		process.stderr.write(`build: built-in scenarios not pre-parsed: ${error.message}\n`);
	}
}

export async function bundle() {
	const {build} = await import('esbuild');
	const hash = inputsHash();
	mkdirSync(outdir, {recursive: true});
	const result = await build({
		absWorkingDir: root,
		entryPoints: {cli: 'source/cli.ts', worker: 'source/risk/worker.ts', 'scenario-cache': 'source/sim/scenario-cache.ts'},
		outdir,
		bundle: true,
		splitting: true,
		format: 'esm',
		platform: 'node',
		// Node 20.19 (package.json engines): Unicode-set regexes (/v) stay literals, compiled on first use.
		target: 'node20.19',
		supported: {'regexp-set-notation': true},
		chunkNames: 'chunk-[hash]',
		// React and its reconciler pick their build from NODE_ENV when first required: the bundle
		// holds only the production one (source/production.ts does the same for the tsc output).
		define: {'process.env.NODE_ENV': '"production"'},
		// Bundled CommonJS packages (React, yoga's loader) call require() for Node's own modules.
		banner: {js: "import {createRequire as __quiesceCreateRequire} from 'node:module'; const require = __quiesceCreateRequire(import.meta.url);"},
		// Ink loads its devtools only with DEV=true; that optional package is not a dependency.
		external: ['react-devtools-core'],
		minifyWhitespace: true,
		minifySyntax: true,
		legalComments: 'none',
		plugins: [lazySegmenter, yargsMainFilename, sharedInkOutputCaches],
		metafile: true,
		logLevel: 'warning',
	});
	// Chunks of an earlier build go only after the new ones are written: a run started from the
	// old bundle a moment ago still finds every file it loads while this one is written.
	const current = new Set(Object.keys(result.metafile.outputs).map(file => path.basename(file)));
	for (const file of readdirSync(outdir)) if (/^chunk-.*\.js$/.test(file) && !current.has(file)) rmSync(path.join(outdir, file), {force: true});
	writeFileSync(metafileOut, JSON.stringify(result.metafile));
	await writeScenarioCache();
	writeFileSync(stampFile, hash + '\n');
	return result;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const ifChanged = process.argv.includes('--if-changed');
	if (ifChanged && bundleIsCurrent()) {
		if (process.env['QUIESCE_BUILD_VERBOSE'] === '1') process.stderr.write('build: dist/bundle is current, not rebuilt\n');
	} else {
		await bundle();
		if (process.env['QUIESCE_BUILD_VERBOSE'] === '1') process.stderr.write('build: dist/bundle written\n');
	}
}
