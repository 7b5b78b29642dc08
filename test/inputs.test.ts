/**
 * Every way a user hands replay a log (issue 17 "Inputs"): standard input,
 * process substitution, FIFOs (with and without a writer), gzip and zstd
 * by content, xz/bzip2 refused with the command to type, journal JSON and
 * export, dmesg --json, and the special files that must never hang
 * (/dev/zero, /dev/urandom, a 2 GB sparse file, a directory loop).
 */
import {execFileSync, spawn} from 'node:child_process';
import {mkdirSync, mkdtempSync, readFileSync, symlinkSync, truncateSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {gzipSync} from 'node:zlib';
import {execa} from 'execa';
import {describe, expect, it} from 'vitest';
import type {LogEvent} from '../source/events.js';
import {fixturesDir} from '../source/paths.js';
import {openText} from '../source/trace/input.js';
import {streamLog} from '../source/trace/stream.js';
import {cliPath, ensureBuilt, quiesce} from './helpers/cli.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'quiesce-inputs-'));
const trace = fixturesDir('traces', '17-s3-6.17rc5-journalctl-monotonic-btrfs-freeze-failure.log');
const traceText = readFileSync(trace, 'utf8');
const has = (command: string) => {
	try {
		execFileSync('sh', ['-c', `command -v ${command}`], {stdio: 'ignore'});
		return true;
	} catch {
		return false;
	}
};

/** The trace's records: printk stamp (µs, from the text, exactly) and message. */
const records = traceText
	.split('\n')
	.filter(Boolean)
	.map(line => {
		const m = /^\[\s*(\d+)\.(\d{6})\] kernel: (.*)$/.exec(line)!;
		return {stampUs: Number(m[1]) * 1_000_000 + Number(m[2]), stampText: `${m[1]}.${m[2]}`, text: m[3]!};
	});

async function eventsOf(file: string): Promise<{events: LogEvent[]; warnings: string[]}> {
	const input = await openText(file);
	const events: LogEvent[] = [];
	const result = await streamLog(input, {onBatch: batch => void events.push(...batch)});
	return {events, warnings: result.warnings.map(w => `${w.line}: ${w.message}`)};
}

const summaryOf = async (args: string[], options: {input?: string | Buffer} = {}) => quiesce(['replay', ...args, '--summary'], options.input === undefined ? {} : {stdin: 'pipe', input: options.input});
const reference = summaryOf([trace]);
/**
 * The text summary names each cycle's lines in the file replayed and counts
 * that file's records and its errors (by level when the log carries levels):
 * those differ between a text log and the same records as JSON/export. Every
 * other line (cycles, stamps, phases, failures, totals, warnings) must match.
 */
const withoutLines = (summary: string) => summary.replace(/ \(lines \d+–\d+\)/g, '').replace(/^log: .*$/m, 'log: …');
const logLine = (summary: string) => /^log: .*$/m.exec(summary)?.[0];

describe('streams that cannot seek', () => {
	it('`-` reads standard input and gives the same summary as the file (exit 1: the cycle failed)', async () => {
		const [piped, file] = await Promise.all([summaryOf(['-'], {input: traceText}), reference]);
		expect(file.exitCode).toBe(1);
		expect(piped.exitCode).toBe(1);
		expect(String(piped.stdout)).toBe(String(file.stdout));
		expect(String(piped.stdout)).toMatch(/failed: 1 task\(s\) refused to freeze/);
	});

	it('process substitution <(…) and /dev/stdin', async () => {
		ensureBuilt();
		const substituted = await execa('bash', ['-c', `node ${cliPath} replay <(cat ${trace}) --summary`], {reject: false});
		expect(String(substituted.stderr)).toBe('');
		expect(String(substituted.stdout)).toBe(String((await reference).stdout));
		const devStdin = await execa('bash', ['-c', `cat ${trace} | node ${cliPath} replay /dev/stdin --summary`], {reject: false});
		expect(String(devStdin.stdout)).toBe(String((await reference).stdout));
	});

	it('a FIFO with a writer is read as it is written', async () => {
		const fifo = path.join(dir, 'live.fifo');
		execFileSync('mkfifo', [fifo]);
		const run = summaryOf([fifo]);
		// The writer comes after replay is waiting on the FIFO.
		await new Promise(resolve => setTimeout(resolve, 300));
		const writer = spawn('sh', ['-c', `cat ${trace} > ${fifo}`]);
		await new Promise(resolve => writer.on('exit', resolve));
		const result = await run;
		expect(String(result.stdout)).toBe(String((await reference).stdout));
	});

	it('a FIFO with no writer: a notice, then one line naming it, exit 2 (never a silent hang)', async () => {
		const fifo = path.join(dir, 'nobody.fifo');
		execFileSync('mkfifo', [fifo]);
		const started = Date.now();
		const result = await quiesce(['replay', fifo, '--headless'], {env: {QUIESCE_FIFO_TIMEOUT_MS: '1500', NO_COLOR: ''}, timeout: 20_000});
		expect(result.exitCode).toBe(2);
		const lines = String(result.stderr).trimEnd().split('\n');
		expect(lines[0]).toMatch(/^quiesce: waiting for a writer on the FIFO .*nobody\.fifo/);
		expect(lines.at(-1)).toMatch(/^quiesce: .*nobody\.fifo: a FIFO with no writer after 1\.5 s; start the writer first/);
		expect(Date.now() - started).toBeLessThan(15_000);
	});
});

describe('compressed logs, told by content', () => {
	it('gzip (any name) replays like the plain file', async () => {
		const gz = path.join(dir, 'kern.log.2');
		writeFileSync(gz, gzipSync(traceText));
		const result = await summaryOf([gz]);
		expect(String(result.stdout)).toBe(String((await reference).stdout));
		const piped = await summaryOf(['-'], {input: gzipSync(traceText)});
		expect(String(piped.stdout)).toBe(String((await reference).stdout));
	});

	it('zstd through the pure-JS decoder (loaded only for a zstd input)', async () => {
		if (!has('zstd')) throw new Error('this test makes its .zst input with the zstd command: apt-get install -y zstd (.ci/run installs it)');
		const plain = path.join(dir, 'kern-zstd.log');
		writeFileSync(plain, traceText);
		execFileSync('zstd', ['-q', '-f', plain, '-o', `${plain}.zst`]);
		const result = await summaryOf([`${plain}.zst`]);
		expect(String(result.stderr)).toBe('');
		expect(String(result.stdout)).toBe(String((await reference).stdout));
	});

	it('a damaged gzip replays what it holds, with a warning', async () => {
		const gz = gzipSync(traceText);
		const cut = path.join(dir, 'cut.gz');
		writeFileSync(cut, gz.subarray(0, Math.floor(gz.length * 0.7)));
		const result = await quiesce(['replay', cut, '--headless']);
		expect(String(result.stderr)).toMatch(/cut\.gz: gzip data damaged \(unexpected end of file\); replaying what was decompressed before it/);
		expect(String(result.stdout)).toMatch(/PM: suspend entry \(deep\)/);
	});

	it.each([
		['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 1, 2], /: xz-compressed, not a text log; decompress or export it first: xz -dc .*x\.bin \| quiesce replay -$/],
		['bzip2', [0x42, 0x5a, 0x68, 0x39, 0x31, 0x41], /: bzip2-compressed, not a text log; decompress or export it first: bzip2 -dc .* \| quiesce replay -$/],
		['journal', [...Buffer.from('LPKSHHRH'), 0, 0, 0, 0], /: a binary systemd journal file, not a text log; decompress or export it first: journalctl --file .* -k -o export \| quiesce replay -$/],
	])('%s: one line naming the command that makes it text, exit 2', async (_name, bytes, message) => {
		const file = path.join(dir, `${_name}-x.bin`);
		writeFileSync(file, Buffer.from([...bytes, ...Buffer.from('padding '.repeat(80))]));
		const result = await quiesce(['replay', file]);
		expect(result.exitCode).toBe(2);
		expect(String(result.stderr).trimEnd().split('\n')).toHaveLength(1);
		expect(String(result.stderr).trimEnd()).toMatch(message);
	});
});

describe('structured logs keep their exact stamps and priorities', () => {
	const journalRecords = records.map((r, i) => ({
		__CURSOR: `s=abc;i=${i}`,
		__REALTIME_TIMESTAMP: String(1_757_000_000_000_000 + r.stampUs + 1234),
		__MONOTONIC_TIMESTAMP: String(r.stampUs + 1234),
		_BOOT_ID: '3f1c5d0e6a4b4b7e9d1f2a3b4c5d6e7f',
		_TRANSPORT: 'kernel',
		PRIORITY: /failed|task:/.test(r.text) ? '3' : '6',
		SYSLOG_FACILITY: '0',
		SYSLOG_IDENTIFIER: 'kernel',
		_SOURCE_MONOTONIC_TIMESTAMP: String(r.stampUs),
		MESSAGE: r.text,
	}));
	const daemon = {__REALTIME_TIMESTAMP: '1757000009727000000', __MONOTONIC_TIMESTAMP: '9727980000', _BOOT_ID: '3f1c5d0e6a4b4b7e9d1f2a3b4c5d6e7f', _TRANSPORT: 'journal', PRIORITY: '6', SYSLOG_IDENTIFIER: 'systemd-sleep', MESSAGE: 'Entering sleep state \'suspend\'...'};
	const withDaemon = [...journalRecords.slice(0, 4), daemon, ...journalRecords.slice(4)];

	function check(events: LogEvent[]) {
		const kernel = events.filter(e => e.origin === 'kernel');
		expect(kernel.map(e => e.text)).toEqual(records.map(r => r.text));
		expect(kernel.map(e => e.stamp)).toEqual(records.map(r => r.stampUs));
		expect(kernel.map(e => e.level)).toEqual(journalRecords.map(r => Number(r.PRIORITY)));
	}

	it('journalctl -o json (one object per line)', async () => {
		const file = path.join(dir, 'journal.json');
		writeFileSync(file, withDaemon.map(r => JSON.stringify(r)).join('\n') + '\n');
		const {events, warnings} = await eventsOf(file);
		expect(warnings).toEqual([]);
		check(events);
		const user = events.find(e => e.origin === 'userspace')!;
		expect(user).toMatchObject({ident: 'systemd-sleep', text: 'Entering sleep state \'suspend\'...', level: 6, source: {line: 5}});
		const result = await summaryOf([file]);
		expect(result.exitCode).toBe(1);
		const summary = String(result.stdout).replace(/\[[^\]]*journal\.json\]/g, '');
		expect(withoutLines(summary)).toBe(withoutLines(String((await reference).stdout)));
		// The daemon's record sits on line 5: the cycle's kernel lines are one further down.
		expect(summary).toMatch(/^cycle 1: .* \(lines 6–61\)/m);
		// 63 kernel records and the daemon's; PRIORITY 3 on both freeze-failure lines.
		expect(logLine(summary)).toBe('log: 64 record(s), 2 error(s), 0 warning(s)');
	});

	it('json-pretty, json-seq and a jq -s array, with a byte-array MESSAGE', async () => {
		const bytesRecord = {...journalRecords[0]!, MESSAGE: [...Buffer.from('caf\u00e9 \u00ff')].concat([0xff])};
		for (const [name, text] of [
			['pretty', [bytesRecord, ...journalRecords.slice(1)].map(r => JSON.stringify(r, null, '\t')).join('\n')],
			['seq', [bytesRecord, ...journalRecords.slice(1)].map(r => `\u001E${JSON.stringify(r)}`).join('\n')],
			['array', JSON.stringify([bytesRecord, ...journalRecords.slice(1)])],
		] as const) {
			const file = path.join(dir, `journal-${name}.json`);
			writeFileSync(file, text);
			const {events, warnings} = await eventsOf(file);
			expect(warnings, name).toEqual([]);
			expect(events.map(e => e.stamp), name).toEqual(records.map(r => r.stampUs));
			expect(events[0]!.text.startsWith('café ÿ'), name).toBe(true);
		}
	});

	it('journalctl -o export, with a binary field holding a newline', async () => {
		const parts: Buffer[] = [];
		for (const [i, r] of journalRecords.entries()) {
			for (const [key, value] of Object.entries(r)) {
				if (key === 'MESSAGE' && i === 1) {
					const data = Buffer.from(`${value}\nsecond line`);
					const length = Buffer.alloc(8);
					length.writeBigUInt64LE(BigInt(data.length));
					parts.push(Buffer.from('MESSAGE\n'), length, data, Buffer.from('\n'));
				} else parts.push(Buffer.from(`${key}=${value}\n`));
			}

			parts.push(Buffer.from('\n'));
		}

		const file = path.join(dir, 'journal.export');
		writeFileSync(file, Buffer.concat(parts));
		const {events, warnings} = await eventsOf(file);
		expect(warnings).toEqual([]);
		expect(events).toHaveLength(records.length + 1);
		expect(events[1]!.text).toBe(records[1]!.text);
		expect(events[2]!).toMatchObject({text: 'second line', stamp: records[1]!.stampUs});
		expect(events.filter((_, i) => i !== 2).map(e => e.stamp)).toEqual(records.map(r => r.stampUs));
		// Streamed in chunks of any size, the same records.
		const piped = await summaryOf(['-'], {input: readFileSync(file)});
		expect(piped.exitCode).toBe(1);
		expect(withoutLines(String(piped.stdout))).toBe(withoutLines(String((await reference).stdout)));
		// The message's second line is a record of its own; PRIORITY 3 on both freeze-failure records.
		expect(logLine(String(piped.stdout))).toBe('log: 64 record(s), 2 error(s), 0 warning(s)');
	});

	it('dmesg --json (util-linux 2.38, real output): pri, time and msg exactly', async () => {
		const file = fixturesDir('inputs', 'dmesg-json-util-linux-2.38.json');
		const {events, warnings} = await eventsOf(file);
		expect(warnings).toEqual([]);
		// The same records as `dmesg -r` printed them.
		const raw = readFileSync(fixturesDir('inputs', 'dmesg-r-util-linux-2.38.log'), 'utf8').trimEnd().split('\n');
		expect(events.map(e => `<${e.level}>[${(e.stamp! / 1e6).toFixed(6).padStart(12)}] ${e.text}`)).toEqual(raw.map(l => l.replace(/^<(\d+)>\[ *([\d.]+)\]/, (_, p: string, t: string) => `<${Number(p) & 7}>[${t.padStart(12)}]`)));
		const decoded = await eventsOf(fixturesDir('inputs', 'dmesg-json-decode-util-linux-2.38.json'));
		expect(decoded.events.map(e => [e.level, e.stamp, e.text])).toEqual(events.map(e => [e.level, e.stamp, e.text]));
	});

	it('dmesg --json built from the trace: same summary as the text', async () => {
		const file = path.join(dir, 'dmesg.json');
		const body = records.map(r => `      {\n         "pri": ${/failed/.test(r.text) ? 3 : 6},\n         "time": ${r.stampText.padStart(12)},\n         "msg": ${JSON.stringify(r.text)}\n      }`).join(',');
		writeFileSync(file, `{\n   "dmesg": [\n${body}\n   ]\n}\n`);
		const result = await summaryOf([file]);
		expect(result.exitCode).toBe(1);
		expect(withoutLines(String(result.stdout))).toBe(withoutLines(String((await reference).stdout)));
		expect(logLine(String(result.stdout))).toBe(logLine(String((await reference).stdout)));
		// Each record's lines are where its object starts in the pretty-printed file (4 lines a record, from line 3).
		expect(String(result.stdout)).toMatch(/^cycle 1: .* \(lines 19–239\)/m);
		expect(String(result.stdout)).toMatch(/^cycle 2: .* \(lines 243–251\)/m);
	});

	it('bad records: a warning naming line and field, the rest is read', async () => {
		const file = path.join(dir, 'journal-bad.json');
		const lines = journalRecords.map(r => JSON.stringify(r));
		lines[2] = JSON.stringify({...journalRecords[2], PRIORITY: 'high'});
		lines[3] = JSON.stringify({...journalRecords[3], _SOURCE_MONOTONIC_TIMESTAMP: '9'.repeat(300)});
		lines[5] = '{"MESSAGE": 5}';
		lines[6] = '{ not json';
		writeFileSync(file, lines.join('\n') + '\n');
		const {events, warnings} = await eventsOf(file);
		expect(warnings[0]).toMatch(/^3: journal record: field PRIORITY: expected a level 0-7; record skipped$/);
		expect(warnings[1]).toMatch(/^4: journal record: field _SOURCE_MONOTONIC_TIMESTAMP: expected a decimal number of microseconds; record skipped$/);
		expect(warnings[2]).toMatch(/^6: journal record: field MESSAGE: /);
		expect(warnings.some(w => /^7: /.test(w))).toBe(true);
		expect(events.length).toBe(records.length - 4);
		for (const e of events) expect(Number.isFinite(e.t) && Number.isFinite(e.stamp!)).toBe(true);
	});
});

describe('special files: a clear line or a bounded read, never a hang', () => {
	it.each(['/dev/zero', '/dev/urandom', '/dev/null'])('%s is refused at once', async device => {
		const result = await quiesce(['replay', device], {timeout: 20_000});
		expect(result.exitCode).toBe(2);
		expect(String(result.stderr).trimEnd()).toMatch(new RegExp(`^quiesce: ${device}: a character device, not a log; give a file, a pipe or - for standard input$`));
	});

	it('binary data on a pipe (/dev/urandom | replay -) is refused from its head', async () => {
		const result = await quiesce(['replay', '-'], {stdin: 'pipe', input: Buffer.from(Array.from({length: 200_000}, (_, i) => (i * 7919 + 13) % 256)), timeout: 20_000});
		expect(result.exitCode).toBe(2);
		expect(String(result.stderr).trimEnd()).toMatch(/^quiesce: \(stdin\): binary data, not a text log \(first bytes: [0-9a-f ]+\)/);
	});

	it('a 2 GB sparse file: refused after reading its head, memory bounded', async () => {
		const sparse = path.join(dir, 'sparse.img');
		writeFileSync(sparse, '');
		truncateSync(sparse, 2 * 1024 ** 3);
		const result = await execa('/usr/bin/time', ['-f', '%M', 'node', cliPath, 'replay', sparse], {reject: false, timeout: 60_000});
		expect(result.exitCode).toBe(2);
		const lines = String(result.stderr).trimEnd().split('\n');
		const [message, rssKb] = [lines[0], lines.at(-1)];
		expect(message).toMatch(/sparse\.img: binary data, not a text log \(first bytes: 00 00 00 00 00 00 00 00\)/);
		expect(Number(rssKb)).toBeLessThan(300 * 1024);
	});

	it('text followed by a megabyte of zeros: replays the text, then stops with a warning', async () => {
		const file = path.join(dir, 'log-then-zeros.log');
		writeFileSync(file, Buffer.concat([Buffer.from(traceText), Buffer.alloc(8 * 1024 * 1024)]));
		const {events, warnings} = await eventsOf(file);
		expect(warnings.filter(w => /binary data from about byte \d+ on \(\d+ bytes without text\); stopped reading there/.test(w))).toHaveLength(1);
		expect(events.filter(e => e.origin === 'kernel').map(e => e.text)).toEqual(records.map(r => r.text));
	});

	it('a bundle folder with a dangling symlink, a symlink loop, a FIFO and a directory loop: warnings, the rest replays', async () => {
		const bundle = path.join(dir, 'odd-bundle');
		mkdirSync(bundle);
		writeFileSync(path.join(bundle, 'kernel.log'), traceText);
		symlinkSync(path.join(bundle, 'missing.log'), path.join(bundle, 'dangling.log'));
		symlinkSync(path.join(bundle, 'loop-b'), path.join(bundle, 'loop-a'));
		symlinkSync(path.join(bundle, 'loop-a'), path.join(bundle, 'loop-b'));
		symlinkSync(bundle, path.join(bundle, 'self'));
		execFileSync('mkfifo', [path.join(bundle, 'pipe.log')]);
		const result = await quiesce(['replay', bundle, '--summary'], {timeout: 20_000});
		expect(result.exitCode).toBe(1);
		const stderr = String(result.stderr);
		expect(stderr).toMatch(/dangling\.log: dangling symlink \(its target does not exist\); skipped/);
		expect(stderr).toMatch(/loop-a: symlink loop; skipped/);
		expect(stderr).toMatch(/pipe\.log: a FIFO, not read \(a bundle holds regular files\); skipped/);
		expect(String(result.stdout)).toMatch(/failed: 1 task\(s\) refused to freeze/);
	});

	it('a symlink loop given as the path: one line saying so', async () => {
		const a = path.join(dir, 'la');
		symlinkSync(path.join(dir, 'lb'), a);
		symlinkSync(a, path.join(dir, 'lb'));
		const result = await quiesce(['replay', a]);
		expect(result.exitCode).toBe(2);
		expect(String(result.stderr).trimEnd()).toMatch(/^quiesce: .*la: symlink loop \(too many levels of symbolic links\)$/);
	});
});
