/**
 * `ndctl list -BDF` output (kernel.md §6.2): buses with their firmware
 * activation method and state, DIMMs with their firmware versions. Turned
 * into what the kernel's sysfs would show (bus/DIMM `firmware/activate`,
 * bus `firmware/capability`) plus a firmware note with the versions.
 * Accepts -u human strings, a single object, and — leniently — the indented,
 * cut-off copies people paste in mail.
 */
import type {NoteEvent, SysfsEvent} from '../events.js';
import {sysfsPaths} from '../kernel/sysfs.js';
import type {TraceWarning} from './log-parser.js';

type NdctlFirmware = {activate_method?: string; activate_state?: string; current_version?: unknown; next_version?: unknown; can_update?: boolean; need_powercycle?: boolean};
type NdctlDimm = {dev?: string; firmware?: NdctlFirmware};
type NdctlBus = {dev?: string; provider?: string; firmware?: NdctlFirmware; dimms?: NdctlDimm[]};

export type NdctlParse = {events: Array<SysfsEvent | NoteEvent>; warnings: TraceWarning[]; buses: string[]; dimms: string[]};

const methodToCapability: Record<string, string | undefined> = {suspend: 'quiesce', live: 'live', reset: undefined};

function index(dev: string | undefined, prefix: string): number | undefined {
	const m = new RegExp(`^${prefix}(\\d+)$`).exec(dev ?? '');
	return m ? Number(m[1]) : undefined;
}

/** Close what a cut-off paste left open, dropping "..." elision lines. */
function repair(text: string): string {
	const lines = text.split('\n').filter(l => !/^\s*\.\.\.\s*$/.test(l) && !/^\s*ndctl\s/.test(l) && !/^\s*[$#]\s/.test(l));
	let body = lines.join('\n').trim().replace(/,\s*$/, '');
	const stack: string[] = [];
	let inString = false;
	for (let i = 0; i < body.length; i++) {
		const c = body[i]!;
		if (inString) {
			if (c === '\\') i++;
			else if (c === '"') inString = false;
		} else if (c === '"') inString = true;
		else if (c === '{' || c === '[') stack.push(c === '{' ? '}' : ']');
		else if (c === '}' || c === ']') stack.pop();
	}

	while (stack.length > 0) {
		body = body.replace(/,\s*$/, '') + stack.pop();
	}

	return body;
}

export function parseNdctlText(text: string, file: string, t = 0): NdctlParse {
	const warnings: TraceWarning[] = [];
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch {
		try {
			data = JSON.parse(repair(text));
			warnings.push({file, line: 1, message: 'not valid JSON (cut off or pasted); read what could be recovered'});
		} catch (error) {
			warnings.push({file, line: 1, message: `not ndctl JSON: ${(error as Error).message}`});
			return {events: [], warnings, buses: [], dimms: []};
		}
	}

	const items = Array.isArray(data) ? data : [data];
	const buses: NdctlBus[] = [];
	const looseDimms: NdctlDimm[] = [];
	for (const item of items) {
		if (typeof item !== 'object' || item === null) continue;
		const object = item as NdctlBus & {buses?: NdctlBus[]};
		if (Array.isArray(object.buses)) buses.push(...object.buses);
		else if (index(object.dev, 'ndbus') !== undefined) buses.push(object);
		else if (index(object.dev, 'nmem') !== undefined) looseDimms.push(object);
	}

	const events: Array<SysfsEvent | NoteEvent> = [];
	const source = {file, line: 1};
	const versions: Array<{dimm: number; current: string | null; next: string | null}> = [];
	const addDimm = (dimm: NdctlDimm) => {
		const n = index(dimm.dev, 'nmem');
		if (n === undefined) return;
		events.push({kind: 'sysfs', t, path: `bus/nd/devices/nmem${n}`, value: '<dir>', source} as SysfsEvent);
		const fw = dimm.firmware;
		if (!fw) return;
		if (fw.activate_state) events.push({kind: 'sysfs', t, path: sysfsPaths.dimmActivate(n), value: fw.activate_state, source} as SysfsEvent);
		versions.push({dimm: n, current: fw.current_version === undefined ? null : String(fw.current_version), next: fw.next_version === undefined ? null : String(fw.next_version)});
	};

	for (const bus of buses) {
		const n = index(bus.dev, 'ndbus');
		if (n === undefined) continue;
		events.push({kind: 'sysfs', t, path: `bus/nd/devices/ndbus${n}`, value: '<dir>', source} as SysfsEvent);
		const capability = bus.firmware?.activate_method ? methodToCapability[bus.firmware.activate_method] : undefined;
		if (capability) events.push({kind: 'sysfs', t, path: sysfsPaths.busCapability(n), value: capability, source} as SysfsEvent);
		if (bus.firmware?.activate_state) events.push({kind: 'sysfs', t, path: sysfsPaths.busActivate(n), value: bus.firmware.activate_state, source} as SysfsEvent);
		for (const dimm of bus.dimms ?? []) addDimm(dimm);
	}

	for (const dimm of looseDimms) addDimm(dimm);
	if (versions.length > 0) {
		events.push({kind: 'note', t, topic: 'firmware', text: `ndctl: firmware of ${versions.length} DIMM(s)`, data: {source: 'ndctl', dimms: versions}});
	}

	if (buses.length === 0 && looseDimms.length === 0) warnings.push({file, line: 1, message: 'no nd bus or DIMM objects in this ndctl output'});
	return {
		events,
		warnings,
		buses: buses.map(b => b.dev ?? '?'),
		dimms: [...buses.flatMap(b => b.dimms ?? []), ...looseDimms].map(d => d.dev ?? '?'),
	};
}
