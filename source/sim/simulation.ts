/**
 * A simulated host you can run to the end or drive step by step. Operator
 * reads and writes go through one shell, in order, and get the kernel's
 * answers; a scenario's script is just a list of such commands.
 */
import type {ActionEvent, FaultEvent, TimelineEvent} from '../events.js';
import {errnoCode, type ErrnoName} from '../kernel/errno.js';
import {nfitArmResult} from '../kernel/log-format.js';
import {resolveKernel, type KernelId, type KernelProfile} from '../kernel/profiles.js';
import {
	sysfsPaths,
	writeBusActivate,
	writeDimmActivate,
	writeNoidle,
	type SysfsAnswer,
} from '../kernel/sysfs.js';
import {firmwareFile, renderAnswer, SimContext} from './context.js';
import {Engine, type Process} from './engine.js';
import {Host} from './host.js';
import {busPaths, dimmPaths} from './paths.js';
import {summarise, type Outcome} from './outcome.js';
import {Prng} from './prng.js';
import {hibernateQuietExec, liveActivate, type ActivationRun} from './quiet-exec-run.js';
import {nfitDevice} from './activation.js';
import type {ScriptAction} from './scenario-schema.js';
import type {Scenario} from './scenario.js';

export type ShellCommand = {write: string; value: string} | {read: string} | {sleep: number};

export type SimulationOptions = {
	seed: number;
	/** Overrides the scenario's kernel era. */
	kernel?: KernelId;
	/** Run the scenario's operator script (default true; rehearsal drives by hand). */
	script?: boolean;
};

export const maxSeed = 0xff_ff_ff_ff;

export class Simulation {
	readonly timeline: TimelineEvent[] = [];
	readonly kernel: KernelProfile;
	readonly host: Host;
	readonly runs: ActivationRun[] = [];
	private readonly engine: Engine;
	private readonly ctx: SimContext;
	private readonly listeners = new Set<(event: TimelineEvent) => void>();
	/** Commands waiting for the shell, from `shellHead` on (an index, not shift(): a script queues a thousand at once). */
	private shell: Array<{command: ShellCommand; actor: ActionEvent['actor']} | undefined> = [];
	private shellHead = 0;
	private shellBusy = false;
	private started = false;

	constructor(
		readonly scenario: Scenario,
		readonly options: SimulationOptions,
	) {
		if (!Number.isInteger(options.seed) || options.seed < 0 || options.seed > maxSeed) {
			throw new RangeError(`seed must be an integer from 0 to ${maxSeed}, got ${options.seed}`);
		}

		this.kernel = resolveKernel(options.kernel ?? scenario.kernel);
		const rng = new Prng(options.seed);
		this.engine = new Engine(scenario.startUs);
		this.host = new Host(scenario, rng.fork('host'));
		this.ctx = new SimContext(this.engine, this.host, this.kernel, scenario, rng.fork('run'), event => {
			this.timeline.push(event);
			for (const listener of this.listeners) listener(event);
		});
	}

	get now(): number {
		return this.engine.now;
	}

	/** True when nothing more will happen unless the operator acts. */
	get idle(): boolean {
		return this.started && this.engine.pending === 0 && !this.shellBusy;
	}

	/** Time of the next scheduled happening, if any. */
	get nextAt(): number | undefined {
		return this.engine.peekTime();
	}

