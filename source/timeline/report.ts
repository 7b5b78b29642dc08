/**
 * What `--devices`, `--compare-cycles` and the summary say about a device
 * timeline: pure functions from the timeline to text or JSON-ready objects.
 * Text from the log is escaped (no control characters reach the terminal).
 */
import {rankCallbacks, type CycleTimeline, type DeviceCallback, type DeviceTimeline, type PhaseTiming} from './device-timeline.js';

export {driverTotals, rankCallbacks, type DriverTotal} from './device-timeline.js';

/** Control characters (ESC, BEL…) from a log, made visible. */
export function safe(text: string): string {
	// eslint-disable-next-line no-control-regex
	return text.replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, c => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function formatUs(us: number): string {
	if (us >= 1_000_000) return `${(us / 1_000_000).toFixed(3)} s`;
	if (us >= 10_000) return `${(us / 1000).toFixed(1)} ms`;
	return `${us} µs`;
}

/** The name a user knows a device by: "<drv> <dev>", or the device alone. */
export function deviceLabel(c: {driver: string; device: string}): string {
	return c.driver ? `${c.driver} ${c.device}` : c.device;
}

/** One object per callback, the `--json` record. */
export function callbackRecord(c: DeviceCallback): Record<string, unknown> {
	return {
		kind: 'callback',
		cycle: c.cycle,
		phase: c.phase,
		device: c.device,
		driver: c.driver,
		callback: c.callback ?? null,
		usecs: c.usecs ?? null,
		rc: c.rc ?? null,
		pid: c.pid ?? null,
		parent: c.parent ?? null,
		async: c.async ?? null,
		status: c.status,
		form: c.form,
		startUs: c.startUs,
		file: c.file,
		line: c.line,
		returnLine: c.returnLine ?? null,
	};
}

/** The phase's length to share against: the kernel's figure, else the span of its callbacks. */
export function phaseSpan(phase: PhaseTiming): number {
	return phase.kernelUsecs ?? Math.max(phase.endUs - phase.startUs, phase.callbackUsecs > 0 ? 1 : 0);
}

function statusMark(c: DeviceCallback): string {
	if (c.status === 'failed') return `FAILED rc ${c.rc ?? '?'}`;
	if (c.status === 'unfinished') return 'NEVER RETURNED';
	if (c.status === 'no-calling-line') return '(no calling line)';
	return '';
}

function cycleTitle(cycle: CycleTimeline): string {
	let failed = 0;
	for (const p of cycle.phases) failed += p.failed;
	return `cycle ${cycle.index} (${cycle.kind}, ${(cycle.startUs / 1e6).toFixed(6)}–${(cycle.endUs / 1e6).toFixed(6)} s, ${cycle.file ? `${cycle.file}:` : 'log lines '}${cycle.startLine}-${cycle.endLine}${cycle.closed ? '' : ', not closed: log cut or cycle broken'}): ${cycle.callbackCount} callbacks, ${failed} failed or never returned${cycle.failed ? ' — FAILED' : ''}`;
}

export type DevicesOptions = {top: number; cycle?: number};

/** The `--devices` report. */
export function devicesText(timeline: DeviceTimeline, options: DevicesOptions): string {
	const out: string[] = [];
	const cycles = options.cycle === undefined ? timeline.cycles : timeline.cycles.filter(c => c.index === options.cycle);
	if (timeline.callbacks === 0) out.push('no per-device callback lines in this log (enable them with: echo 1 > /sys/power/pm_print_times)');
	for (const cycle of cycles) {
		out.push(cycleTitle(cycle));
		if (cycle.callbacks.some(c => c.form === 'drv-dev-msecs')) out.push('  note: this kernel prints "PM: <verb> of drv:… dev:… complete after N msecs" for slow callbacks only: the rest are not in the log');
		for (const failure of cycle.failures.slice(0, 10)) out.push(`  ! ${failure.file}:${failure.line}: ${safe(failure.text)}`);
		if (cycle.failures.length > 10) out.push(`  ! … ${cycle.failures.length - 10} more failure lines`);
		for (const phase of cycle.phases) {
			const kernel = phase.kernelUsecs === undefined ? 'no dpm line' : `${formatUs(phase.kernelUsecs)} by the kernel${phase.aborted ? ', ABORTED' : ''}`;
			out.push(`  ${phase.name}: ${kernel}; ${phase.callbacks} callbacks, ${formatUs(phase.callbackUsecs)} in callbacks${phase.failed ? `, ${phase.failed} failed` : ''}`);
			const span = phaseSpan(phase);
			const ranked = rankCallbacks(cycle.callbacks.filter(c => c.phase === phase.name)).slice(0, options.top);
			for (const c of ranked) {
				const share = c.usecs !== undefined && span > 0 ? `${((100 * c.usecs) / span).toFixed(1).padStart(5)}%` : '    -';
				const usecs = c.usecs === undefined ? '      ?' : String(c.usecs).padStart(7);
				const extra = [c.callback, c.pid === undefined ? undefined : `pid ${c.pid}${c.async ? ' async' : ''}`, c.parent ? `parent ${c.parent}` : undefined, `line ${c.line}`, statusMark(c)].filter(Boolean).join('  ');
				out.push(`    ${usecs} µs ${share}  ${safe(deviceLabel(c))}  ${safe(extra)}`);
			}
		}

		if (cycle.callbackCount > 0) {
			out.push('  per driver:');
			for (const t of cycle.drivers.slice(0, options.top)) out.push(`    ${String(t.usecs).padStart(7)} µs  ${String(t.callbacks).padStart(4)} callbacks  ${safe(t.driver)}${t.failed ? `  ${t.failed} failed` : ''}`);
		}
	}

	return out.join('\n');
}

/** A cycle's total device time: the kernel's phase figures, else its callbacks. */
export function cycleDeviceUsecs(cycle: CycleTimeline): number {
	let total = 0;
	for (const p of cycle.phases) total += p.kernelUsecs ?? p.callbackUsecs;
	return total;
}

export type CycleComparison = {
	fastest: number;
	slowest: number;
	fastestUsecs: number;
	slowestUsecs: number;
	phases: Array<{phase: string; fastestUsecs: number; slowestUsecs: number; deltaUsecs: number}>;
	devices: Array<{device: string; driver: string; callback: string | null; phase: string; fastestUsecs: number | null; slowestUsecs: number | null; deltaUsecs: number}>;
};

/** Which phase and which device changed between the fastest and the slowest cycle with device data. */
export function compareCycles(timeline: DeviceTimeline): CycleComparison | undefined {
	const candidates = timeline.cycles.filter(c => c.phases.length > 0);
	if (candidates.length < 2) return undefined;
	let fastest = candidates[0]!;
	let slowest = candidates[0]!;
	for (const c of candidates) {
		if (cycleDeviceUsecs(c) < cycleDeviceUsecs(fastest)) fastest = c;
		if (cycleDeviceUsecs(c) > cycleDeviceUsecs(slowest)) slowest = c;
	}

	const phaseNames = [...new Set([...fastest.phases, ...slowest.phases].map(p => p.name))];
	const value = (c: CycleTimeline, name: string) => {
		const p = c.phases.find(x => x.name === name);
		return p ? (p.kernelUsecs ?? p.callbackUsecs) : 0;
	};

	const phases = phaseNames.map(phase => ({phase, fastestUsecs: value(fastest, phase), slowestUsecs: value(slowest, phase), deltaUsecs: value(slowest, phase) - value(fastest, phase)})).sort((a, b) => Math.abs(b.deltaUsecs) - Math.abs(a.deltaUsecs));
	const key = (c: DeviceCallback) => `${c.phase}\u0000${c.driver} ${c.device}\u0000${c.callback ?? ''}`;
	const sum = (cs: readonly DeviceCallback[]) => {
		const m = new Map<string, {c: DeviceCallback; usecs: number}>();
		for (const c of cs) {
			const e = m.get(key(c));
			if (e) e.usecs += c.usecs ?? 0;
			else m.set(key(c), {c, usecs: c.usecs ?? 0});
		}

		return m;
	};

	const a = sum(fastest.callbacks);
	const b = sum(slowest.callbacks);
	const devices = [...new Set([...a.keys(), ...b.keys()])]
		.map(k => {
			const c = (b.get(k) ?? a.get(k))!.c;
			const fastestUsecs = a.get(k)?.usecs ?? null;
			const slowestUsecs = b.get(k)?.usecs ?? null;
			return {device: c.device, driver: c.driver, callback: c.callback ?? null, phase: c.phase, fastestUsecs, slowestUsecs, deltaUsecs: (slowestUsecs ?? 0) - (fastestUsecs ?? 0)};
		})
		.sort((x, y) => Math.abs(y.deltaUsecs) - Math.abs(x.deltaUsecs));
	return {fastest: fastest.index, slowest: slowest.index, fastestUsecs: cycleDeviceUsecs(fastest), slowestUsecs: cycleDeviceUsecs(slowest), phases, devices};
}

export function comparisonText(comparison: CycleComparison | undefined, top: number): string {
	if (!comparison) return 'compare-cycles: fewer than two cycles with device phases in this log: nothing to compare';
	const out = [`fastest cycle ${comparison.fastest}: ${formatUs(comparison.fastestUsecs)} of device phases; slowest cycle ${comparison.slowest}: ${formatUs(comparison.slowestUsecs)} (${comparison.slowestUsecs - comparison.fastestUsecs >= 0 ? '+' : ''}${formatUs(comparison.slowestUsecs - comparison.fastestUsecs)})`, 'phases (largest change first):'];
	for (const p of comparison.phases) out.push(`  ${p.phase.padEnd(14)} ${formatUs(p.fastestUsecs).padStart(10)} → ${formatUs(p.slowestUsecs).padStart(10)}  (${p.deltaUsecs >= 0 ? '+' : ''}${p.deltaUsecs} µs)`);
	out.push('devices (largest change first):');
	for (const d of comparison.devices.slice(0, top)) {
		const f = d.fastestUsecs === null ? 'absent' : `${d.fastestUsecs} µs`;
		const s = d.slowestUsecs === null ? 'absent' : `${d.slowestUsecs} µs`;
		out.push(`  ${safe(deviceLabel(d))} ${safe(d.callback ?? '')} [${d.phase}]: ${f} → ${s} (${d.deltaUsecs >= 0 ? '+' : ''}${d.deltaUsecs} µs)`);
	}

	return out.join('\n');
}

/** Each cycle's top callbacks, for the summary document. */
export function topCallbacksByCycle(timeline: DeviceTimeline, top: number): Array<{cycle: number; kind: string; failed: boolean; top: Array<Record<string, unknown>>}> {
	return timeline.cycles
		.filter(c => c.callbackCount > 0)
		.map(c => ({cycle: c.monitorCycle?.ordinal ?? c.index, kind: c.monitorCycle?.kind ?? c.kind, failed: c.failed, top: rankCallbacks(c.callbacks).slice(0, top).map(callbackRecord)}));
}
