#!/usr/bin/env node
/** quiesce — yargs wiring only; each command lives in commands/. */
import './production.js';
import process from 'node:process';
import yargs from 'yargs';
import {hideBin} from 'yargs/helpers';
import {UsageError, parseSeed} from './commands/errors.js';
import {CaptureError, DrillError, ScenarioError, TraceError} from './errors.js';
import {isKernelId, kernelIds, UnknownReleaseError, type KernelId} from './kernel/profiles.js';

/** --kernel takes a release (5.10, 6.1, 6.6.30, 6.6.94, 6.12, 6.17, X.Y.Z of a supported series). */
function kernelArg(value: string | undefined): KernelId | undefined {
	if (value === undefined) return undefined;
	if (!isKernelId(value)) throw new UsageError(`--kernel: ${new UnknownReleaseError(value).message}`);
	return value;
}

function fail(message: string): never {
	process.stderr.write(`quiesce: ${message}\n`);
	process.exit(2);
}

function handle(error: unknown): never {
	if (error instanceof UsageError || error instanceof ScenarioError || error instanceof RangeError || error instanceof CaptureError || error instanceof DrillError) fail(error.message);
	if (error instanceof TraceError) {
		process.stderr.write(`quiesce: ${error.message}\n`);
		process.exit(1);
	}
	const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
	process.stderr.write(`quiesce: internal error: ${message}\n`);
	process.exit(1);
}

// A closed pipe (`quiesce sim --headless | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
	if (error.code === 'EPIPE') process.exit(0);
	throw error;
});

const simOptions = {
	scenario: {type: 'string', default: 'default', describe: 'built-in scenario name, or a path to a .json/.yaml scenario file'},
	seed: {type: 'string', default: '1', describe: 'PRNG seed (0–4294967295): same seed, same run, byte for byte'},
	kernel: {type: 'string', describe: `kernel release whose behaviour and messages to simulate: ${kernelIds.join(', ')} or X.Y.Z of those series (default: the scenario's)`},
	json: {type: 'boolean', default: false, describe: 'one JSON object per event (implies --headless)'},
} as const;

const paused = {type: 'boolean', default: false, describe: 'start paused at the first cycle (space plays)'} as const;

/** The monitor needs a keyboard and a real terminal; anything else gets plain text. */
const interactive = () => Boolean(process.stdout.isTTY && process.stdin.isTTY) && process.env['TERM'] !== 'dumb';

await yargs(hideBin(process.argv))
	.scriptName('quiesce')
	.usage('$0 <command> [options]\n\nSimulate, replay and rehearse NVDIMM runtime firmware activation.')
	.command(
		'sim',
		'simulate a firmware activation (live in a terminal, headless otherwise)',
		y =>
			y.options({
				...simOptions,
				headless: {type: 'boolean', default: false, describe: 'print the whole timeline and exit'},
				speed: {type: 'number', default: 1, describe: 'playback speed in a terminal (0.001–1000)'},
				paused,
			}),
		async argv => {
			try {
				const args = {scenario: argv.scenario, seed: parseSeed(argv.seed), kernel: kernelArg(argv.kernel), json: argv.json};
				if (!(argv.speed >= 0.001 && argv.speed <= 1000)) throw new UsageError(`--speed: expected a number from 0.001 to 1000, got ${argv.speed}`);
				const headless = argv.headless || argv.json || !interactive();
				if (headless) {
					const {runHeadless} = await import('./commands/sim.js');
					runHeadless(args, process.stdout);
					return;
				}

				const [{createSimulation}, {Player}, {runMonitor}] = await Promise.all([import('./commands/sim.js'), import('./player/player.js'), import('./ui/run.js')]);
				const sim = createSimulation(args).run();
				const player = new Player(sim.timeline);
				player.clock.speed = argv.speed;
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
				.positional('path', {type: 'string', demandOption: true, describe: 'log file or bundle directory'})
				.options({
					headless: {type: 'boolean', default: false, describe: 'print the timeline and exit'},
					json: {type: 'boolean', default: false, describe: 'one JSON object per event (implies --headless)'},
					summary: {type: 'boolean', default: false, describe: 'print only the outcome: phases with durations, failures, DIMM results'},
					paused,
				}),
		async argv => {
			try {
				const {runReplayHeadless, loadTimeline} = await import('./commands/replay.js');
				if (argv.headless || argv.json || argv.summary || !interactive()) {
					process.exitCode = await runReplayHeadless({path: argv.path, json: argv.json, summary: argv.summary}, process.stdout, process.stderr);
					return;
				}

				const [{Player}, {runMonitor}] = await Promise.all([import('./player/player.js'), import('./ui/run.js')]);
				const timeline = await loadTimeline(argv.path, process.stderr);
				const {idleLimitUs} = await import('./ui/run.js');
				await runMonitor(new Player(timeline, {idleLimitUs}), argv.path, undefined, {paused: argv.paused, replay: true});
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
				force: {type: 'boolean', default: false, describe: 'overwrite a non-empty --out directory'},
			}),
		async argv => {
			try {
				const {runRecord} = await import('./commands/record.js');
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
			}),
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
			}),
		async argv => {
			try {
				const {runRehearse} = await import('./commands/rehearse.js');
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
				threads: {type: 'number', describe: 'worker threads (default: every core when runs ≥ 2000)'},
				json: {type: 'boolean', default: false, describe: 'the report as JSON'},
			}),
		async argv => {
			try {
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
		y => y.options({json: {type: 'boolean', default: false, describe: 'one JSON object per scenario'}}),
		async argv => {
			try {
				const {listScenarios} = await import('./commands/scenarios.js');
				listScenarios(process.stdout, argv.json);
			} catch (error) {
				handle(error);
			}
		},
	)
	.demandCommand(1, 'give a command: sim, replay, record, capture, rehearse, risk, scenarios (see --help)')
	.strict()
	.recommendCommands()
	.help()
	.version()
	.wrap(Math.min(100, process.stdout.columns ?? 100))
	.fail((message, error) => {
		if (error) handle(error);
		fail(message.split('\n')[0] ?? 'invalid arguments');
	})
	.parseAsync();
