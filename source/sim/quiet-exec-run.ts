/**
 * hibernate_quiet_exec() as a process of the model. It walks the step table
 * of kernel/quiet-exec.ts — on failure, exactly the unwind path that table
 * gives — and each step prints what that kernel era prints.
 */
import {errnoCode, type ErrnoName} from '../kernel/errno.js';
import * as fmt from '../kernel/log-format.js';
import {busCallback, driverCallback, phaseNaming, timedCallback, type PmCallback} from '../kernel/pm-callbacks.js';
import {stuckTaskStack, syscallOf, userRegisters} from '../kernel/stacks.js';
import type {FaultEvent} from '../events.js';
import {quietExecSteps, stepById, unwindLabelFor, unwindPath, type FailurePoint, type StepId} from '../kernel/quiet-exec.js';
import type {ActivationMethod} from '../kernel/sysfs.js';
import {platformActivate, type ActivationReport} from './activation.js';
import type {SimContext} from './context.js';
import {schedulePhase} from './device-phase.js';
import {draw} from './draw.js';
import {runFreezerOn} from './freezer.js';
import type {Device, DevicePmState} from './host.js';
import type {StuckTaskSpec} from './scenario-schema.js';
import type {KernelProfile} from '../kernel/profiles.js';

export type ActivationRun = {
	method: ActivationMethod;
	issuedUs: number;
	returnedUs?: number;
	errno?: ErrnoName;
	failedStep?: StepId;
	/** User space frozen from the start of freeze_processes to the end of the thaw. */
	frozenFromUs?: number;
	frozenToUs?: number;
	activation?: ActivationReport;
	/** Faults that fired while this write ran (sim/faults.ts). */
	faults: FaultEvent[];
	/** The hibernate_quiet_exec() steps executed, in order (forward, then unwind). */
	steps?: StepId[];
};

type StepResult = Generator<number, ErrnoName | undefined>;

export function* hibernateQuietExec(ctx: SimContext, run: ActivationRun): StepResult {
	const steps = new QuietExecSteps(ctx, run);
	run.steps = [];
	for (const step of quietExecSteps) {
		ctx.note('step', `${step.n} ${step.id}`, {step: step.id, n: step.n, path: 'forward'});
		run.steps.push(step.id);
		const error = yield* steps.run(step.id);
		if (error === undefined) continue;
		if (step.id === 'callback') {
			run.errno = error;
			continue;
		}

		const point = step.id as FailurePoint;
		const label = unwindLabelFor(point, ctx.kernel.notifiers);
		ctx.note('step', `${step.id} failed with -${errnoCode(error)} (${error}): unwinding from label ${label}`, {
			step: step.id,
			n: step.n,
			status: 'failed',
			errno: error,
			label,
		});
		run.failedStep = step.id;
		for (const id of unwindPath(point, ctx.kernel.notifiers)) {
			ctx.note('step', `${stepById(id).n} ${id}`, {step: id, n: stepById(id).n, path: 'unwind'});
			run.steps.push(id);
			yield* steps.run(id);
		}

		return error;
	}

	return run.errno;
}

/** `live`: the activation runs directly in the writer's context. No freeze at all. */
export function* liveActivate(ctx: SimContext, run: ActivationRun): Generator<number, ErrnoName | undefined> {
	run.activation = yield* platformActivate(ctx, 'live');
	yield* reportDmaTimeouts(ctx, run.activation);
	return undefined;
}

function* reportDmaTimeouts(ctx: SimContext, activation: ActivationReport | undefined): Generator<number, void> {
	if (!activation) return;
	for (const hit of activation.dma.filter(d => d.timedOut)) {
		const device = ctx.host.devices.find(d => `${d.driver} ${d.name}` === hit.device);
		if (!device) continue;
		yield ctx.rng.int(20, 200);
		ctx.log(fmt.aerCompletionTimeout(device.parent, {driver: device.driver, name: device.name}, device.vendorDevice));
		ctx.note('device', `${hit.device}: ${hit.inflight} DMA reads timed out (completion timeout ${hit.completionTimeoutUs} µs < ${activation.stallUs} µs quiesce)`, {
			device: hit.device,
			event: 'dma-timeout',
		});
	}
}

