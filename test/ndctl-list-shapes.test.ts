/**
 * What parseNdctlText (source/trace/ndctl-parser.ts) makes of real `ndctl list` output: every
 * bus and DIMM as the sysfs the kernel shows, the bus method as its `firmware/capability`, the
 * versions in one firmware note — and nothing that the output does not say. Expectations are
 * written from the files themselves (fixtures/traces, copied untouched from ../shared/traces):
 * - nfit-test-6.1 `ndctl list -BDFv` (ndctl 76, Debian 6.1, nfit_test) before and during an activation;
 * - qemu-6.1 `ndctl list -BDF` (qemu's NFIT has no firmware activation: no `firmware` object);
 * - 44, 46 (cut off in a mail, indented, with the command line), 47 (`-u`: numbers as strings).
 * The method → capability mapping is ndctl's (kernel.md §6.1, ndctl/lib/libndctl.c: capability
 * `quiesce` → "suspend", `live` → "live", no capability file → "reset").
 */
import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {fixturesDir} from '../source/paths.js';
import {parseNdctlText, repair, repairWork} from '../source/trace/ndctl-parser.js';

const trace = (...parts: string[]) => readFileSync(fixturesDir('traces', ...parts), 'utf8');
const dir = (name: string) => ({kind: 'sysfs', t: 0, path: `bus/nd/devices/${name}`, value: '<dir>', source: {file: 'n.json', line: 1}});
const attr = (name: string, value: string) => ({kind: 'sysfs', t: 0, path: `bus/nd/devices/${name}`, value, source: {file: 'n.json', line: 1}});

