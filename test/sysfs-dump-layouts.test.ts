/**
 * Every sysfs layout parseSysfsText (source/trace/sysfs-parser.ts) reads, on the real files
 * (fixtures/traces, copied untouched from ../shared/traces): a `path<TAB>value` dump with
 * escapes and read errors (qemu-6.1), its skipped list, `grep '' /sys/power/*` with a shell
 * prompt and grep's own errors (30), an `ls` of /sys/bus/nd/devices (33), the nfit_test
 * capture's timed reads and poll table; and the bundle's `t_us<TAB>path<TAB>value` series.
 * What a dump says could not be read is never taken for the attribute's value.
 */
import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {fixturesDir} from '../source/paths.js';
import {escapeValue, isPollHeader, parseSysfsText, relativeSysfsPath} from '../source/trace/sysfs-parser.js';

const trace = (...parts: string[]) => readFileSync(fixturesDir('traces', ...parts), 'utf8');
const valuesOf = (text: string) => parseSysfsText(text, 'f.tsv').events.map(e => [e.path, e.value]);

describe('a path<TAB>value dump (qemu-6.1)', () => {
	const tree = parseSysfsText(trace('qemu-6.1', 'sysfs-nd-tree.tsv'), 'tree.tsv', 42);

	it('every line an event at the time given, paths relative to /sys, escapes undone', () => {
		expect(tree.warnings).toEqual([]);
		expect(tree.timed).toBe(false);
		expect(tree.events).toHaveLength(546);
		expect(tree.events[0]).toEqual({kind: 'sysfs', t: 42, path: 'bus/nd/drivers_autoprobe', value: '1', source: {file: 'tree.tsv', line: 1}});
		// Line 75: `MAJOR=259\nMINOR=1\nDEVNAME=pmem0s\nDEVTYPE=disk\nDISKSEQ=4` with the newlines escaped by the capture.
		expect(tree.events[74]).toMatchObject({path: 'bus/nd/devices/btt0.0/block/pmem0s/uevent', value: 'MAJOR=259\nMINOR=1\nDEVNAME=pmem0s\nDEVTYPE=disk\nDISKSEQ=4', source: {line: 75}});
	});

	it('sys-power.txt: a value with blanks kept whole; "read error: …" is not a value but an unreadable file', () => {
		const power = parseSysfsText(trace('qemu-6.1', 'sys-power.txt'), 'p.txt');
		expect(power.warnings).toEqual([]);
		expect(power.events.find(e => e.path === 'power/disk')?.value).toBe('[platform] shutdown reboot suspend test_resume ');
		expect(power.events.find(e => e.path === 'power/mem_sleep')?.value).toBe('s2idle [deep]');
		// An empty value is a value.
		expect(power.events.find(e => e.path === 'power/suspend_stats/last_failed_dev')?.value).toBe('');
		// `/sys/power/pm_wakeup_irq<TAB>read error: cat: read error: No data available ` (no wake-up IRQ was recorded).
		expect(power.events.some(e => e.path === 'power/pm_wakeup_irq')).toBe(false);
		expect(power.unreadable).toEqual(['power/pm_wakeup_irq']);
		expect(power.events).toHaveLength(27);
	});

	it('the skipped list: each error is an unreadable file, none a value', () => {
		const skipped = parseSysfsText(trace('qemu-6.1', 'sysfs-nd-tree-skipped.tsv'), 's.tsv');
		expect(skipped.warnings).toEqual([]);
		// 22 "not readable (mode --w-------)" and 20 "read error: cat: read error: …".
		expect(skipped.unreadable).toHaveLength(42);
		expect(skipped.unreadable).toContain('bus/nd/drivers/dax_pmem/bind');
		expect(skipped.unreadable).toContain('bus/nd/devices/dax0.0/size');
		// The 19 "(nd bus device; dumped under …)" lines point to where a device was dumped: no value either.
		expect(skipped.events).toEqual([]);
	});

	it('the other read-error forms of the capture (nfit-test-6.1/00-initial) and of cat', () => {
		const text = [
			'/sys/power/pm_wakeup_irq\tcat: read error: No data available ', // 00-initial/sys-power.tsv line 9
			'/sys/bus/nd/devices/region0/resource\tread error: ENXIO (No such device or address)', // 00-initial/sysfs-nd-tree-initial-skipped.tsv
			'/sys/power/state\tmem',
			'/sys/bus/nd/devices/nmem0/security\tPermission denied',
			'/sys/bus/nd/devices/nmem0/foo\terror: EBUSY',
			'/sys/bus/nd/devices/nmem0/bar\tcannot read',
		].join('\n');
		const parsed = parseSysfsText(text, 'f.tsv');
		expect(parsed.events.map(e => [e.path, e.value])).toEqual([['power/state', 'mem']]);
		expect(parsed.unreadable).toEqual(['power/pm_wakeup_irq', 'bus/nd/devices/region0/resource', 'bus/nd/devices/nmem0/security', 'bus/nd/devices/nmem0/foo', 'bus/nd/devices/nmem0/bar']);
	});

	it('escapes: \\\\, \\t, \\r, \\n undone; a TAB inside the value kept; other backslashes left alone', () => {
		expect(valuesOf('/sys/a\tx\\\\y\\tz\\rw\\nv\n/sys/b\tone\ttwo\n/sys/c\tC:\\\\x\\q\n')).toEqual([
			['a', 'x\\y\tz\rw\nv'],
			['b', 'one\ttwo'],
			['c', 'C:\\x\\q'],
		]);
		expect(escapeValue('x\\y\tz\rw\nv')).toBe('x\\\\y\\tz\\rw\\nv');
	});
});

