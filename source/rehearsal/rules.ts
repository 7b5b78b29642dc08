/**
 * Grading rules: what a careful operator does, each with the kernel
 * behaviour that makes it matter. A drill picks the rules that apply.
 * A step skipped is only a mistake when it made a difference on this host:
 * not inspecting a host with nothing stuck and nothing moving, not reading a
 * bus that was armed anyway, not draining when no DMA timed out — none of
 * these is penalised (the verdict says so).
 */
import type {ActivationRun} from '../sim/quiet-exec-run.js';
import type {Simulation} from '../sim/simulation.js';
import type {ActionRecord} from './session.js';

export const ruleIds = ['inspect', 'check-bus', 'no-overflow', 'method', 'drain', 'tasks', 'goal', 'verify', 'decide', 'frozen-budget', 'collateral'] as const;
export type RuleId = (typeof ruleIds)[number];

export type RuleContext = {records: ActionRecord[]; sim: Simulation; runs: ActivationRun[]; maxFrozenMs?: number; initial: ReturnType<Simulation['inspect']>};

export type RuleVerdict = {ok: boolean; detail: string};

export type Rule = {id: RuleId; title: string; why: string; judge: (c: RuleContext) => RuleVerdict};

const firstTrigger = (c: RuleContext) => c.records.findIndex(r => r.kind === 'trigger');
const before = (c: RuleContext, pred: (r: ActionRecord) => boolean) => {
	const index = firstTrigger(c);
	return c.records.slice(0, index === -1 ? c.records.length : index).some(pred);
};

const frozenMs = (c: RuleContext) => c.runs.reduce((sum, r) => sum + (r.frozenFromUs !== undefined && r.frozenToUs !== undefined ? r.frozenToUs - r.frozenFromUs : 0), 0) / 1000;