describe('real ndctl list output', () => {
	it('nfit-test-6.1, 06 before: two buses, the firmware one armed (method suspend = capability quiesce), four DIMMs with versions', () => {
		const parsed = parseNdctlText(trace('nfit-test-6.1', '06-results-errors', '06-results-errors-ndctl-list-BDFv-before.json'), 'n.json');
		expect(parsed.warnings).toEqual([]);
		expect(parsed.buses).toEqual(['ndbus1', 'ndbus0']);
		expect(parsed.dimms).toEqual(['nmem5', 'nmem4', 'nmem1', 'nmem3', 'nmem0', 'nmem2']);
		expect(parsed.events).toEqual([
			// nfit_test.1: no firmware object at all (its DIMMs have no firmware ops).
			dir('ndbus1'),
			dir('nmem5'),
			dir('nmem4'),
			dir('ndbus0'),
			attr('ndbus0/firmware/capability', 'quiesce'),
			attr('ndbus0/firmware/activate', 'armed'),
			dir('nmem1'),
			attr('nmem1/firmware/activate', 'armed'),
			dir('nmem3'),
			attr('nmem3/firmware/activate', 'idle'),
			dir('nmem0'),
			attr('nmem0/firmware/activate', 'armed'),
			dir('nmem2'),
			attr('nmem2/firmware/activate', 'idle'),
			{
				kind: 'note',
				t: 0,
				topic: 'firmware',
				text: 'ndctl: firmware of 4 DIMM(s)',
				data: {
					source: 'ndctl',
					dimms: [
						{dimm: 1, current: '0', next: '281474976689101'},
						{dimm: 3, current: '0', next: '281474976689101'},
						{dimm: 0, current: '0', next: '281474976689101'},
						{dimm: 2, current: '0', next: '281474976689101'},
					],
				},
			},
		]);
	});

	it('nfit-test-6.1, 01 busy: a bus without activate_state and DIMMs without next_version say nothing about them', () => {
		const parsed = parseNdctlText(trace('nfit-test-6.1', '01-quiesce-sysfs', '01-quiesce-sysfs-ndctl-list-BDFv-busy.json'), 'busy.json', 7);
		const ndbus0 = parsed.events.filter(e => e.kind === 'sysfs' && e.path.startsWith('bus/nd/devices/ndbus0'));
		expect(ndbus0.map(e => e.kind === 'sysfs' && [e.path, e.value])).toEqual([
			['bus/nd/devices/ndbus0', '<dir>'],
			['bus/nd/devices/ndbus0/firmware/capability', 'quiesce'],
		]);
		expect(parsed.events.filter(e => e.kind === 'sysfs' && e.path.endsWith('/firmware/activate')).map(e => e.kind === 'sysfs' && [e.path, e.value])).toEqual([
			['bus/nd/devices/nmem1/firmware/activate', 'busy'],
			['bus/nd/devices/nmem0/firmware/activate', 'busy'],
		]);
		const note = parsed.events.find(e => e.kind === 'note');
		expect(note?.data).toEqual({
			source: 'ndctl',
			dimms: [
				{dimm: 1, current: '0', next: '281474976689101'},
				{dimm: 3, current: '0', next: null},
				{dimm: 0, current: '0', next: '281474976689101'},
				{dimm: 2, current: '0', next: null},
			],
		});
		// Every event at the time given, sourced to the file.
		for (const e of parsed.events) expect(e).toMatchObject({t: 7});
		expect(parsed.events.filter(e => e.kind === 'sysfs').every(e => e.source?.file === 'busy.json')).toBe(true);
	});

	it('qemu-6.1: no firmware object anywhere — the bus and DIMMs exist, no capability, no state, no note', () => {
		const parsed = parseNdctlText(trace('qemu-6.1', 'ndctl-list-BDF.json'), 'n.json');
		expect(parsed.warnings).toEqual([]);
		expect(parsed.events).toEqual([dir('ndbus0'), dir('nmem1'), dir('nmem0')]);
	});

	it('44 (-BF, one bus): capability quiesce and state idle; no DIMM', () => {
		const parsed = parseNdctlText(trace('44-ndctl-list-BF-nfit_test-firmware-activate.json'), 'n.json');
		expect(parsed.events).toEqual([dir('ndbus2'), attr('ndbus2/firmware/capability', 'quiesce'), attr('ndbus2/firmware/activate', 'idle')]);
		expect(parsed.dimms).toEqual([]);
		expect(parsed.warnings).toEqual([]);
	});

	it('46 (pasted in a mail, cut off after the first DIMM): one warning, and what it shows is read', () => {
		const parsed = parseNdctlText(trace('46-ndctl-list-BDF-nfit_test-fwa-cover-letter-truncated.txt'), 'n.json');
		expect(parsed.warnings).toEqual([{file: 'n.json', line: 1, message: 'not valid JSON (cut off or pasted); read what could be recovered'}]);
		expect(parsed.buses).toEqual(['ndbus2']);
		expect(parsed.dimms).toEqual(['nmem1']);
		expect(parsed.events.slice(0, 4)).toEqual([dir('ndbus2'), attr('ndbus2/firmware/capability', 'quiesce'), attr('ndbus2/firmware/activate', 'idle'), dir('nmem1')]);
		expect(parsed.events[4]).toMatchObject({kind: 'note', data: {dimms: [{dimm: 1, current: '0', next: null}]}});
		expect(parsed.events).toHaveLength(5);
	});

	it('47 (-DFu, one DIMM object, numbers as strings): the DIMM and its version "0"', () => {
		const parsed = parseNdctlText(trace('47-ndctl-list-DFu-nmem1-human-strings.json'), 'n.json');
		expect(parsed.warnings).toEqual([]);
		expect(parsed.buses).toEqual([]);
		expect(parsed.events).toEqual([dir('nmem1'), {kind: 'note', t: 0, topic: 'firmware', text: 'ndctl: firmware of 1 DIMM(s)', data: {source: 'ndctl', dimms: [{dimm: 1, current: '0', next: null}]}}]);
	});
});