class QuietExecSteps {
	private readonly k;
	private consoleSuspendedAt = 0;
	constructor(
		private readonly ctx: SimContext,
		private readonly runState: ActivationRun,
	) {
		this.k = ctx.kernel;
	}

	*run(id: StepId): StepResult {
		const {ctx} = this;
		const {rng, scenario} = ctx;
		switch (id) {
			case 'lock_system_sleep':
			case 'lock_device_hotplug':
			case 'unlock_device_hotplug':
			case 'pm_suspend_clear_flags':
			case 'hibernate_release':
			case 'unlock_system_sleep': {
				yield 1;
				return undefined;
			}

			case 'hibernate_acquire': {
				yield 1;
				if (!ctx.host.faults.hibernationBusy) return undefined;
				ctx.fault('hibernation-busy', 'hibernate_acquire() fails: a hibernation is in progress or /dev/snapshot is open', {errno: 'EBUSY'});
				return 'EBUSY';
			}

			case 'pm_prepare_console':
			case 'pm_restore_console': {
				yield rng.int(2, 10);
				return undefined;
			}

			case 'pm_notifier_prepare':
			case 'pm_notifier_post': {
				yield rng.int(40, 400);
				const veto = id === 'pm_notifier_prepare' ? ctx.host.faults.notifierVeto : undefined;
				if (veto) ctx.fault('notifier-veto', `a PM notifier vetoes PM_HIBERNATION_PREPARE with -${errnoCode(veto)} (${veto})`, {errno: veto});
				return veto;
			}

			case 'freeze_processes': {
				this.runState.frozenFromUs = ctx.now;
				return yield* this.freeze('user');
			}

			case 'platform_begin':
			case 'platform_end': {
				// ACPI _TTS and acpi_scan_lock (real 6.1 VM: 0.15–10 ms between the freezer lines).
				yield scenario.platform.s4 ? rng.int(150, 2500) : 1;
				return undefined;
			}

			case 'freeze_kernel_threads': {
				return yield* this.freeze('kernel');
			}

			case 'dpm_prepare': {
				const phase = yield* this.devicePhase('prepare', this.devicesIn(['active']), 'prepared');
				return phase;
			}

			case 'suspend_console': {
				yield rng.int(3, 12);
				ctx.log(fmt.suspendingConsoles());
				this.consoleSuspendedAt = ctx.logCount;
				return undefined;
			}

			case 'dpm_suspend': {
				return yield* this.devicePhase('freeze', this.devicesIn(['prepared']), 'frozen');
			}

			case 'dpm_suspend_end': {
				return yield* this.suspendEnd();
			}

			case 'platform_pre_snapshot': {
				yield rng.int(8, 60);
				if (!scenario.platform.s4) return undefined;
				ctx.log(fmt.acpiPreparing(this.k));
				// acpi_pm_pre_suspend(): GPEs off, EC blocked, then suspend_nvs_save().
				yield rng.int(150, 420);
				if (scenario.platform.nvs) ctx.log(fmt.acpiSavingNvs(this.k));
				yield rng.int(20, 80);
				return undefined;
			}

			case 'callback': {
				this.runState.activation = yield* platformActivate(ctx, 'quiesce');
				return undefined;
			}

			case 'platform_finish': {
				yield rng.int(20, 200);
				if (scenario.platform.s4) ctx.log(fmt.acpiWaking(this.k));
				// _WAK and re-enabling GPEs before the noirq thaw starts.
				yield scenario.platform.s4 ? rng.int(300, 4500) : 1;
				return undefined;
			}

			case 'dpm_resume_start': {
				yield* this.devicePhase('thaw_noirq', this.devicesIn(['frozen-noirq']), 'thawed-noirq');
				// Device interrupts are back: AER reports of completion timeouts arrive now.
				yield* reportDmaTimeouts(ctx, this.runState.activation);
				yield* this.devicePhase('thaw_early', this.devicesIn(['frozen-late', 'thawed-noirq']), 'thawed-early');
				return undefined;
			}

			case 'dpm_resume': {
				yield* this.devicePhase('thaw', this.devicesIn(['frozen', 'thawed-early']), 'prepared');
				return undefined;
			}

			case 'dpm_complete': {
				yield* this.devicePhase('complete', this.devicesIn(['prepared']), 'active');
				return undefined;
			}

			case 'resume_console': {
				// console_unlock() flushes what the console missed since suspend_console().
				const buffered = ctx.linesSince(this.consoleSuspendedAt);
				yield Math.round(buffered * draw(scenario.platform.consoleUsPerLine, rng)) + 1;
				return undefined;
			}

			case 'thaw_kernel_threads': {
				yield rng.int(100, 900);
				yield* this.logRecords(fmt.restartingKernelThreads(this.k));
				ctx.note('tasks', 'kernel threads thawed', {kind: 'kernel', state: 'thawed'});
				return undefined;
			}

			case 'thaw_processes': {
				yield* this.thawProcesses();
				return undefined;
			}
		}
	}