export const rules: Record<RuleId, Rule> = {
	inspect: {
		id: 'inspect',
		title: 'looked at the host before triggering',
		why: 'A task in uninterruptible sleep makes the freezer give up after 20 s (EBUSY) with all of user space frozen meanwhile; an adapter whose freeze does not stop DMA races the memory stall. Both are visible before you start.',
		judge: c => {
			if (before(c, r => r.kind === 'inspect')) return {ok: true, detail: 'inspected the host first'};
			const risky = c.initial.stuckTasks.length > 0 || c.initial.dma.some(d => !d.stopsOnFreeze);
			return risky ? {ok: false, detail: 'triggered without looking at tasks and DMA traffic'} : {ok: true, detail: 'did not inspect, but there was nothing stuck and nothing racing the stall: no difference on this host'};
		},
	},
	'check-bus': {
		id: 'check-bus',
		title: 'read the bus state before triggering',
		why: 'ndbusX/firmware/activate tells idle, armed, overflow or busy; the kernel runs the activation for armed and overflow alike, so only reading it tells you the platform will refuse an overflow.',
		judge: c => {
			if (before(c, r => (r.kind === 'read' || r.kind === 'verify') && (r.paths ?? []).some(p => /ndbus\d+\/firmware\/(?:activate|capability)$/.test(p)))) return {ok: true, detail: 'read ndbus0/firmware/activate or capability first'};
			const triggers = c.records.filter(r => r.kind === 'trigger');
			const mattered = triggers.some(r => r.busBefore !== 'armed');
			return mattered ? {ok: false, detail: `never read the bus state before writing to it (it was ${triggers.map(r => r.busBefore).join(', ')})`} : {ok: true, detail: 'did not read the bus state, but it was armed: no difference on this host'};
		},
	},
	'no-overflow': {
		id: 'no-overflow',
		title: 'never triggered on overflow',
		why: 'With overflow the platform estimate (activate_tmo) exceeds max_quiesce_tmo: the kernel still freezes everything and calls the platform, which refuses — the write returns 0 and nothing is activated. Arm fewer DIMMs per batch.',
		judge: c => {
			const bad = c.records.filter(r => r.kind === 'trigger' && r.busBefore === 'overflow');
			return bad.length === 0 ? {ok: true, detail: 'every trigger was on an armed (not overflowing) bus'} : {ok: false, detail: `triggered ${bad.length} time(s) with the bus in overflow`};
		},
	},
	method: {
		id: 'method',
		title: 'used the method the platform asks for',
		why: 'firmware/capability says quiesce (the platform injects a memory stall: freeze first) or live (no stall: freezing only costs frozen time). Writing live on a quiesce platform races devices and applications against the stall (ndctl calls it DANGER).',
		judge: c => {
			const capability = c.sim.peek('bus/nd/devices/ndbus0/firmware/capability');
			const wanted = capability.ok ? capability.value : 'quiesce';
			const wrong = c.records.filter(r => r.kind === 'trigger' && r.method !== wanted);
			return wrong.length === 0 ? {ok: true, detail: `triggered with ${wanted}, as the capability says`} : {ok: false, detail: `triggered with ${wrong.map(r => r.method).join(', ')} on a platform whose capability is ${wanted}`};
		},
	},
	drain: {
		id: 'drain',
		title: 'stopped DMA that the freeze would not stop',
		why: 'Device ->freeze() callbacks are expected to stop DMA, but some RDMA drivers do not; with noidle=Y the platform does not hold DMA off, so reads in flight hit the memory stall and exceed the PCIe completion timeout (AER CmpltTO).',
		judge: c => {
			const risky = c.initial.dma.filter(d => !d.stopsOnFreeze).map(d => d.device);
			const timedOut = c.runs.flatMap(r => r.faults.filter(f => f.point === 'dma-not-stopped' && f.data?.['timedOut'] === true).map(f => f.target!));
			const drainedFirst = risky.filter(d => before(c, r => r.kind === 'drain' && (r.target === d || d.endsWith(` ${r.target ?? ''}`))));
			if (timedOut.length > 0) return {ok: false, detail: `DMA timed out on ${[...new Set(timedOut)].join(', ')}${drainedFirst.length < risky.length ? ` — not drained before triggering: ${risky.filter(d => !drainedFirst.includes(d)).join(', ')}` : ''}`};
			if (risky.length === 0) return {ok: true, detail: 'nothing was moving data that its freeze would not stop: nothing to drain'};
			return drainedFirst.length === risky.length ? {ok: true, detail: `drained ${risky.join(', ')} before triggering`} : {ok: true, detail: `did not drain ${risky.filter(d => !drainedFirst.includes(d)).join(', ')}, but no DMA timed out: no difference on this host`};
		},
	},
	tasks: {
		id: 'tasks',
		title: 'dealt with the task stuck in D state first',
		why: 'The freezer waits up to pm_freeze_timeout (20 s) for every task, with user space frozen all the while: a task in uninterruptible sleep holds it until it wakes, and one still asleep after those 20 s makes the freeze fail with EBUSY, and nothing is activated.',
		judge: c => {
			const refused = [...new Set(c.runs.flatMap(r => r.faults.filter(f => f.point === 'task-wont-freeze').map(f => f.target!)))];
			const stuck = c.initial.stuckTasks.map(t => t.comm);
			if (refused.length > 0) return {ok: false, detail: `the freezer failed: ${refused.join(', ')} refused to freeze`};
			if (stuck.length === 0) return {ok: true, detail: 'no task was stuck in D state: nothing to resolve'};
			const resolved = stuck.filter(comm => before(c, r => r.kind === 'resolve' && r.target === comm));
			// A task whose cause ended by itself (the NFS server answers again) before the trigger: waiting was the fix.
			const trigger = c.records[firstTrigger(c)];
			const woke = c.initial.stuckTasks.filter(t => !resolved.includes(t.comm) && t.wakesAtUs !== undefined && trigger !== undefined && t.wakesAtUs <= trigger.t).map(t => t.comm);
			const handled = [...resolved, ...woke];
			if (handled.length === stuck.length) {
				return {ok: true, detail: [resolved.length > 0 ? `resolved ${resolved.join(', ')}` : '', woke.length > 0 ? `waited until ${woke.join(', ')} left D state` : ''].filter(Boolean).join('; ') + ' before triggering'};
			}

			const left = stuck.filter(s => !handled.includes(s)).join(', ');
			return {ok: false, detail: trigger ? `triggered while ${left} was still in D state (resolve it, or wait until it leaves D state)` : `did not resolve ${left}`};
		},
	},
	goal: {
		id: 'goal',
		title: 'activated every DIMM that can be activated',
		why: 'The goal of the window: every DIMM with a staged image runs its new firmware. Only nmemX/firmware/result says so — the bus write returns 0 even when the platform refused.',
		judge: c => {
			const wanted = c.sim.host.dimms.filter(d => d.spec.nextVersion !== null && d.spec.outcome === 'success' && d.spec.fwOps);
			const done = wanted.filter(d => d.result === 'success' || d.pendingResult === 'success');
			return done.length === wanted.length ? {ok: true, detail: `${done.length}/${wanted.length} DIMMs activated`} : {ok: false, detail: `${done.length}/${wanted.length} DIMMs activated`};
		},
	},
	verify: {
		id: 'verify',
		title: 'read every result after the activation',
		why: 'The platform\'s status is not turned into an errno: a successful write proves nothing. Each DIMM\'s firmware/result (success, fail, not_staged, need_reset) is the only outcome.',
		judge: c => {
			const last = c.records.map(r => r.kind).lastIndexOf('trigger');
			if (last === -1) return {ok: false, detail: 'never triggered an activation'};
			const read = new Set(c.records.slice(last + 1).flatMap(r => r.paths ?? []));
			if (read.size === 0) return {ok: false, detail: 'did not check the outcome after the last trigger'};
			const missing = c.sim.host.dimms.filter(d => d.tookPart && !read.has(`bus/nd/devices/nmem${d.index}/firmware/result`)).map(d => `nmem${d.index}`);
			return missing.length === 0 ? {ok: true, detail: 'read every result after the last activation'} : {ok: false, detail: `did not read the result of ${missing.join(', ')}`};
		},
	},
	decide: {
		id: 'decide',
		title: 'decided what follows for each DIMM that did not activate',
		why: 'need_reset: the new firmware will still activate with a power cycle — schedule one. not_staged: no image was staged — restage it and retry. fail: a device-specific failure — replace or escalate.',
		judge: c => {
			const expected: Record<string, string> = {need_reset: 'power-cycle', not_staged: 'restage', fail: 'replace'};
			const needs = c.sim.host.dimms.filter(d => expected[d.result]).map(d => ({name: `nmem${d.index}`, want: expected[d.result]!}));
			const wrong = needs.filter(n => c.records.findLast(r => r.kind === 'decide' && r.target === n.name)?.decision !== n.want);
			return wrong.length === 0 ? {ok: true, detail: needs.map(n => `${n.name}: ${n.want}`).join(', ') || 'nothing to decide'} : {ok: false, detail: wrong.map(n => `${n.name} needs "${n.want}"`).join(', ')};
		},
	},
	'frozen-budget': {
		id: 'frozen-budget',
		title: 'kept user space frozen within the window',
		why: 'Every application is stopped for the whole quiesce cycle, not just the µs stall: heartbeats and cluster tokens lapse. Each extra trigger adds a full freeze/thaw cycle.',
		judge: c => {
			const ms = frozenMs(c);
			return c.maxFrozenMs === undefined || ms <= c.maxFrozenMs ? {ok: true, detail: `user space frozen ${ms.toFixed(1)} ms in total`} : {ok: false, detail: `user space frozen ${ms.toFixed(1)} ms, over the ${c.maxFrozenMs} ms allowed`};
		},
	},
	collateral: {
		id: 'collateral',
		title: 'no collateral damage',
		why: 'A device that timed out or failed its callbacks may have lost I/O; the maintenance was not clean even if the DIMMs activated.',
		judge: c => {
			// From the faults that fired: a callback error, or DMA that timed out in the quiesce.
			const hurt = c.sim.faults
				.filter(f => f.point === 'callback-error' || (f.point === 'dma-not-stopped' && f.data?.['timedOut'] === true))
				.map(f => (f.point === 'callback-error' ? `${f.target}: ${String(f.data?.['callback'])} returned ${String(f.data?.['error'])}` : `${f.target}: PCIe completion timeout`));
			return hurt.length === 0 ? {ok: true, detail: 'no device errors'} : {ok: false, detail: hurt.join('; ')};
		},
	},
};

export {frozenMs};