describe('grep \'\' /sys/power/* (30, Dell Precision 5570)', () => {
	const parsed = parseSysfsText(trace('30-sys-power-grep-all-dell-precision5570.txt'), 'g.txt');

	it('path:value at the first colon after the path; the prompt line and "Is a directory" skipped without a warning', () => {
		expect(parsed.warnings).toEqual([]);
		expect(parsed.unreadable).toEqual([]);
		expect(parsed.events[0]).toMatchObject({path: 'power/disk', value: '[platform] shutdown reboot suspend test_resume ', source: {line: 2}});
		// `/sys/power/resume:0:0`: the value keeps its own colon.
		expect(parsed.events.find(e => e.path === 'power/resume')?.value).toBe('0:0');
		// pm_trace_dev_match printed three lines (msr, empty, clockevents): three values, in order.
		expect(parsed.events.filter(e => e.path === 'power/pm_trace_dev_match').map(e => e.value)).toEqual(['msr', '', 'clockevents']);
		expect(parsed.events.some(e => e.path.startsWith('power/suspend_stats'))).toBe(false);
	});

	it('grep\'s other errors name an unreadable file', () => {
		const text = 'grep: /sys/power/wakeup_count: Permission denied\ngrep: /sys/power/suspend_stats: Is a directory\n/sys/power/state:mem\n';
		const other = parseSysfsText(text, 'g.txt');
		expect(other.unreadable).toEqual(['power/wakeup_count']);
		expect(other.warnings).toEqual([]);
		expect(other.events.map(e => [e.path, e.value])).toEqual([['power/state', 'mem']]);
	});
});

describe('ls /sys/bus/nd/devices (33, virtio-pmem)', () => {
	it('each name a device directory', () => {
		const parsed = parseSysfsText(trace('33-sys-bus-nd-devices-ls-virtio-pmem.txt'), 'ls.txt', 5);
		expect(parsed.warnings).toEqual([]);
		expect(parsed.events.map(e => [e.t, e.path, e.value])).toEqual(['btt0.0', 'dax0.0', 'namespace0.0', 'ndbus0', 'pfn0.0', 'region0'].map(n => [5, `bus/nd/devices/${n}`, '<dir>']));
	});

	it('one name per line (ls -1) too; a word that is not a device name is a warning', () => {
		const parsed = parseSysfsText('ndbus0\nnmem0\nnmem1\nregion0\nfoo0\n', 'ls.txt');
		expect(parsed.events.map(e => e.path)).toEqual(['bus/nd/devices/ndbus0', 'bus/nd/devices/nmem0', 'bus/nd/devices/nmem1', 'bus/nd/devices/region0']);
		expect(parsed.warnings).toEqual([{file: 'ls.txt', line: 5, message: 'not a sysfs line (expected path<TAB>value, path:value or t<TAB>path<TAB>value): "foo0"'}]);
	});
});