describe('the three methods ndctl prints', () => {
	const bus = (method: string) => `{"provider":"nfit_test.0","dev":"ndbus0","firmware":{"activate_method":"${method}","activate_state":"idle"}}`;
	it.each([
		['suspend', ['quiesce']],
		['live', ['live']],
		// "reset": the kernel elides firmware/capability (ndctl reads no file): no capability is claimed.
		['reset', []],
		// A method this ndctl does not know: nothing is claimed either.
		['toString', []],
	])('%s → capability %j', (method, capability) => {
		const parsed = parseNdctlText(bus(method), 'n.json');
		expect(parsed.events.flatMap(e => (e.kind === 'sysfs' && e.path.endsWith('/capability') ? [e.value] : []))).toEqual(capability);
		expect(parsed.events.find(e => e.kind === 'sysfs' && e.path === 'bus/nd/devices/ndbus0/firmware/activate')).toMatchObject({value: 'idle'});
	});
});

describe('the shapes ndctl list takes', () => {
	it('{"buses": […]} (several buses) and {"dimms": […], "regions": […]} (-D -R): each bus and DIMM read', () => {
		const buses = parseNdctlText('{"buses":[{"dev":"ndbus0","dimms":[{"dev":"nmem0"}]},{"dev":"ndbus1"}]}', 'n.json');
		expect(buses.warnings).toEqual([]);
		expect(buses.events).toEqual([dir('ndbus0'), dir('nmem0'), dir('ndbus1')]);
		const loose = parseNdctlText('{"dimms":[{"dev":"nmem0","firmware":{"activate_state":"armed"}},{"dev":"nmem1"}],"regions":[{"dev":"region0"}]}', 'n.json');
		expect(loose.warnings).toEqual([]);
		expect(loose.dimms).toEqual(['nmem0', 'nmem1']);
		expect(loose.events.filter(e => e.kind === 'sysfs')).toEqual([dir('nmem0'), attr('nmem0/firmware/activate', 'armed'), dir('nmem1')]);
	});

	it('a wrapper whose list is not an array: a warning naming the field, the other list still read', () => {
		const parsed = parseNdctlText('{"buses":{"dev":"ndbus0"},"dimms":[{"dev":"nmem2"}]}', 'n.json');
		expect(parsed.warnings.map(w => w.message)).toEqual(['ndctl object: field buses: expected an array; skipped']);
		expect(parsed.dimms).toEqual(['nmem2']);
		const array = parseNdctlText('[{"dimms":"nmem0"}]', 'n.json');
		expect(array.warnings.map(w => w.message)).toEqual(['ndctl [0]: field dimms: expected an array; skipped']);
	});

	it('a DIMM list beside a dev (a bus with dimms) is a bus, not a wrapper', () => {
		const parsed = parseNdctlText('[{"dev":"ndbus3","dimms":[{"dev":"nmem7"}]}]', 'n.json');
		expect(parsed.buses).toEqual(['ndbus3']);
		expect(parsed.events).toEqual([dir('ndbus3'), dir('nmem7')]);
	});

	it('objects that are neither bus nor DIMM (a region, a namespace) are passed over; a dev that is not a string is a warning', () => {
		const other = parseNdctlText('[{"dev":"region0"},{"dev":"namespace0.0"},{"dev":"nmem0x"},{"dev":"ndbus"}]', 'n.json');
		expect(other.events).toEqual([]);
		expect(other.warnings.map(w => w.message)).toEqual(['no nd bus or DIMM objects in this ndctl output']);
		const typed = parseNdctlText('[{"dev":5},{"dev":"nmem0"},null,[1]]', 'n.json');
		expect(typed.warnings.map(w => w.message)).toEqual([
			'ndctl [0]: field dev: expected a string; skipped',
			'ndctl [2]: expected an object, got null; skipped',
			'ndctl [3]: expected an object, got an array; skipped',
		]);
		expect(typed.dimms).toEqual(['nmem0']);
	});

	it('a DIMM inside a bus with a bad dev name: listed, but no sysfs is claimed for it', () => {
		const parsed = parseNdctlText('[{"dev":"ndbus0","dimms":[{"dev":"dimm-a","firmware":{"activate_state":"armed","current_version":"1"}}]}]', 'n.json');
		expect(parsed.events).toEqual([dir('ndbus0')]);
	});

	it('not JSON at all: one warning naming the parse error, no events', () => {
		const parsed = parseNdctlText('ndctl: command not found', 'n.json');
		expect(parsed.events).toEqual([]);
		expect(parsed.buses).toEqual([]);
		expect(parsed.warnings).toHaveLength(1);
		expect(parsed.warnings[0]!.message).toMatch(/^not ndctl JSON: /);
		expect(parsed.dimms).toEqual([]);
	});

	it('a dev that only stringifies to a bus or DIMM name is not one', () => {
		expect(parseNdctlText('[{"dev":["ndbus0"]},{"dev":["nmem0"]}]', 'n.json').warnings.map(w => w.message)).toEqual([
			'ndctl [0]: field dev: expected a string; skipped',
			'ndctl [1]: field dev: expected a string; skipped',
		]);
	});

	it('a bad bus inside {"buses": […]} is named by its place; a bus named otherwise claims no sysfs', () => {
		const parsed = parseNdctlText('{"buses":[{"dev":"ndbus0","dimms":7},{"dev":"ndbusX"}]}', 'n.json');
		expect(parsed.warnings.map(w => w.message)).toEqual(['ndctl object.buses[0] ("ndbus0"): field dimms: Expected array, received number; skipped']);
		expect(parsed.events).toEqual([]);
	});

	it('a DIMM firmware object without current_version: the version is unknown (null), not "undefined"', () => {
		const parsed = parseNdctlText('{"dev":"nmem0","firmware":{"activate_state":"idle"}}', 'n.json');
		expect(parsed.events.find(e => e.kind === 'note')?.data).toEqual({source: 'ndctl', dimms: [{dimm: 0, current: null, next: null}]});
	});

	it('warnings stop at 100; each names the line of the bad object\'s "dev"', () => {
		const items = Array.from({length: 150}, (_, i) => `{"dev":"nmem${i}","firmware":7}`);
		const parsed = parseNdctlText(`[\n${items.join(',\n')}\n]`, 'n.json');
		expect(parsed.warnings).toHaveLength(100);
		expect(parsed.warnings.slice(0, 3).map(w => [w.line, w.message])).toEqual([
			[2, 'ndctl [0] ("nmem0"): field firmware: Expected object, received number; skipped'],
			[3, 'ndctl [1] ("nmem1"): field firmware: Expected object, received number; skipped'],
			[4, 'ndctl [2] ("nmem2"): field firmware: Expected object, received number; skipped'],
		]);
		// A dev that needs escaping in a pattern, and one that is not in the text as written: line 1.
		const odd = parseNdctlText('[{"dev":"ndbus0","dimms":[\n{"dev":"nmem(0)+","firmware":1}\n]}]', 'n.json');
		expect(odd.warnings[0]!.line).toBe(2);
		const missing = parseNdctlText('[\n{"dev" : "nmem0", "firmware":1}\n]', 'n.json');
		expect(missing.warnings[0]!.line).toBe(2);
		const required = parseNdctlText('[\n{"provider":"x"},\n{"dev":"ndbus0","dimms":[{"firmware":{}}]}\n]', 'n.json');
		expect(required.warnings.map(w => [w.line, w.message])).toEqual([
			[1, 'ndctl [0]: field dev: missing; skipped'],
			[1, 'ndctl [1].dimms[0]: field dev: missing; skipped'],
		]);
	});
});