	/** Log records one after another, a few µs apart (pr_cont pairs land together). */
	private *logRecords(records: readonly fmt.LogRecord[]): Generator<number, void> {
		for (const [i, record] of records.entries()) {
			if (i > 0) yield this.ctx.rng.int(20, 400);
			this.ctx.log(record);
		}
	}

	private *thawProcesses(): Generator<number, void> {
		const {ctx} = this;
		yield ctx.rng.int(200, 1200);
		ctx.log(fmt.oomKillerEnabled());
		yield ctx.rng.int(1, 4);
		const records = fmt.restartingTasks(this.k);
		ctx.log(records[0]!);
		// Waking every task takes a moment; "done." lands when they are all runnable.
		yield ctx.rng.int(60, 400);
		if (records[1]) ctx.log(records[1]);
		this.runState.frozenToUs = ctx.now;
		ctx.note('tasks', 'user space thawed', {kind: 'user', state: 'thawed'});
	}

	/** try_to_freeze_tasks() for user space or for the remaining (kernel) tasks. */
	private *freeze(kind: 'user' | 'kernel'): StepResult {
		const {ctx} = this;
		const {scenario} = ctx;
		const what: fmt.FreezeWhat = kind === 'user' ? 'user space processes' : 'remaining freezable tasks';
		const count = kind === 'user' ? ctx.host.userTasks : ctx.host.kernelTasks;
		const latency = kind === 'user' ? scenario.tasks.freezeLatencyUs : scenario.tasks.kthreadFreezeLatencyUs;
		// A task whose cause ended by itself before this freeze (wakesAtUs) freezes like any other.
		const stuck = ctx.host.stuckTasks.filter(s => s.kind === kind && (s.wakesAtUs === null || scenario.startUs + s.wakesAtUs > ctx.now));
		const rng = ctx.rng.fork(`freeze-${kind}`);
		// Task `id`'s ready time at index id: the stuck ones first, then a draw for each other task.
		const readyAfterUs = new Float64Array(count);
		for (let id = 0; id < count; id++) {
			const spec = stuck[id];
			if (spec) {
				const wakes = spec.wakesAtUs === null ? Number.POSITIVE_INFINITY : Math.max(0, scenario.startUs + spec.wakesAtUs - ctx.now);
				readyAfterUs[id] = Math.min(spec.releaseAfterUs ?? Number.POSITIVE_INFINITY, wakes);
			} else {
				readyAfterUs[id] = draw(latency, rng);
			}
		}

		const start = ctx.now;
		const startRecord = fmt.freezingStart(this.k, what);
		if (this.k.freezer === 'split') ctx.log(startRecord);
		ctx.note('tasks', `freezing ${count} ${kind === 'user' ? 'user tasks' : 'kernel threads'}`, {kind, state: 'freezing', frozen: 0, total: count});
		const result = runFreezerOn(readyAfterUs, scenario.freezeTimeoutMs, rng);
		let at = 0;
		for (const sample of thin(result.progress, 16)) {
			if (sample.frozen === count) break; // the closing note below says it
			yield sample.atUs - at;
			at = sample.atUs;
			ctx.note('tasks', `${sample.frozen}/${count} frozen`, {kind, state: 'freezing', frozen: sample.frozen, total: count});
		}

		yield result.elapsedUs - at;
		const elapsedMs = Math.floor(result.elapsedUs / 1000);
		if (result.ok) {
			ctx.note('tasks', `${count}/${count} frozen`, {kind, state: 'frozen', frozen: count, total: count});
			ctx.log(fmt.freezingDone(this.k, what, elapsedMs), this.k.freezer === 'cont' ? start : undefined);
			if (kind === 'user') {
				yield ctx.rng.int(8, 40);
				ctx.log(fmt.oomKillerDisabled());
			}

			return undefined;
		}

		// The freezer gave up: flush the dangling pr_cont fragment, report, dump the culprits.
		if (this.k.freezer === 'cont') ctx.log(startRecord, start);
		ctx.log(fmt.freezingFailed(this.k, what, elapsedMs, result.refusing.length, false));
		const culprits = result.refusing.map(task => stuck[task.id] ?? slowTask(kind, task.id));
		for (const [i, task] of result.refusing.entries()) {
			const spec = culprits[i]!;
			if (stuck[task.id]) {
				ctx.fault('task-wont-freeze', `${spec.comm} (pid ${spec.pid}) never entered the refrigerator within ${scenario.freezeTimeoutMs} ms`, {target: spec.comm, errno: 'EBUSY', data: {pid: spec.pid, kind}});
			}

			yield ctx.rng.int(20, 80);
			for (const record of fmt.taskDump(this.k, taskDumpOf(this.k, spec))) {
				ctx.log(record);
				yield ctx.rng.int(2, 9);
			}
		}

		ctx.note('tasks', `${result.refusing.length} task(s) refused to freeze: ${culprits.map(t => t.comm).join(', ')}`, {
			kind,
			state: 'failed',
			frozen: count - result.refusing.length,
			total: count,
			refusing: culprits.map(t => ({comm: t.comm, pid: t.pid})),
		});
		if (kind === 'user') {
			// freeze_processes() thaws everything itself before returning -EBUSY.
			yield* this.thawProcesses();
		} else {
			// freeze_kernel_threads() calls thaw_kernel_threads() itself.
			yield ctx.rng.int(100, 600);
			yield* this.logRecords(fmt.restartingKernelThreads(this.k));
		}

		return 'EBUSY';
	}

