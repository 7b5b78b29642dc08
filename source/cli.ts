#!/usr/bin/env node
/** quiesce — yargs wiring only; each command lives in commands/. */
import './production.js';
import {existsSync, openSync, readFileSync, statSync} from 'node:fs';
import tty from 'node:tty';
import path from 'node:path';
import process from 'node:process';
import yargs from 'yargs';
import {hideBin} from 'yargs/helpers';
import {runBeforeExit} from './cleanup.js';
import {fixturesDir, packageRoot} from './paths.js';
import {exitStatus, UsageError, parseSeed} from './commands/errors.js';
import {CaptureError, DrillError, ScenarioError, TraceError} from './errors.js';
import {isKernelId, kernelIds, UnknownReleaseError, type KernelId} from './kernel/profiles.js';
import {prepareScenario, yamlFirst} from './sim/scenario-load.js';

/** --kernel takes a release (5.10, 6.1, 6.6.30, 6.6.94, 6.12, 6.17, X.Y.Z of a supported series). */
function kernelArg(value: string | undefined): KernelId | undefined {
	if (value === undefined) return undefined;
	if (!isKernelId(value)) throw new UsageError(`--kernel: ${new UnknownReleaseError(value).message}`);
	return value;
}


const debug = process.argv.includes('--debug') || process.env['QUIESCE_DEBUG'] === '1';

function fail(message: string): never {
	process.stderr.write(`quiesce: ${message}\n`);
	process.exit(exitStatus.usage);
}

