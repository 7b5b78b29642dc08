/**
 * `ndctl list -BDF` output (kernel.md §6.2): buses with their firmware
 * activation method and state, DIMMs with their firmware versions. Turned
 * into what the kernel's sysfs would show (bus/DIMM `firmware/activate`,
 * bus `firmware/capability`) plus a firmware note with the versions.
 * Accepts -u human strings, a single object, and — leniently — the indented,
 * cut-off copies people paste in mail.
 */
import type {z} from 'zod';
import {onFirstUse, zod} from './zod-on-demand.js';
import type {NoteEvent, SysfsEvent} from '../events.js';
import {sysfsPaths} from '../kernel/sysfs.js';
import {quote, type TraceWarning} from './log-parser.js';

/** What ndctl prints for firmware (ndctl/util/json.c): strings, versions as strings or numbers, booleans. */
function buildSchemas() {
	const z = zod();
	const firmwareSchema = z
		.object({
			activate_method: z.string().optional(),
			activate_state: z.string().optional(),
			current_version: z.union([z.string(), z.number()]).optional(),
			next_version: z.union([z.string(), z.number()]).optional(),
			can_update: z.boolean().optional(),
			need_powercycle: z.boolean().optional(),
		})
		.passthrough();
	const dimmSchema = z.object({dev: z.string(), firmware: firmwareSchema.optional()}).passthrough();
	const busSchema = z.object({dev: z.string(), provider: z.string().optional(), firmware: firmwareSchema.optional(), dimms: z.array(z.unknown()).optional()}).passthrough();
	return {firmwareSchema, dimmSchema, busSchema};
}

/** zod loads on first use (zod-on-demand.ts): a replay without ndctl JSON never loads it. */
const schemas = onFirstUse(buildSchemas);
type NdctlFirmware = z.infer<ReturnType<typeof buildSchemas>['firmwareSchema']>;
type NdctlDimm = z.infer<ReturnType<typeof buildSchemas>['dimmSchema']>;
type NdctlBus = {dev: string; provider?: string; firmware?: NdctlFirmware; dimms: NdctlDimm[]};

export type NdctlParse = {events: Array<SysfsEvent | NoteEvent>; warnings: TraceWarning[]; buses: string[]; dimms: string[]};

const methodToCapability: Record<string, string | undefined> = {suspend: 'quiesce', live: 'live', reset: undefined};

function index(dev: string | undefined, prefix: string): number | undefined {
	const m = new RegExp(`^${prefix}(\\d+)$`).exec(dev ?? '');
	return m ? Number(m[1]) : undefined;
}

/** Work done by the last repair (characters scanned), for tests of its bound. */
export const repairWork = {chars: 0};

/**
 * Close what a cut-off paste left open, dropping "..." elision lines: one
 * pass over the text, closers appended at once (linear in the input, so
 * 20 000 unclosed objects cost no more than their characters).
 */