describe('the bundle\'s series: t_us<TAB>path<TAB>value', () => {
	it('each value at its time, never going back; the path with or without its /sys/; a TAB in the value kept', () => {
		const parsed = parseSysfsText('100\t/sys/bus/nd/devices/ndbus0/firmware/activate\tarmed\n50\tbus/nd/devices/ndbus0/firmware/activate\tbusy\n300\t/sys/power/state\ta\tb\\n\n', 's.tsv');
		expect(parsed.timed).toBe(true);
		expect(parsed.warnings).toEqual([]);
		expect(parsed.events.map(e => [e.t, e.path, e.value])).toEqual([
			[100, 'bus/nd/devices/ndbus0/firmware/activate', 'armed'],
			[100, 'bus/nd/devices/ndbus0/firmware/activate', 'busy'],
			[300, 'power/state', 'a\tb\n'],
		]);
	});

	it('a number then a path with no "/" is not a series line', () => {
		const parsed = parseSysfsText('100\tstate\tmem\n', 's.tsv');
		expect(parsed.events).toEqual([]);
		expect(parsed.warnings).toHaveLength(1);
	});

	it('the time given starts the clock; a snapshot is not timed', () => {
		expect(parseSysfsText('5\t/sys/power/state\tmem\n', 's.tsv', 10).events[0]!.t).toBe(10);
		expect(parseSysfsText('/sys/power/state\tmem\n', 's.tsv', 10).timed).toBe(false);
	});
});

describe('the capture\'s timed reads (nfit-test-6.1)', () => {
	it('uptime<TAB>label<TAB>/sys/path<TAB>value: at the uptime in µs, label dropped, path relative', () => {
		const parsed = parseSysfsText(trace('nfit-test-6.1', '01-quiesce-sysfs', '01-quiesce-sysfs-reads.tsv'), 'r.tsv');
		// Line 16: `29.29	after	/sys/bus/nd/devices/nmem0/firmware/result	success`.
		const lines = trace('nfit-test-6.1', '01-quiesce-sysfs', '01-quiesce-sysfs-reads.tsv').split('\n');
		expect(lines[15]).toBe('29.29\tafter\t/sys/bus/nd/devices/nmem0/firmware/result\tsuccess');
		expect(parsed.events[15]).toEqual({kind: 'sysfs', t: 29_290_000, path: 'bus/nd/devices/nmem0/firmware/result', value: 'success', source: {file: 'r.tsv', line: 16}});
		expect(parsed.timed).toBe(true);
	});

	it('a time that does not fit is a warning; the read is kept at the time before; time never goes back', () => {
		const text = '2.5\tbefore\t/sys/power/state\tmem\n12345678901.5\tbefore\t/sys/power/state\tdisk\n1.25\tafter\t/sys/power/state\tfreeze\n3.0000001\tafter\t/sys/power/state\tx\n';
		const parsed = parseSysfsText(text, 'r.tsv');
		expect(parsed.events.map(e => [e.t, e.value])).toEqual([[2_500_000, 'mem'], [2_500_000, 'disk'], [2_500_000, 'freeze'], [3_000_000, 'x']]);
		expect(parsed.warnings).toEqual([{file: 'r.tsv', line: 2, message: 'time "12345678901.5" does not fit (seconds since boot); line kept at the previous time'}]);
	});

	it('eleven digits of seconds and nine of fraction are times; more are not', () => {
		const parsed = parseSysfsText('99999999999.123456789\tx\t/sys/a\t1\n1.1234567891\tx\t/sys/b\t2\n', 'r.tsv');
		// 99999999999.123456789 s is a timed read, but past the largest printk stamp (2^53 µs): kept, with a warning.
		// The second line's fraction has ten digits: not a timed read, not a dump either (it starts with a number).
		expect(parsed.warnings.map(w => [w.line, w.message.slice(0, 30)])).toEqual([
			[1, 'time "99999999999.123456789" d'],
			[2, 'not a sysfs line (expected pat'],
		]);
		expect(parsed.events.map(e => [e.t, e.path])).toEqual([[0, 'a']]);
	});
});