	onEvent(listener: (event: TimelineEvent) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/** Emit the initial state and queue the script. Called by step()/run() if needed. */
	start(): void {
		if (this.started) return;
		this.started = true;
		const {scenario, host, ctx} = this;
		ctx.note('scenario', `${scenario.name}: ${scenario.description}`, {
			scenario: scenario.name,
			seed: this.options.seed,
			kernel: this.kernel.id,
			release: this.kernel.release,
			method: scenario.method,
			capability: host.bus.capability,
			budgetUs: host.bus.maxQuiesceUs,
			noidle: host.bus.noidle,
			dimms: host.dimms.length,
			devices: host.devices.map(d => ({device: `${d.driver} ${d.name}`, dma: d.dma, completionTimeoutUs: d.completionTimeoutUs})),
			userTasks: host.userTasks,
			kernelTasks: host.kernelTasks,
		});
		ctx.note('firmware', `${host.dimms.length} DIMMs, ${host.dimms.filter(d => d.nextVersion !== null).length} with a staged image`, {
			dimms: host.dimms.map(d => ({dimm: d.index, current: d.currentVersion, next: d.nextVersion})),
		});
		for (const [path, value] of [
			[sysfsPaths.powerFreezeTimeout, String(scenario.freezeTimeoutMs)],
			[sysfsPaths.powerDebugMessages, scenario.log.pmDebugMessages ? '1' : '0'],
			[sysfsPaths.powerPrintTimes, scenario.log.pmPrintTimes ? '1' : '0'],
		] as const) {
			ctx.emit({kind: 'sysfs', t: this.now, path, value});
		}

		ctx.publish();
		if (this.options.script !== false) this.queueScript(scenario.script ?? scenarioDefaultScript(this.scenario, this.host));
	}

	/** Run the next happening. False when there is nothing left to run. */
	step(): boolean {
		this.start();
		return this.engine.step();
	}

	/** Run until nothing is left (or the clock passes `untilUs`). */
	run(untilUs = Number.POSITIVE_INFINITY): this {
		this.start();
		while (this.engine.pending > 0 && (this.engine.peekTime() ?? 0) <= untilUs) this.engine.step();
		return this;
	}

	/** Advance the clock to `t`, running everything due before it (operator think time). */
	advanceTo(t: number): void {
		this.start();
		this.engine.runUntil(t);
	}

	/** Give the operator's shell a command; it runs after the ones before it. */
	submit(command: ShellCommand, actor: ActionEvent['actor'] = 'operator'): void {
		this.start();
		this.shell.push({command, actor});
		this.pump();
	}

	/**
	 * What an operator sees when looking at the host before acting (ps, the
	 * traffic counters of each adapter): tasks in D state, devices moving
	 * data, and whether their freeze callback is known to stop DMA.
	 */
	inspect(): {stuckTasks: Array<{comm: string; pid: number; wakesAtUs?: number}>; dma: Array<{device: string; stopsOnFreeze: boolean}>} {
		return {
			// A task whose cause ended by itself (wakesAtUs) is no longer in D state; the kernel prints nothing when it happens.
			stuckTasks: this.host.stuckTasks
				.filter(t => t.wakesAtUs === null || this.scenario.startUs + t.wakesAtUs > this.now)
				.map(t => ({comm: t.comm, pid: t.pid, ...(t.wakesAtUs === null ? {} : {wakesAtUs: this.scenario.startUs + t.wakesAtUs})})),
			dma: this.host.devices.filter(d => d.dma.active).map(d => ({device: `${d.driver} ${d.name}`, stopsOnFreeze: d.dma.stopsOnFreeze})),
		};
	}

	/** The operator stops a workload: the device's DMA traffic ends. False if no such device. */
	drain(device: string): boolean {
		const target = this.host.devices.find(d => `${d.driver} ${d.name}` === device || d.name === device);
		if (!target) return false;
		target.dma.active = false;
		this.ctx.note('device', `${target.driver} ${target.name}: traffic drained by the operator`, {device: `${target.driver} ${target.name}`, event: 'drained'});
		return true;
	}

	/** The operator fixes what held a task in D state (e.g. the hung NFS server). False if no such task. */
	resolveTask(comm: string): boolean {
		const before = this.host.stuckTasks.length;
		this.host.stuckTasks = this.host.stuckTasks.filter(t => t.comm !== comm);
		if (this.host.stuckTasks.length === before) return false;
		this.ctx.note('tasks', `${comm}: no longer stuck (resolved by the operator)`, {kind: 'user', event: 'resolved', comm});
		return true;
	}

	/** What reading a file answers right now (no event, no time, no driver cache refreshed). */
	peek(path: string): SysfsAnswer<string> {
		return this.readFile(normalisePath(path), false);
	}

	/** Every fault that fired so far (sim/faults.ts). */
	get faults(): readonly FaultEvent[] {
		return this.ctx.faults;
	}

	outcome(): Outcome {
		return summarise(this.runs, this.host);
	}

	private queueScript(script: readonly ScriptAction[] | readonly ShellCommand[]): void {
		for (const {at, commands} of scriptGroups(script)) {
			this.engine.schedule(at, () => {
				for (const command of commands) this.submit(command, 'script');
			});
		}
	}

	private pump(): void {
		if (this.shellBusy) return;
		const next = this.shell[this.shellHead];
		if (!next) return;
		this.shell[this.shellHead++] = undefined;
		if (this.shellHead === this.shell.length) {
			this.shell = [];
			this.shellHead = 0;
		}

		this.shellBusy = true;
		this.engine.spawn(this.execute(next.command, next.actor), () => {
			this.shellBusy = false;
			this.pump();
		});
	}

	private action(op: ActionEvent['op'], path: string, value: string | undefined, result: ActionEvent['result'], actor: ActionEvent['actor']): void {
		const event: ActionEvent = {kind: 'action', t: this.now, op, path, result, actor};
		if (value !== undefined) event.value = value;
		this.ctx.emit(event);
	}

	private *execute(command: ShellCommand, actor: ActionEvent['actor']): Process {
		if ('sleep' in command) {
			yield command.sleep;
			return;
		}

		if ('read' in command) {
			const path = normalisePath(command.read);
			const answer = this.readFile(path);
			this.action('read', path, undefined, answer.ok ? {ok: true, value: answer.value} : failure(answer.errno), actor);
			// A read may refresh the driver's caches (nmemX activate → the cached result).
			const read = firmwareFile(path);
			const dimm = read && 'dimm' in read ? this.host.dimms[read.dimm] : undefined;
			this.ctx.publish(dimm ? [dimm] : []);
			return;
		}

		const path = normalisePath(command.write);
		yield* this.write(path, command.value, actor);
	}

	private readFile(path: string, commit = true): SysfsAnswer<string> {
		this.host.settle(this.now);
		const answer = this.host.file(path, this.now, commit);
		if (answer) return answer;
		const power: Record<string, string> = {
			[sysfsPaths.powerFreezeTimeout]: String(this.scenario.freezeTimeoutMs),
			[sysfsPaths.powerDebugMessages]: this.scenario.log.pmDebugMessages ? '1' : '0',
			[sysfsPaths.powerPrintTimes]: this.scenario.log.pmPrintTimes ? '1' : '0',
		};
		return path in power ? {ok: true, value: power[path]!} : {ok: false, errno: 'ENOENT'};
	}

	private *write(path: string, value: string, actor: ActionEvent['actor']): Process {
		const {host, ctx} = this;
		const file = firmwareFile(path);
		const present = this.host.file(path, this.now) !== undefined;
		const refuse = (errno: ErrnoName) => this.action('write', path, value, failure(errno), actor);
		if (!file || !present) {
			refuse('ENOENT');
			return;
		}

		switch (file.file) {
			case 'bus-capability':
			case 'dimm-result': {
				refuse('EACCES');
				return;
			}

			case 'bus-noidle': {
				const answer = writeNoidle(value);
				if (!answer.ok) {
					refuse(answer.errno);
					return;
				}

				host.bus.noidle = answer.value;
				this.action('write', path, value, {ok: true, bytes: Buffer.byteLength(value)}, actor);
				ctx.publish();
				return;
			}

			case 'dimm-activate': {
				const dimm = host.dimms[file.dimm]!;
				// intel_fwa_arm() reads the state through the driver's cache first.
				const answer = writeDimmActivate(host.bus.capability, dimm.spec.fwOps, host.readDimmState(dimm, this.now), value);
				if (!answer.ok) {
					refuse(answer.errno);
					return;
				}

				if (answer.value.dsm) {
					host.invalidateDimmState(dimm);
					yield ctx.rng.int(600, 2200); // the ARM DSM
					host.setArmed(dimm, answer.value.dsm === 'arm');
					if (this.scenario.log.nfitDyndbg) ctx.log(nfitArmResult(dimm.armed, 0, nfitDevice(ctx)));
				}

				this.action('write', path, value, {ok: true, bytes: Buffer.byteLength(value)}, actor);
				// One DIMM changed (and the bus it belongs to): re-read only those files.
				ctx.publish([dimm]);
				return;
			}

			case 'bus-activate': {
				const answer = writeBusActivate(host.bus.capability, host.busState(this.now), value);
				if (!answer.ok) {
					refuse(answer.errno);
					return;
				}

				const run: ActivationRun = {method: answer.value, issuedUs: this.now, faults: []};
				const firstFault = ctx.faults.length;
				this.runs.push(run);
				this.action('write', path, value, null, actor);
				const errno = answer.value === 'quiesce' ? yield* hibernateQuietExec(ctx, run) : yield* liveActivate(ctx, run);
				run.returnedUs = this.now;
				run.faults = ctx.faults.slice(firstFault);
				if (errno) run.errno = errno;
				// A successful sysfs store returns the byte count ("quiesce\n" → 8, real nfit-test-6.1 writes.tsv).
				this.action('write', path, value, errno ? failure(errno) : {ok: true, bytes: Buffer.byteLength(value)}, actor);
				ctx.publish();
				return;
			}

			default: {
				refuse('EACCES');
			}
		}
	}
}

type ScriptGroup = {at: number; commands: readonly ShellCommand[]};

const scriptGroupsOf = new WeakMap<readonly ScriptAction[] | readonly ShellCommand[], readonly ScriptGroup[]>();

/**
 * A script as queue entries: consecutive actions due at the same moment are submitted by one entry,
 * in order — the same order as one entry each (their sequence numbers would be consecutive), with a
 * thousand fewer entries for a big box. Worked out once per script (scripts are not changed).
 */
function scriptGroups(script: readonly ScriptAction[] | readonly ShellCommand[]): readonly ScriptGroup[] {
	let groups = scriptGroupsOf.get(script);
	if (groups) return groups;
	const built: ScriptGroup[] = [];
	for (let i = 0; i < script.length; ) {
		const at = actionAt(script[i]!);
		let end = i + 1;
		while (end < script.length && actionAt(script[end]!) === at) end++;
		built.push({at, commands: Object.freeze(script.slice(i, end).map(action => Object.freeze(shellCommand(action))))});
		i = end;
	}

	groups = Object.freeze(built);
	scriptGroupsOf.set(script, groups);
	return groups;
}

function actionAt(action: ScriptAction | ShellCommand): number {
	return 'at' in action && typeof action.at === 'number' ? action.at : 0;
}

function shellCommand(action: ScriptAction | ShellCommand): ShellCommand {
	return 'write' in action ? {write: action.write, value: action.value} : 'read' in action ? {read: action.read} : {sleep: (action as {sleep: number}).sleep};
}

function failure(errno: ErrnoName): {ok: false; errno: ErrnoName; code: number} {
	return {ok: false, errno, code: errnoCode(errno)};
}

/** "/sys/bus/nd/…" and "bus/nd/…" name the same file. */
export function normalisePath(path: string): string {
	// Every scripted command goes through here: the common path (already relative) costs no regex.
	if (path.charCodeAt(0) !== 47 /* / */ && !path.startsWith('sys/')) return path;
	return path.replace(/^\/+/, '').replace(/^sys\//, '');
}

/**
 * What an operator does when the scenario gives no script: read what the
 * platform can do (the bus capability), arm the DIMMs marked `arm`, read the
 * bus (armed, or overflow), write the scenario's method to the bus, then read
 * back the bus state and every DIMM's result (again after a busy window).
 */
/** The default script's pause between an operator's commands (µs). */
export const operatorThinkUs = 800_000;

export function defaultScript(scenario: Scenario, host: Host): ShellCommand[] {
	// An operator at a shell: a moment between commands, to read the answer.
	const think: ShellCommand = {sleep: operatorThinkUs};
	const script: ShellCommand[] = [{read: busPaths.capability}, think];
	const toArm = host.dimms.filter(d => d.spec.arm && d.spec.fwOps);
	for (const dimm of toArm) script.push({write: dimmPaths(dimm.index).activate, value: 'arm\n'}, think);
	script.push({read: busPaths.activate});
	script.push(think);
	script.push({write: busPaths.activate, value: `${scenario.method}\n`});
	// As ndctl does: each DIMM's activate before its result, which refreshes the
	// driver's cached result (intel_fwa_result() alone would keep a stale `none`).
	const verify = () => {
		script.push({read: busPaths.activate});
		for (const dimm of toArm) {
			script.push({read: dimmPaths(dimm.index).activate});
			script.push({read: dimmPaths(dimm.index).result});
		}
	};

	script.push({sleep: 20_000});
	verify();
	if (scenario.platform.busyAfterActivationUs > 0) {
		script.push({sleep: scenario.platform.busyAfterActivationUs + 100_000});
		verify();
	}

	return script;
}

/**
 * defaultScript(), once per scenario object: it depends only on the scenario (which DIMMs it arms,
 * its method and busy window), and a risk run or a bench builds it for thousands of simulations.
 */
const defaultScripts = new WeakMap<Scenario, readonly ShellCommand[]>();

function scenarioDefaultScript(scenario: Scenario, host: Host): readonly ShellCommand[] {
	let script = defaultScripts.get(scenario);
	if (!script) {
		script = Object.freeze(defaultScript(scenario, host).map(command => Object.freeze(command)));
		defaultScripts.set(scenario, script);
	}

	return script;
}

export {renderAnswer};