	private devicesIn(states: DevicePmState[]): Device[] {
		return this.ctx.host.devices.filter(d => states.includes(d.pm));
	}

	private *suspendEnd(): StepResult {
		const {ctx} = this;
		const start = ctx.now;
		const late = yield* this.devicePhase('freeze_late', this.devicesIn(['frozen']), 'frozen-late', {recover: 'thaw_early'});
		if (late) {
			ctx.debugLog(fmt.dpmShowTime('end', 'freeze', true, ctx.now - start));
			return late;
		}

		const noirq = yield* this.devicePhase('freeze_noirq', this.devicesIn(['frozen-late']), 'frozen-noirq');
		if (noirq) {
			// dpm_suspend_noirq() recovers its own devices, then dpm_suspend_end() the late ones.
			yield* this.devicePhase('thaw_noirq', this.devicesIn(['frozen-noirq']), 'frozen-late', {recovering: true});
			yield* this.devicePhase('thaw_early', this.devicesIn(['frozen-late']), 'frozen', {recovering: true});
			ctx.debugLog(fmt.dpmShowTime('end', 'freeze', true, ctx.now - start));
			return noirq;
		}

		ctx.debugLog(fmt.dpmShowTime('end', 'freeze', false, ctx.now - start));
		return undefined;
	}