describe('a poll table', () => {
	const header = 'uptime\tmono_s\tboot_s\tn\tmaxgap_ms\t/sys/bus/nd/devices/ndbus0/firmware/activate\t/sys/bus/nd/devices/nmem0/firmware/result';

	it('the header: clocks then paths; nothing else is one', () => {
		expect(isPollHeader(header)).toBe(true);
		expect(isPollHeader('uptime\t/sys/a')).toBe(true);
		expect(isPollHeader('n\t/sys/a')).toBe(false);
		expect(isPollHeader('/sys/a\t/sys/b')).toBe(false);
		expect(isPollHeader('mono_s\t/sys/a\tvalue')).toBe(false);
		expect(isPollHeader('mono_s\tn')).toBe(false);
	});

	it('the clock is mono_s when there is one, else boot_s, else uptime; comment and blank rows skipped', () => {
		const rows = ['1.00\t1.000001\t1.000002\t1\t0.0\tarmed\tnone', '', '# paused', '2.00\t2.000001\t2.000002\t1\t0.0\tbusy\tnone'];
		const table = parseSysfsText([header, ...rows, '#no blank after the hash'].join('\n'), 'p.tsv');
		expect(table.warnings).toEqual([]);
		expect(table.events.map(e => e.t)).toEqual([1_000_001, 1_000_001, 2_000_001]);
		expect(table.events.every(e => e.kind === 'sysfs')).toBe(true);
		const noMono = 'uptime\tboot_s\t/sys/a\n1.00\t1.5\tx\n';
		expect(parseSysfsText(noMono, 'p.tsv').events.map(e => e.t)).toEqual([1_500_000]);
		const uptimeOnly = 'boot_x\tuptime\t/sys/a\n1.5\t1.25\tx\n';
		expect(parseSysfsText(uptimeOnly, 'p.tsv').events.map(e => e.t)).toEqual([1_250_000]);
	});

	it('the header may follow blank lines; a row whose clock went back stays at the last time; escapes undone', () => {
		const text = `\n\n${header}\n5.00\t5.0\t5.0\t1\t0.0\tarmed\tnone\n4.00\t4.0\t4.0\t1\t0.0\tidle\tfail\\n\n`;
		const parsed = parseSysfsText(text, 'p.tsv');
		expect(parsed.events.map(e => [e.t, e.path, e.value, e.source!.line])).toEqual([
			[5_000_000, 'bus/nd/devices/ndbus0/firmware/activate', 'armed', 4],
			[5_000_000, 'bus/nd/devices/nmem0/firmware/result', 'none', 4],
			[5_000_000, 'bus/nd/devices/ndbus0/firmware/activate', 'idle', 5],
			[5_000_000, 'bus/nd/devices/nmem0/firmware/result', 'fail\n', 5],
		]);
		expect(parsed.unreadable).toEqual([]);
	});

	it('the warning names the columns expected and the clock', () => {
		const parsed = parseSysfsText(`${header}\n1\t2\n`, 'p.tsv');
		expect(parsed.warnings).toEqual([{file: 'p.tsv', line: 2, message: 'not a poll row of 7 columns with a time in "mono_s": "1\\t2"; row skipped'}]);
	});
});

describe('lines that are none of these', () => {
	it('a prompt is skipped, a comment too; anything else is a warning naming its line; CRLF endings read', () => {
		const text = 'root@host:~# grep \'\' /sys/power/state\r\n# saved by hand\r\n/sys/power/state:mem\r\nsome text\r\n$ ls\r\n';
		const parsed = parseSysfsText(text, 'x.txt');
		expect(parsed.events.map(e => [e.path, e.value])).toEqual([['power/state', 'mem']]);
		expect(parsed.warnings).toEqual([{file: 'x.txt', line: 4, message: 'not a sysfs line (expected path<TAB>value, path:value or t<TAB>path<TAB>value): "some text"'}]);
	});

	it('at most 1000 warnings, the lines after still read', () => {
		const text = [...Array.from({length: 1500}, (_, i) => `junk ${i}`), '/sys/power/state\tmem'].join('\n');
		const parsed = parseSysfsText(text, 'x.txt');
		expect(parsed.warnings).toHaveLength(1000);
		expect(parsed.warnings.at(-1)!.line).toBe(1000);
		expect(parsed.events.map(e => e.path)).toEqual(['power/state']);
		const poll = parseSysfsText(['mono_s\t/sys/a', ...Array.from({length: 1500}, () => 'x'), '1.0\tv'].join('\n'), 'p.tsv');
		expect(poll.warnings).toHaveLength(1000);
		expect(poll.events.map(e => e.value)).toEqual(['v']);
	});

	it('relativeSysfsPath: /sys/ or sys/ in front removed, and leading slashes', () => {
		expect(relativeSysfsPath('/sys/power/state')).toBe('power/state');
		expect(relativeSysfsPath('sys/power/state')).toBe('power/state');
		expect(relativeSysfsPath('//power/state')).toBe('power/state');
		expect(relativeSysfsPath('/system/x')).toBe('system/x');
	});
});