function oneLine(text: string): string {
	// eslint-disable-next-line no-control-regex
	return text.split('\n')[0]!.replace(/[\u0000-\u001F\u007F-\u009F]/g, c => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function handle(error: unknown): never {
	if (error instanceof UsageError || error instanceof ScenarioError || error instanceof RangeError || error instanceof CaptureError || error instanceof DrillError || error instanceof TraceError) {
		fail(oneLine(error.message));
	}

	if (debug) {
		process.stderr.write(`quiesce: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	} else {
		const message = error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${oneLine(error.message)}` : oneLine(String(error));
		process.stderr.write(`quiesce: internal error: ${message} (rerun with --debug for the stack)\n`);
	}

	process.exit(exitStatus.internal);
}

process.on('uncaughtException', handle);
process.on('unhandledRejection', handle);

// Test hook: an internal error on purpose, to check how one is reported (test/cli.test.ts).
if (process.env['QUIESCE_INTERNAL_ERROR_TEST'] === '1') setImmediate(() => {
	throw new TypeError('deliberate internal error for the test suite\n    at nowhere (cli.ts:0:0)');
});

/** Ctrl-C / SIGTERM in a headless run: the conventional 128 + signal status, at once. */
function exitOnSignals(): void {
	process.once('SIGINT', () => {
		runBeforeExit();
		process.exit(exitStatus.interrupted);
	});
	process.once('SIGTERM', () => {
		runBeforeExit();
		process.exit(exitStatus.terminated);
	});
}

/** A number option given as text: one line naming the option, the value and the range on error. */
function numberOption(name: string, raw: unknown, min: number, max: number, integer = false): number {
	const text = String(raw).trim();
	const value = Number(text);
	if (text === '' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
		throw new UsageError(`--${name}: got ${JSON.stringify(String(raw)).slice(0, 40)}; expected ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`);
	}

	return value;
}

/**
 * A file option (--scenario, --drill, --actions) given as a path: a regular
 * file of sensible size, checked before anything reads it (a FIFO or
 * /dev/zero read whole would hang or exhaust memory).
 */
function checkFileOption(name: string, value: string | undefined, maxBytes = 16 * 1024 * 1024): void {
	if (value === undefined || !(value.includes('/') || /\.(?:json|ya?ml|txt)$/.test(value))) return;
	let stat;
	try {
		stat = statSync(value);
	} catch {
		return; // the command says "no such file" in its own words
	}

	const kind = stat.isFIFO() ? 'a FIFO' : stat.isCharacterDevice() ? 'a character device' : stat.isBlockDevice() ? 'a block device' : stat.isSocket() ? 'a socket' : stat.isDirectory() ? 'a directory' : undefined;
	if (kind) throw new UsageError(`--${name}: got ${JSON.stringify(value)}, ${kind}; expected a regular file`);
	if (stat.size > maxBytes) throw new UsageError(`--${name}: got ${JSON.stringify(value)}, ${stat.size} bytes; expected a file of at most ${maxBytes / 1024 / 1024} MiB`);
}

function camelCase(name: string): string {
	return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** The known option nearest to a mistyped one (edit distance ≤ 2), for "did you mean". */
function closest(typed: string, known: readonly string[]): string | undefined {
	const distance = (a: string, b: string): number => {
		let row = Array.from({length: b.length + 1}, (_, i) => i);
		for (let i = 1; i <= a.length; i++) {
			const next = [i];
			for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
			row = next;
		}

		return row[b.length]!;
	};

	const name = typed.replace(/^-+/, '');
	let best: string | undefined;
	let bestDistance = 3;
	for (const option of known) {
		const d = distance(name, option);
		if (d < bestDistance) [best, bestDistance] = [option, d];
	}

	return best;
}

/** The first `--name` the command does not know, and the word after it that yargs took as its value. */
function unknownOptionTaking(rawArgs: readonly string[], knownOptions: readonly string[]): {name: string; value?: string} | undefined {
	// As typed (--compare-cycles) or in yargs' camelCase twin (--compareCycles).
	const known = new Set([...knownOptions, ...knownOptions.map(camelCase), 'help', 'version', 'debug']);
	const end = rawArgs.indexOf('--');
	const args = end === -1 ? rawArgs : rawArgs.slice(0, end);
	for (const [i, arg] of args.entries()) {
		const m = /^--(?:no-)?([^=]+)(=.*)?$/.exec(arg);
		if (!m || known.has(m[1]!)) continue;
		const next = args[i + 1];
		return {name: m[1]!, value: m[2] === undefined && next !== undefined && !next.startsWith('-') ? next : undefined};
	}

	return undefined;
}

/**
 * yargs's own messages, rewritten to name the option, what was given and
 * what is allowed, in one line.
 */
export function usageMessage(message: string, commands: readonly string[], rawArgs: readonly string[] = [], knownOptions: readonly string[] = []): string {
	const invalid = /Argument: ([\w-]+), Given: (.*?), Choices: (.*)$/m.exec(message);
	if (invalid) {
		const choices = invalid[3]!.split(/,\s*/).map(c => c.replace(/^"|"$/g, '')).join(', ');
		return `--${invalid[1]}: got ${invalid[2]}; one of ${choices}`;
	}

	const missing = /^Missing required arguments?: (.*)$/m.exec(message);
	if (missing) return missing[1]!.split(/,\s*/).map(o => `--${o}`).join(', ') + ': required (see --help)';
	const unknown = /^Unknown arguments?: (.*)$/m.exec(message);
	if (unknown) {
		const names = unknown[1]!.split(/,\s*/);
		const first = names[0]!;
		const typedAsOption = (name: string) => rawArgs.some(a => a === `--${name}` || a.startsWith(`--${name}=`) || a === `--no-${name}` || a === `-${name}` || (name.length === 1 && /^-[a-zA-Z]+$/.test(a) && a.includes(name)));
		const command = rawArgs.find(a => !a.startsWith('-'));
		const insideCommand = command !== undefined && command !== first && commands.includes(command);
		if (!first.startsWith('-') && names.length === 1 && !typedAsOption(first) && !insideCommand) {
			const known = commands.includes(first) ? '' : `; one of ${commands.join(', ')}`;
			return `unknown command or argument "${first}"${known} (see --help)`;
		}

		// yargs lists `--foo-bar` twice (foo-bar, fooBar) and mixes extra positionals in.
		const options = names.filter(n => typedAsOption(n) || n.startsWith('-'));
		const extras = names.filter(n => !options.includes(n) && !options.some(o => camelCase(o) === n));
		const flag = (n: string) => (n.startsWith('-') ? n : n.length === 1 ? `-${n}` : `--${n}`);
		const parts: string[] = [];
		if (options.length > 0) {
			const hint = options.length === 1 ? closest(options[0]!, knownOptions) : undefined;
			parts.push(`unknown option ${options.map(flag).join(', ')}${hint ? ` (did you mean --${hint}?)` : ''}`);
		}

		if (extras.length > 0) parts.push(`unexpected argument${extras.length > 1 ? 's' : ''} ${extras.map(e => JSON.stringify(e)).join(', ')}`);
		const allowed = knownOptions.length > 0 ? `; options here: ${knownOptions.map(o => `--${o}`).join(', ')}` : '';
		return `${parts.join('; ')}${allowed} (see --help)`;
	}

	const notEnough = /Not enough non-option arguments: got (\d+), need at least (\d+)/.exec(message);
	if (notEnough) {
		const command = rawArgs.find(a => !a.startsWith('-'));
		const missing = command === 'replay' ? 'replay: missing PATH (a log file, a bundle folder, or - for standard input; see --help)' : `${command ?? 'quiesce'}: missing argument (see --help)`;
		// `replay --sumary x.log`: yargs takes x.log as the value of the unknown --sumary, and then
		// misses the path. Name the option first: it is the mistake.
		const strange = unknownOptionTaking(rawArgs, knownOptions);
		if (strange) {
			const hint = closest(strange.name, knownOptions);
			return `unknown option --${strange.name}${hint ? ` (did you mean --${hint}?)` : ''}${strange.value === undefined ? '' : `, which took ${JSON.stringify(strange.value)} as its value`}; ${missing}`;
		}

		return missing;
	}
	const argsTypo = /^Did you mean (.*)\?$/m.exec(message);
	if (argsTypo) return `${message.split('\n')[0]} (did you mean ${argsTypo[1]}?)`;
	return message.split('\n')[0] ?? 'invalid arguments';
}

type CompletionFilter = (onCompleted?: (error: Error | null, completions: string[] | undefined) => void) => void;

/**
 * Tab completion: the values of --kernel, --scenario and --drill (not
 * yargs choices, since they also accept a release X.Y.Z or a file path),
 * and yargs's own completions for everything else.
 */
function completeValues(current: string, _argv: unknown, defaultCompletion: CompletionFilter, done: (completions: string[]) => void): void {
	const words = process.argv.slice(process.argv.indexOf('--get-yargs-completions') + 1);
	const previous = words.at(current === '' || words.at(-1) === current ? -2 : -1);
	const matching = (values: readonly string[]) => done(values.filter(v => v.startsWith(current)));
	if (previous === '--kernel') return matching(kernelIds);
	if (previous === '--scenario') {
		void import('./sim/scenario.js').then(m => matching(m.builtinScenarioNames()));
		return;
	}

	if (previous === '--drill') {
		void import('./rehearsal/drill.js').then(m => matching(m.builtinDrillNames()));
		return;
	}

	defaultCompletion((error, completions) => done(error ? [] : (completions ?? [])));
}

const commandNames = ['sim', 'replay', 'record', 'capture', 'rehearse', 'risk', 'scenarios', 'completion'] as const;

// A closed pipe (`quiesce sim --headless | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
	if (error.code === 'EPIPE') process.exit(0);
	throw error;
});

const simOptions = {
	scenario: {type: 'string', default: 'default', describe: 'built-in scenario name, or a path to a .json/.yaml scenario file'},
	seed: {type: 'string', default: '1', describe: 'PRNG seed (0 to 4294967295): same seed, same run, byte for byte'},
	kernel: {type: 'string', describe: `kernel release whose behaviour and messages to simulate: ${kernelIds.join(', ')} or X.Y.Z of those series (default: the scenario's)`},
} as const;

/** The per-device callback timeline (commands/devices.ts), on replay and sim. */
const deviceOptions = {
	devices: {type: 'boolean', default: false, describe: 'per cycle and phase, the slowest device callbacks (pm_print_times lines); with --json one object per callback'},
	top: {type: 'number', default: 10, describe: 'with --devices/--compare-cycles: how many callbacks per phase'},
	cycle: {type: 'number', describe: 'with --devices: only this cycle (numbered as --devices lists them)'},
	'compare-cycles': {type: 'boolean', default: false, describe: 'which phase and device changed between the fastest and the slowest cycle'},
	html: {type: 'string', describe: 'write a self-contained HTML device timeline to this file'},
} as const;

async function runDevicesFor(argv: {devices: boolean; top: number; cycle?: number; compareCycles: boolean; html?: string; json: boolean}, load: (options: import('./timeline/device-timeline.js').BuilderOptions) => Promise<{timeline: import('./timeline/device-timeline.js').DeviceTimeline; title: string}>): Promise<void> {
	const {builderOptionsFor, checkDeviceOptions, reportDevices} = await import('./commands/devices.js');
	const checked = checkDeviceOptions(argv.top, argv.cycle);
	if (argv.html !== undefined && argv.html.trim() === '') throw new UsageError('--html: expected a file name to write, got ""');
	const args = {devices: argv.devices, compare: argv.compareCycles, html: argv.html, json: argv.json, ...checked};
	const {timeline, title} = await load(builderOptionsFor(args, process.stdout));
	process.exitCode = reportDevices(timeline, args, title, process.stdout, process.stderr);
}

const jsonOption = {type: 'boolean', default: false, describe: 'one JSON object per event (implies --headless); see README "JSON output"'} as const;

/** yargs reads a lone `-` as a flag; it stands for standard input (`dmesg | quiesce replay -`). */
const stdinToken = '\u0000stdin';
const fromStdin = (value: string) => (value === stdinToken ? '-' : value);

const paused = {type: 'boolean', default: false, describe: 'start paused at the first cycle (space plays)'} as const;

function packageVersion(): string {
	return (JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as {version: string}).version;
}

/**
 * yargs renders the whole help text of a command each time it starts that command's handler, to
 * show should the handler fail later. Our .fail() never shows help, and the rendering (the width of
 * every line, Unicode tables and all) costs ≈20 ms of every run: skip it. --help still renders it.
 */
function skipHelpCache(instance: unknown): void {
	const usage = (instance as {getInternalMethods?: () => {getUsageInstance?: () => {cacheHelpMessage?: () => void}}}).getInternalMethods?.().getUsageInstance?.();
	if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
}

/**
 * The bundle loads yargs' help layout (cliui, string-width) only when help is asked for
 * (scripts/build.mjs lazyHelpRendering): --help or -h anywhere before "--", or a bare "help".
 * Unbundled, yargs imported them already and there is nothing to load.
 */
async function loadHelpRenderingIfAsked(args: readonly string[]): Promise<void> {
	const end = args.indexOf('--');
	const asked = (end === -1 ? args : args.slice(0, end)).some(a => a === '--help' || a === '-h' || a.startsWith('--help=') || a === 'help');
	const load = (globalThis as Record<symbol, (() => Promise<void>) | undefined>)[Symbol.for('quiesce.loadYargsHelp')];
	if (asked && load) await load();
}

/** The controlling terminal, for keys when standard input carries the log; undefined without one. */
function terminalKeys(): NodeJS.ReadStream | undefined {
	try {
		return new tty.ReadStream(openSync('/dev/tty', 'r')) as NodeJS.ReadStream;
	} catch {
		return undefined;
	}
}

/** The monitor needs a keyboard and a real terminal; anything else gets plain text. */
const interactive = () => Boolean(process.stdout.isTTY && process.stdin.isTTY) && process.env['TERM'] !== 'dumb';

const parser = yargs(hideBin(process.argv).map(a => (a === '-' ? stdinToken : a)))
	.scriptName('quiesce')
	.usage('$0 <command> [options]\n\nSimulate, replay and rehearse NVDIMM runtime firmware activation.')
	.command(
		'sim',
		'simulate a firmware activation (live in a terminal, headless otherwise)',
		y =>
			y.options({
				...simOptions,
				json: jsonOption,
				headless: {type: 'boolean', default: false, describe: 'print the whole timeline and exit (exit status 1 unless the outcome is success)'},
				speed: {type: 'string', default: '1', describe: 'playback speed in a terminal (0.001 to 1000)'},
				...deviceOptions,
				paused,
			})
				.example('$0 sim', 'watch the default scenario live in a terminal')
				.example('$0 sim --scenario overflow --kernel 6.1 --headless', 'print the whole timeline as dmesg lines, exit 1 if the activation failed')
				.example('$0 sim --json | jq -c \'select(.kind == "outcome")\'', 'the outcome as JSON'),
		async argv => {
			try {
				checkFileOption('scenario', argv.scenario);
				const args = {scenario: argv.scenario, seed: parseSeed(argv.seed), kernel: kernelArg(argv.kernel), json: argv.json};
				await prepareScenario(argv.scenario);
				if (argv.devices || argv.compareCycles || argv.html !== undefined) {
					await runDevicesFor(argv, async options => {
						const [{createSimulation}, {eventsDeviceTimeline}] = await Promise.all([import('./commands/sim.js'), import('./commands/devices.js')]);
						const sim = createSimulation(args).run();
						return {timeline: eventsDeviceTimeline(sim.timeline, options), title: `sim ${sim.scenario.name} (seed ${args.seed}, kernel ${sim.kernel.id})`};
					});
					return;
				}

				const speed = numberOption('speed', argv.speed, 0.001, 1000);
				const headless = argv.headless || argv.json || !interactive();
				if (headless) {
					exitOnSignals();
					const {runHeadless} = await import('./commands/sim.js');
					const outcome = runHeadless(args, process.stdout);
					process.exitCode = outcome === 'success' ? exitStatus.ok : exitStatus.failed;
					return;
				}

				const [{createSimulation}, {Player}, {runMonitor}] = await Promise.all([import('./commands/sim.js'), import('./player/player.js'), import('./ui/run.js')]);
				const sim = createSimulation(args).run();
				const player = new Player(sim.timeline);
				player.clock.speed = speed;
				await runMonitor(player, `sim ${sim.scenario.name} (seed ${args.seed})`, sim.kernel.id, {paused: argv.paused});
			} catch (error) {
				handle(error);
			}
		},
	)
	.command(
		'replay <path>',
		'replay a trace: a kernel log, a sysfs dump, ndctl JSON, or a trace bundle directory',
		y =>
			y
				.positional('path', {type: 'string', demandOption: true, describe: 'log file (plain, .gz, .zst), journal JSON/export, dmesg --json, bundle folder, or - for standard input'})
				.options({
					headless: {type: 'boolean', default: false, describe: 'print the timeline and exit'},
					json: jsonOption,
					summary: {type: 'boolean', default: false, describe: 'print only the outcome: every cycle with phases, failures and totals, the DIMMs'},
					...deviceOptions,
					paused,
					all: {type: 'boolean', default: false, describe: 'with --summary: list every cycle (default: the last 50)'},
				})
				.example('dmesg | $0 replay - --summary', 'what the kernel log says about each cycle (exit 1 if one failed)')
				.example('journalctl -k -b -1 -o json | $0 replay -', 'the previous boot\'s kernel messages with their exact stamps')
				.example('$0 replay /var/log/kern.log.2.gz --headless', 'a rotated, compressed log, as text')
				.epilog('Exit status: 0 every cycle succeeded, 1 a cycle failed, 2 bad option or unreadable input.'),
		async argv => {
			try {
				if (argv.devices || argv.compareCycles || argv.html !== undefined) {
					await runDevicesFor(argv, async options => {
						const {traceDeviceTimeline} = await import('./commands/devices.js');
						const {timeline} = await traceDeviceTimeline(fromStdin(argv.path), text => process.stderr.write(text + '\n'), options);
						return {timeline, title: argv.path};
					});
					return;
				}

				const {runReplayHeadless, feedPlayer, readsAhead} = await import('./commands/replay.js');
				const target = fromStdin(argv.path);
				// `dmesg | quiesce replay -` on a terminal: the log comes on stdin, the keys from the terminal (as less does).
				const monitor = !(argv.headless || argv.json || argv.summary);
				const keys = monitor && target === '-' && !process.stdin.isTTY && process.stdout.isTTY && process.env['TERM'] !== 'dumb' ? terminalKeys() : undefined;
				if (!monitor || !(interactive() || keys)) {
					exitOnSignals();
					(await import('./player/heap.js')).boundHeapGrowth();
					process.exitCode = await runReplayHeadless({path: fromStdin(argv.path), json: argv.json, summary: argv.summary, all: argv.all}, process.stdout, process.stderr);
					return;
				}

				const [{Player}, {runMonitor}, {boundHeapGrowth}] = await Promise.all([import('./player/player.js'), import('./ui/run.js'), import('./player/heap.js')]);
				boundHeapGrowth();
				const label = target === '-' ? '(stdin)' : target;
				// One timeline source: a file is read whole before the monitor opens; a pipe is read as it plays.
				const player = Player.open();
				const feed = {messages: [] as string[]};
				const done = feedPlayer(target, player, feed);
				const ahead = readsAhead(target);
				try {
					if (!ahead) await done;
					await runMonitor(player, label, undefined, {paused: argv.paused, replay: true, reading: ahead ? {label, done} : undefined, keys});
				} finally {
					for (const line of feed.messages) process.stderr.write(line + '\n');
				}

				// A producer that never ends (journalctl -f) must not keep a quit monitor waiting.
				if (ahead) process.exit();
			} catch (error) {
				handle(error);
			}
		},
	)
	.command(
		'record',
		'write a simulated run as a trace bundle',
		y =>
			y.options({
				...simOptions,
				out: {type: 'string', demandOption: true, describe: 'bundle directory to write'},
				force: {type: 'boolean', default: false, describe: 'replace a previous bundle in --out (its own files only)'},
			})
				.example('$0 record --scenario need-reset --out run1', 'write a bundle (kernel.log, sysfs.tsv, events.ndjson, meta.json)')
				.example('$0 record --out run1 && $0 replay run1 --summary', 'record, then read it back like a real capture'),
		async argv => {
			try {
				const {runRecord} = await import('./commands/record.js');
				checkFileOption('scenario', argv.scenario);
				await yamlFirst(argv.scenario);
				if (argv.out.trim() === '') throw new UsageError('--out: got ""; expected a directory to write the bundle into');
				process.stderr.write(runRecord({scenario: argv.scenario, seed: parseSeed(argv.seed), kernel: kernelArg(argv.kernel), json: false, out: argv.out, force: argv.force}) + '\n');
			} catch (error) {
				handle(error);
			}
		},
	)
	.command(
		'capture',
		'record this machine (read-only) into a trace bundle',
		y =>
			y.options({
				out: {type: 'string', demandOption: true, describe: 'bundle folder to write: new or empty'},
				force: {type: 'boolean', default: false, describe: 'replace a previous bundle in --out (only its own files)'},
				root: {type: 'string', default: '/', describe: 'read a sysfs-like tree in this folder instead of /sys'},
				watch: {type: 'boolean', default: false, describe: 'keep polling the firmware attributes and following the kernel log'},
				interval: {type: 'number', default: 200, describe: 'ms between polls with --watch'},
				duration: {type: 'number', describe: 'stop --watch after this many seconds (default: Ctrl-C)'},
			})
				.example('sudo $0 capture --out host-trace', 'record this machine\'s sysfs, kernel log and ndctl view (read-only)')
				.example('sudo $0 capture --watch --duration 120 --out fwa-run', 'follow an activation as it happens, for two minutes')
				.example('$0 capture --root fixtures/sysfs-trees/armed --out t && $0 replay t', 'capture a saved sysfs tree, then replay it'),
		async argv => {
			try {
				const {runCapture} = await import('./commands/capture.js');
				await runCapture({out: argv.out, root: argv.root, force: argv.force, watch: argv.watch, intervalMs: argv.interval, durationS: argv.duration});
			} catch (error) {
				handle(error);
			}
		},
	)
	.command(
		'rehearse',
		'practise an activation on a simulated host, graded',
		y =>
			y.options({
				list: {type: 'boolean', default: false, describe: 'list the built-in drills'},
				drill: {type: 'string', describe: 'built-in drill name, or a path to a drill file'},
				seed: simOptions.seed,
				actions: {type: 'string', describe: 'file of operator commands, one per line (runs headless)'},
				report: {type: 'string', describe: 'write the after-action report to FILE.md and FILE.json'},
				json: {type: 'boolean', default: false, describe: 'print the report as JSON'},
				headless: {type: 'boolean', default: false, describe: 'no screen: play --actions (or the drill\'s solution)'},
			})
				.example('$0 rehearse --list', 'the built-in drills')
				.example('$0 rehearse --drill stuck-task', 'practise on a host where a task refuses to freeze')
				.example('$0 rehearse --drill clean-activation --headless --json', 'play the drill\'s solution, report as JSON'),
		async argv => {
			try {
				checkFileOption('drill', argv.drill);
				checkFileOption('actions', argv.actions);
				const [{runRehearse}] = await Promise.all([import('./commands/rehearse.js'), import('./yaml.js').then(yaml => yaml.loadYamlParser())]);
				await runRehearse({list: argv.list, drill: argv.drill, seed: parseSeed(argv.seed), actions: argv.actions, report: argv.report, json: argv.json, headless: argv.headless});
			} catch (error) {
				handle(error);
			}
		},
	)
	.command(
		'risk',
		'estimate the risk of an activation from many seeded simulations',
		y =>
			y.options({
				scenario: simOptions.scenario,
				seed: simOptions.seed,
				runs: {type: 'number', default: 10_000, describe: 'number of simulations'},
				method: {type: 'string', choices: ['quiesce', 'live'], describe: 'activation method (default: the scenario\'s)'},
				compare: {type: 'boolean', default: false, describe: 'run the same draws with quiesce and with live, side by side'},
				threads: {type: 'number', describe: 'worker threads (default: every core for 2000 runs or more)'},
				json: {type: 'boolean', default: false, describe: 'the report as JSON'},
			})
				.example('$0 risk --scenario risky-host', 'odds of each outcome over 10 000 seeded runs')
				.example('$0 risk --scenario risky-host --compare', 'quiesce and live side by side on the same draws')
				.example('$0 risk --runs 2000 --json | jq .', 'the report as JSON'),
		async argv => {
			try {
				checkFileOption('scenario', argv.scenario);
				await yamlFirst(argv.scenario);
				const {runRisk} = await import('./commands/risk.js');
				if (argv.threads !== undefined && !(Number.isInteger(argv.threads) && argv.threads >= 1 && argv.threads <= 256)) throw new UsageError(`--threads: expected 1 to 256, got ${argv.threads}`);
				await runRisk({scenario: argv.scenario, seed: parseSeed(argv.seed), runs: argv.runs, method: argv.method as 'quiesce' | 'live' | undefined, compare: argv.compare, json: argv.json, threads: argv.threads});
			} catch (error) {
				handle(error);
			}
		},
	)
	.command(
		'scenarios',
		'list the built-in scenarios',
		y =>
			y
				.options({json: {type: 'boolean', default: false, describe: 'one JSON object per scenario'}})
				.example('$0 scenarios', 'name and description of each built-in scenario')
				.example('$0 scenarios --json | jq -r .name', 'just the names'),
		async argv => {
			try {
				const [{listScenarios}, {builtinScenarios}] = await Promise.all([import('./commands/scenarios.js'), import('./sim/scenario-load.js')]);
				listScenarios(process.stdout, argv.json, await builtinScenarios());
			} catch (error) {
				handle(error);
			}
		},
	)
	.completion('completion', 'print a bash/zsh completion script (add `source <(quiesce completion)` to ~/.bashrc or ~/.zshrc)', completeValues)
	.option('debug', {type: 'boolean', default: false, describe: 'on an internal error, print the stack', global: true})
	.demandCommand(1, 'give a command: sim, replay, record, capture, rehearse, risk, scenarios (see --help)')
	.strict()
	.recommendCommands()
	.example('$0 sim', 'watch a simulated firmware activation')
	.example('dmesg | $0 replay - --summary', 'what this machine\'s kernel log says')
	.example('$0 completion >> ~/.bashrc', 'tab completion for bash (zsh: >> ~/.zshrc)')
	.epilog('Exit status: 0 success, 1 a simulated or replayed cycle failed, 2 usage error or unreadable input, 70 internal error, 130 Ctrl-C.')
	.help()
	// From our own package.json: bundled, yargs would look for it from the working directory.
	.version(packageVersion())
	.wrap(Math.min(100, process.stdout.columns ?? 100))
	.fail((message, error) => {
		if (error) handle(error);
		fail(usageMessage(message ?? '', commandNames, hideBin(process.argv), visibleOptions((parser as unknown as {getOptions(): Parameters<typeof visibleOptions>[0]}).getOptions())));
	});

/** The options --help shows for the command being parsed (no aliases, camelCase twins or hidden ones). */
function visibleOptions(options: {key: Record<string, unknown>; alias: Record<string, string[]>; hiddenOptions: string[]}): string[] {
	const aliases = new Set(Object.values(options.alias).flat());
	const positionals = new Set(['path']); // replay <path>
	return Object.keys(options.key).filter(k => !aliases.has(k) && !positionals.has(k) && !options.hiddenOptions.includes(k) && !/[A-Z]/.test(k) && k.length > 1 && k !== 'help' && k !== 'version' && k !== 'debug');
}

skipHelpCache(parser);
await loadHelpRenderingIfAsked(hideBin(process.argv));
await parser.parseAsync();