export function repair(text: string): string {
	const lines = text.split('\n').filter(l => !/^\s*\.\.\.\s*$/.test(l) && !/^\s*ndctl\s/.test(l) && !/^\s*[$#]\s/.test(l));
	let body = trimTrailingComma(lines.join('\n').trim());
	const stack: string[] = [];
	let inString = false;
	repairWork.chars = 0;
	for (let i = 0; i < body.length; i++) {
		repairWork.chars++;
		const c = body.charCodeAt(i);
		if (inString) {
			if (c === 92) i++;
			else if (c === 34) inString = false;
		} else if (c === 34) inString = true;
		else if (c === 123) stack.push('}');
		else if (c === 91) stack.push(']');
		else if (c === 125 || c === 93) stack.pop();
	}

	if (inString) body += '"';
	// A dangling key or comma before the closers: `"dev":` or `"a",` → drop it.
	body = trimTrailingComma(dropDanglingKey(body));
	const closers: string[] = [];
	for (let i = stack.length - 1; i >= 0; i--) closers.push(stack[i]!);
	return body + closers.join('');
}

/** `…, "key":` at the very end (a cut between a key and its value): drop the key. Scans backwards only. */
function dropDanglingKey(text: string): string {
	let end = text.length;
	while (end > 0 && /\s/.test(text[end - 1]!)) end--;
	if (text[end - 1] !== ':') return text;
	end--;
	while (end > 0 && /\s/.test(text[end - 1]!)) end--;
	if (text[end - 1] !== '"') return text;
	let start = end - 2;
	while (start >= 0 && !(text[start] === '"' && text[start - 1] !== '\\')) start--;
	return start < 0 ? text : text.slice(0, start);
}

function trimTrailingComma(text: string): string {
	let end = text.length;
	while (end > 0 && /\s/.test(text[end - 1]!)) end--;
	if (text[end - 1] === ',') end--;
	return text.slice(0, end);
}

/** Where a value sits in the text: the line of its first `"dev": "name"`, or 1. */
function lineOf(text: string, dev: unknown): number {
	if (typeof dev !== 'string') return 1;
	const at = text.search(new RegExp(`"dev"\\s*:\\s*${JSON.stringify(dev).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
	if (at === -1) return 1;
	let line = 1;
	for (let i = 0; i < at; i++) if (text.charCodeAt(i) === 10) line++;
	return line;
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
	const bad = (where: string, value: unknown, error: z.ZodError) => {
		if (warnings.length >= 100) return;
		const issue = error.issues[0]!;
		const field = issue.path.length > 0 ? `field ${issue.path.join('.')}` : 'value';
		const dev = (value as {dev?: unknown} | null)?.dev;
		warnings.push({file, line: lineOf(text, dev), message: `ndctl ${where}${typeof dev === 'string' ? ` (${quote(dev, 20)})` : ''}: ${field}: ${issue.message === 'Required' ? 'missing' : issue.message}; skipped`});
	};

	const takeDimm = (value: unknown, where: string, into: NdctlDimm[]) => {
		const parsed = schemas().dimmSchema.safeParse(value);
		if (parsed.success) into.push(parsed.data);
		else bad(where, value, parsed.error);
	};

	const takeBus = (value: unknown, where: string) => {
		const parsed = schemas().busSchema.safeParse(value);
		if (!parsed.success) {
			bad(where, value, parsed.error);
			return;
		}

		const dimms: NdctlDimm[] = [];
		for (const [i, dimm] of (parsed.data.dimms ?? []).entries()) takeDimm(dimm, `${where}.dimms[${i}]`, dimms);
		buses.push({dev: parsed.data.dev, provider: parsed.data.provider, firmware: parsed.data.firmware, dimms});
	};

	for (const [i, item] of items.entries()) {
		const where = Array.isArray(data) ? `[${i}]` : 'object';
		if (typeof item !== 'object' || item === null || Array.isArray(item)) {
			warnings.push({file, line: 1, message: `ndctl ${where}: expected an object, got ${item === null ? 'null' : Array.isArray(item) ? 'an array' : typeof item}; skipped`});
			continue;
		}

		const object = item as Record<string, unknown>;
		if ('buses' in object || ('dimms' in object && !('dev' in object))) {
			// `ndctl list -BD` on several buses, or `-D -R`: {"buses": […]} / {"dimms": […], "regions": […]}.
			for (const key of ['buses', 'dimms'] as const) {
				if (!(key in object)) continue;
				const list = object[key];
				if (!Array.isArray(list)) {
					warnings.push({file, line: 1, message: `ndctl ${where}: field ${key}: expected an array; skipped`});
					continue;
				}

				for (const [j, value] of list.entries()) {
					if (key === 'buses') takeBus(value, `${where}.buses[${j}]`);
					else takeDimm(value, `${where}.dimms[${j}]`, looseDimms);
				}
			}
		} else if (typeof object['dev'] === 'string' && index(object['dev'], 'ndbus') !== undefined) takeBus(object, where);
		else if (typeof object['dev'] === 'string' && index(object['dev'], 'nmem') !== undefined) takeDimm(object, where, looseDimms);
		else if (!('dev' in object) || typeof object['dev'] !== 'string') warnings.push({file, line: 1, message: `ndctl ${where}: field dev: ${'dev' in object ? 'expected a string' : 'missing'}; skipped`});
	}

	const events: Array<SysfsEvent | NoteEvent> = [];
	const source = {file, line: 1};
	const versions: Array<{dimm: number; current: string | null; next: string | null}> = [];
	const addDimm = (dimm: NdctlDimm) => {
		void (dimm.firmware as NdctlFirmware | undefined);
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
		// Own keys only: a method named like an Object.prototype member ("toString") is not a capability.
		const method = bus.firmware?.activate_method;
		const capability = method !== undefined && Object.hasOwn(methodToCapability, method) ? methodToCapability[method] : undefined;
		if (capability) events.push({kind: 'sysfs', t, path: sysfsPaths.busCapability(n), value: capability, source} as SysfsEvent);
		if (bus.firmware?.activate_state) events.push({kind: 'sysfs', t, path: sysfsPaths.busActivate(n), value: bus.firmware.activate_state, source} as SysfsEvent);
		for (const dimm of bus.dimms) addDimm(dimm);
	}

	for (const dimm of looseDimms) addDimm(dimm);
	if (versions.length > 0) {
		events.push({kind: 'note', t, topic: 'firmware', text: `ndctl: firmware of ${versions.length} DIMM(s)`, data: {source: 'ndctl', dimms: versions}});
	}

	if (buses.length === 0 && looseDimms.length === 0 && warnings.length === 0) warnings.push({file, line: 1, message: 'no nd bus or DIMM objects in this ndctl output'});
	return {
		events,
		warnings,
		buses: buses.map(b => b.dev),
		dimms: [...buses.flatMap(b => b.dimms), ...looseDimms].map(d => d.dev),
	};
}