	/**
	 * Run one device phase: callbacks in dpm_list order (reversed when
	 * suspending), the failure lines of a failing callback, and the phase's
	 * dpm_show_time line (pm_debug_messages only). Resume phases start every
	 * async device first (dpm_resume*: dpm_async_fn() over the list, then the
	 * sync walk); suspend phases start each as the walk reaches it.
	 */
	private *devicePhase(
		callback: PmCallback,
		devices: Device[],
		after: DevicePmState,
		options: {recovering?: boolean; recover?: PmCallback} = {},
	): StepResult {
		const {ctx} = this;
		const platform = ctx.scenario.platform;
		const suspending = callback === 'prepare' || callback.startsWith('freeze');
		const ordered = suspending && callback !== 'prepare' ? [...devices].reverse() : devices;
		const rng = ctx.rng.fork(`phase-${callback}`);
		const phaseStart = ctx.now;
		const durationOf: Record<PmCallback, (d: Device) => number> = {
			prepare: d => draw(d.prepareUs, rng),
			freeze: d => draw(d.freezeUs, rng),
			freeze_late: d => draw(d.freezeLateUs, rng),
			freeze_noirq: d => draw(d.freezeNoirqUs, rng),
			thaw_noirq: d => draw(d.thawNoirqUs, rng),
			thaw_early: d => draw(d.thawEarlyUs, rng),
			thaw: d => draw(d.thawUs, rng),
			complete: d => draw(d.prepareUs, rng),
		};
		const fault = (d: Device) => (!options.recovering && this.faultAt(d, callback) ? d.fail : undefined);
		const symbolOf = (d: Device): string | undefined => {
			const own = d.callbacks[callback];
			if (own === null) return fault(d) ? driverCallback(d.driver, callback) : undefined;
			return own ?? busCallback(d.bus, callback) ?? (fault(d) ? driverCallback(d.driver, callback) : undefined);
		};

		// Devices with no callback in dpm_list are walked too (real 6.1 VM: a late phase
		// with no callback at all still takes 0.6–0.8 ms).
		const walkUs = Math.round(platform.passiveDevices * draw(platform.walkUsPerDevice, rng));
		const byIndex = new Map(ordered.map(d => [d.index, d]));
		const schedule = schedulePhase(
			ordered.map(d => ({
				key: d.index,
				// dpm_prepare() and dpm_complete() run every device synchronously.
				async: d.async && callback !== 'prepare' && callback !== 'complete',
				durationUs: symbolOf(d) === undefined ? undefined : durationOf[callback](d),
				error: fault(d) ? -errnoCode(d.fail!.errno) : undefined,
			})),
			{
				asyncFirst: !suspending,
				// dpm_suspend(): an async parent first waits for its children (dpm_wait_for_subordinate);
				// the real 6.1 VM shows its PCI callbacks starting 8–12 ms into the phase.
				asyncStartUs: callback === 'freeze' ? draw(platform.asyncStartUs, rng) : rng.int(5, 400),
				startUs: Math.round(walkUs / 2),
			},
		);

		type Emission = {atUs: number; order: number; emit: () => void};
		const emissions: Emission[] = [];
		const naming = phaseNaming[callback];
		const verb: fmt.PmVerb = options.recovering ? 'recover' : naming.verb;
		const printTimes = ctx.scenario.log.pmPrintTimes && timedCallback(callback);
		// The writer runs sync callbacks; one async worker (a kworker) runs the async ones.
		const workerPid = rng.int(9, 400);
		for (const [order, cb] of schedule.callbacks.entries()) {
			const device = byIndex.get(cb.key)!;
			const name = {driver: device.driver, name: device.name};
			const symbol = symbolOf(device)!;
			if (printTimes) {
				emissions.push({atUs: cb.startUs, order, emit: () => ctx.log(fmt.callingCallback(this.k, name, symbol, cb.async ? workerPid : ctx.writerPid, device.parent))});
				emissions.push({atUs: cb.endUs, order, emit: () => ctx.log(fmt.callbackReturned(this.k, name, symbol, cb.error ?? 0, cb.endUs - cb.startUs))});
			}

			emissions.push({
				atUs: cb.endUs,
				order,
				emit: () => {
					if (cb.error === undefined) {
						ctx.note('device', `${device.driver} ${device.name}: ${verb === 'recover' ? `recover (${callback})` : callback} done in ${cb.endUs - cb.startUs} µs`, {
							device: `${device.driver} ${device.name}`,
							callback,
							recovering: Boolean(options.recovering),
							us: cb.endUs - cb.startUs,
						});
						return;
					}

					// A failed callback leaves the device where it was: the unwind treats it so.
					device.errors.push(`${callback} returned ${cb.error}`);
					ctx.fault('callback-error', `${device.driver} ${device.name}: ${symbol}() returns ${cb.error} at ${callback}`, {
						target: `${device.driver} ${device.name}`,
						errno: device.fail!.errno,
						data: {callback, error: cb.error, async: cb.async},
					});
					ctx.log(this.failureLines(device, callback, symbol, cb.error, cb.async));
					ctx.note('device', `${device.driver} ${device.name}: ${callback} failed with ${cb.error}`, {
						device: `${device.driver} ${device.name}`,
						callback,
						error: cb.error,
					});
				},
			});
		}

		emissions.sort((a, b) => a.atUs - b.atUs || a.order - b.order);
		let at = 0;
		for (const emission of emissions) {
			yield emission.atUs - at;
			at = emission.atUs;
			emission.emit();
		}

		yield schedule.endUs + (walkUs - Math.round(walkUs / 2)) - at;
		const failedKey = schedule.failure?.key;
		for (const key of schedule.visited) {
			if (key !== failedKey) byIndex.get(key)!.pm = after;
		}

		if (schedule.failure && options.recover) {
			// dpm_suspend_late(): recover the devices it froze, then report the phase.
			yield* this.devicePhase(options.recover, this.devicesIn([after]), 'frozen', {recovering: true});
		}

		if (callback !== 'prepare' && callback !== 'complete') {
			ctx.debugLog(fmt.dpmShowTime(naming.info, verb, schedule.failure !== undefined, ctx.now - phaseStart));
		}

		if (!schedule.failure) return undefined;
		const device = byIndex.get(schedule.failure.key)!;
		return device.fail!.errno;
	}