describe('edges of each layout', () => {
	it('the last line is read without a final newline; blank and blank-looking lines are no warning', () => {
		expect(valuesOf('/sys/power/state\tmem\n\n/sys/power/disk\tplatform')).toEqual([['power/state', 'mem'], ['power/disk', 'platform']]);
		const parsed = parseSysfsText('/sys/power/state\tmem\n   \n\t\n# comment\n#comment\n/sys/power/disk\tplatform\n', 'f.tsv');
		expect(parsed.warnings).toEqual([]);
		expect(parsed.events).toHaveLength(2);
		expect(parseSysfsText('', 'f.tsv')).toEqual({events: [], warnings: [], unreadable: [], timed: false});
	});

	it('lines that only look like a layout are warnings, not values', () => {
		const text = [
			'5\t/sys/power/state', // a number and a path but no value: not a series line
			'x5\t/sys/power/state\tmem', // not a number
			'5x\t/sys/power/state\tmem',
			'state\tmem', // a TAB but no /sys/ path
			'x/sys/power/state:mem', // grep output starts with the path
			'foo ndbus0', // not only device names
			'ndbus0 foo',
			'xgrep: /sys/power/state: Permission denied',
			'echo $ sign', // a "$ " inside a line is no prompt
		];
		const parsed = parseSysfsText(text.join('\n'), 'f.tsv');
		expect(parsed.events).toEqual([]);
		expect(parsed.unreadable).toEqual([]);
		expect(parsed.warnings.map(w => w.line)).toEqual(text.map((_, i) => i + 1));
	});

	it('device names with several digits, leading blanks; values that merely mention an error are values', () => {
		expect(valuesOf('  nmem12 namespace10.12\n').map(v => v[0])).toEqual(['bus/nd/devices/nmem12', 'bus/nd/devices/namespace10.12']);
		expect(valuesOf('/sys/a\tit cannot read\n/sys/b\tno error: x\n/sys/c\tis not readable\n/sys/d\tno read error: x\n/sys/e\tthe cat: x\n/sys/f\tx (nd bus device; dumped under /sys/x)\n')).toEqual([
			['a', 'it cannot read'],
			['b', 'no error: x'],
			['c', 'is not readable'],
			['d', 'no read error: x'],
			['e', 'the cat: x'],
			['f', 'x (nd bus device; dumped under /sys/x)'],
		]);
	});

	it('a poll table: its header after one blank line or a blank-looking line, with a trailing blank; rows with blanks skipped silently', () => {
		for (const before of ['\n', '  \n']) {
			const parsed = parseSysfsText(`${before}mono_s\t/sys/a\t\n1.5\tx\n  \n\n2\ty\n`, 'p.tsv');
			expect(parsed.warnings, JSON.stringify(before)).toEqual([]);
			expect(parsed.timed).toBe(true);
			expect(parsed.events.map(e => [e.t, e.path, e.value])).toEqual([[1_500_000, 'a', 'x'], [2_000_000, 'a', 'y']]);
		}
	});

	it('a poll table\'s clock must be seconds: empty, negative, exponent and hex are warnings', () => {
		const parsed = parseSysfsText('mono_s\t/sys/a\n\tv0\n-1.5\tv1\n1.5e3\tv2\n0x10\tv3\n7\tv4\n', 'p.tsv');
		expect(parsed.warnings.map(w => w.line)).toEqual([2, 3, 4, 5]);
		expect(parsed.events.map(e => [e.t, e.value])).toEqual([[7_000_000, 'v4']]);
	});

	it('relativeSysfsPath only strips a leading /sys/', () => {
		expect(relativeSysfsPath('bus/nd/devices/sys/x')).toBe('bus/nd/devices/sys/x');
	});
});