describe('repairing a cut-off paste', () => {
	it('46 as pasted: the command line and "..." dropped, the open DIMM list and bus closed', () => {
		const repaired = JSON.parse(repair(trace('46-ndctl-list-BDF-nfit_test-fwa-cover-letter-truncated.txt'))) as unknown;
		expect(repaired).toEqual([
			{
				provider: 'nfit_test.0',
				dev: 'ndbus2',
				scrub_state: 'idle',
				firmware: {activate_method: 'suspend', activate_state: 'idle'},
				dimms: [{dev: 'nmem1', id: 'cdab-0a-07e0-ffffffff', handle: 0, phys_id: 0, security: 'disabled', firmware: {current_version: 0, can_update: true}}],
			},
		]);
	});

	it.each([
		// Cut between a key and its value: the key goes.
		['[{"dev":"ndbus0","firmware":{"activate_state":"armed","activate_method":', [{dev: 'ndbus0', firmware: {activate_state: 'armed'}}]],
		['[{"dev":"ndbus0", "provider" :  ', [{dev: 'ndbus0'}]],
		// A key holding an escaped quote.
		['[{"dev":"ndbus0","a\\"b":', [{dev: 'ndbus0'}]],
		// Cut inside a string: it is closed.
		['[{"dev":"ndbus0","provider":"nfit_te', [{dev: 'ndbus0', provider: 'nfit_te'}]],
		// Brackets and braces inside strings are not structure; an escaped quote does not end a string.
		['[{"dev":"ndbus0","provider":"a]}\\"{[","dimms":[{"dev":"nmem0"},', [{dev: 'ndbus0', provider: 'a]}"{[', dimms: [{dev: 'nmem0'}]}]],
		// A closed object then a cut: only what is open is closed.
		['[{"dev":"nmem0"},{"dev":"nmem1","firmware":{}},\n  ...\n', [{dev: 'nmem0'}, {dev: 'nmem1', firmware: {}}]],
		// A shell prompt with its command, and a root prompt.
		['$ ndctl list -D\n[{"dev":"nmem0"}', [{dev: 'nmem0'}]],
		['# ndctl list -D\n[{"dev":"nmem0"}', [{dev: 'nmem0'}]],
	])('%j', (text, value) => {
		expect(JSON.parse(repair(text))).toEqual(value);
	});

	it('the repaired text exactly: leading blanks and line breaks kept, what is not only "..." or a prompt kept', () => {
		expect(repair('  [\n1,\n2,')).toBe('[\n1,\n2]');
		// A line of dots (with blanks around) is an elision; a line that merely ends or starts with dots is not.
		expect(repair('[\n   ...   \n1,\n...x\n')).toBe('[\n1,\n...x]');
		expect(repair('[{"dev":"nmem0"}, ...\n')).toBe('[{"dev":"nmem0"}, ...]');
		// A command or prompt line is dropped only where it starts the line.
		expect(repair('[{"note":"made by ndctl list"},\n{"dev":"$ x"},\n{"dev":"nmem0"}')).toBe('[{"note":"made by ndctl list"},\n{"dev":"$ x"},\n{"dev":"nmem0"}]');
		// Blanks between a dangling key's colon and the cut.
		expect(repair('[{"dev":"nmem0","a": ,')).toBe('[{"dev":"nmem0"}]');
	});

	it('a "]" closes what it opened; an escaped quote before a dangling colon opens no key; a key at the very start goes', () => {
		expect(repair('[[1],')).toBe('[[1]]');
		expect(repair('["a", 1:')).toBe('["a", 1:]');
		// `\"":` — the quote before the colon opens at an escaped quote: no key to drop.
		expect(repair('\\"":')).toBe('\\"":');
		expect(repair('"a":')).toBe('');
	});

	it('the work counted is the characters scanned', () => {
		repair('[1,2');
		expect(repairWork.chars).toBe(4);
	});

	it('a lone ":" or a value ending in ":" is not a dangling key', () => {
		expect(repair('[{"a":"b:"')).toBe('[{"a":"b:"}]');
		expect(repair('[1:')).toBe('[1:]');
		expect(repair('["a", "b" :')).toBe('["a"]');
	});
});