	private faultAt(device: Device, callback: PmCallback): boolean {
		return device.fail?.callback === callback;
	}

	private failureLines(device: Device, callback: PmCallback, symbol: string, error: number, async: boolean): fmt.LogRecord[] {
		const k = this.k;
		const name = {driver: device.driver, name: device.name};
		const sym = fmt.symbol(k, symbol);
		if (callback === 'prepare') {
			return [fmt.suspendReportResult(k, name, 'device_prepare', sym, error), fmt.notPrepared(k, name, error)];
		}

		const lines: fmt.LogRecord[] = [];
		// The PCI layer reports the driver's own callback before the PM core does.
		if (device.bus === 'pci' && busCallback('pci', callback)) {
			lines.push(fmt.suspendReportResult(k, name, symbol, fmt.symbol(k, driverCallback(device.driver, callback)), error));
		}

		lines.push(fmt.suspendReportResult(k, name, 'dpm_run_callback', sym, error));
		lines.push(fmt.pmDevErr(k, name, 'freeze', phaseNaming[callback].errInfo as '' | 'late' | 'noirq' | 'early', async, error));
		return lines;
	}
}

/** Keep at most `max` samples, always the last one. */
function thin<T>(samples: T[], max: number): T[] {
	if (samples.length <= max) return samples;
	const step = samples.length / max;
	const out = Array.from({length: max - 1}, (_, i) => samples[Math.floor(i * step)]!);
	out.push(samples.at(-1)!);
	return out;
}

/** Names of ordinary tasks caught by a too-short freeze timeout (they were only slow). */
const commonComms = ['systemd-journal', 'rsyslogd', 'sshd', 'cron', 'dbus-daemon', 'bash', 'agetty', 'systemd-logind', 'chronyd', 'python3'];
const commonKthreads = ['kswapd0', 'jbd2/sda1-8', 'xfsaild/dm-0', 'kcompactd0', 'khugepaged'];

function slowTask(kind: 'user' | 'kernel', id: number): StuckTaskSpec {
	const names = kind === 'user' ? commonComms : commonKthreads;
	return {comm: names[id % names.length]!, pid: (kind === 'user' ? 600 : 40) + id, ppid: kind === 'user' ? 1 : 2, kind, releaseAfterUs: null, wakesAtUs: null, probability: 1};
}

function taskDumpOf(k: KernelProfile, spec: StuckTaskSpec): fmt.TaskDump {
	const stack = spec.stack ?? stuckTaskStack(k, spec.kind);
	return {
		comm: spec.comm,
		state: 'D',
		pid: spec.pid,
		tgid: spec.pid,
		ppid: spec.ppid,
		// PF_KTHREAD|PF_NOFREEZE-free kernel thread vs. a user task (PF_FORKNOEXEC…).
		taskFlags: spec.kind === 'kernel' ? 0x20_80_40 : 0x40_01_40,
		flags: 0x00_00_40_00,
		stack,
		// Only a task that entered from user space has user registers to show.
		...(spec.kind === 'user' && stack.some(f => f.startsWith('entry_SYSCALL_64')) ? {regs: userRegisters(spec.pid, syscallOf(stack))} : {}),
	};
}
