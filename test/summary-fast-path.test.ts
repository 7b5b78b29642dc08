/**
 * `replay --summary` takes shortcuts (issue 18): lines no reader takes are only counted, the
 * reducer changes its state in place, the parser reads the common raw-dmesg line without its
 * regexes. The summary must not change for it: on every fixture trace and input (each file and
 * each folder, as a bundle), text, --all and --json, stdout, stderr and exit status are compared
 * byte for byte with the reference path (every event through the copy-on-write reducer and the
 * device timeline, nothing skipped). Plus lines built to sit at the edges of the prefilter.
 */
import {mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {afterAll, describe, expect, it} from 'vitest';
import {runReplayHeadless, type ReplayArgs} from '../source/commands/replay.js';
import {mayMatter} from '../source/kernel/line-filter.js';
import {DeviceTimelineBuilder} from '../source/timeline/device-timeline.js';
import {parseLogText} from '../source/trace/log-parser.js';

const root = path.join(import.meta.dirname, '..', 'fixtures');

function targets(dir: string): string[] {
	return readdirSync(dir).flatMap(name => {
		const file = path.join(dir, name);
		return statSync(file).isDirectory() ? [file, ...targets(file)] : [file];
	});
}

async function summary(args: ReplayArgs, reference: boolean): Promise<string> {
	const out = new PassThrough();
	const err = new PassThrough();
	const outParts: Buffer[] = [];
	const errParts: Buffer[] = [];
	out.on('data', (c: Buffer) => outParts.push(c));
	err.on('data', (c: Buffer) => errParts.push(c));
	let status: string;
	try {
		status = String(await runReplayHeadless(args, out, err, {reference}));
	} catch (error) {
		status = `threw ${(error as Error).message}`;
	}

	out.end();
	err.end();
	await new Promise(resolve => setImmediate(resolve));
	return `status ${status}\n--- stdout\n${Buffer.concat(outParts).toString()}--- stderr\n${Buffer.concat(errParts).toString()}`;
}

const modes: Array<[string, Omit<ReplayArgs, 'path'>]> = [
	['text', {json: false, summary: true}],
	['all', {json: false, summary: true, all: true}],
	['json', {json: true, summary: true}],
];

async function compare(target: string): Promise<string[]> {
	const outputs: string[] = [];
	for (const [mode, args] of modes) {
		const fast = await summary({path: target, ...args}, false);
		const reference = await summary({path: target, ...args}, true);
		expect(fast, `${target} (${mode})`).toBe(reference);
		outputs.push(fast);
	}

	return outputs;
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'quiesce-fast-path-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe('replay --summary fast path', () => {
	it('keeps a driver error whose words are capitalised (sound/soc/codecs/wm8962.c "Failed to resume: %d"): the joined precheck is case-blind like the reader', () => {
		expect(mayMatter('wm8962 0-001a: Failed to resume: -13')).toBe(true);
		expect(mayMatter('usb 1-1: ERROR -71 TIMED OUT')).toBe(true);
		expect(mayMatter('random chatter without the words')).toBe(false);
	});

	it('device timeline: skip() of a line no reader takes does what push() does with it', () => {
		let skipped = 0;
		for (const file of targets(path.join(root, 'traces')).filter(f => /\.(log|txt)$/.test(f))) {
			const {events} = parseLogText(readFileSync(file, 'utf8'), file);
			const pushed = new DeviceTimelineBuilder();
			const fast = new DeviceTimelineBuilder();
			for (const event of events) {
				pushed.push(event);
				if (event.level === undefined && (event.origin === 'userspace' || !mayMatter(event.text))) {
					fast.skip(event.t, event.source?.line, event.origin === 'userspace');
					skipped++;
				} else fast.push(event);
			}

			expect(fast.finish(), file).toEqual(pushed.finish());
		}

		expect(skipped).toBeGreaterThan(1000);
	});

	it('gives the reference summary on every fixture trace and input, text, --all and --json', async () => {
		const all = [...targets(path.join(root, 'traces')), ...targets(path.join(root, 'inputs'))];
		expect(all.length).toBeGreaterThan(80);
		let cycles = 0;
		for (const target of all) {
			const [text] = await compare(target);
			cycles += Number(/totals: (\d+) cycle/.exec(text!)?.[1] ?? 0);
		}

		// The comparison means something: the fixtures hold many cycles.
		expect(cycles).toBeGreaterThan(40);
	}, 300_000);

	it('keeps what the prefilter must not drop: levels, driver errors, a lone done., wrapped lines, callbacks, user space, binary', async () => {
		const lines = [
			'[  100.000000] PM: suspend entry (deep)',
			'[  100.001000] Filesystems sync: 0.001 seconds',
			'[  100.002000] Freezing user space processes ... ',
			'[  100.002100] usb 1-1: reset high-speed USB device number 2 using xhci_hcd',
			'[  100.003000] done.',
			'<3>[  100.003500] some driver: nothing a reader knows',
			'<4>[  100.003600] another: warning-level chatter',
			'[  100.004000] OOM killer disabled.',
			'[  100.005000] Freezing remaining freezable tasks ... (elapsed 0.001 seconds) done.',
			'[  100.006000] ucsi_acpi USBC000:00: failed to re-enable notifications (-110)',
			'[  100.007000] pci 0000:00:01.0: PM: calling pci_pm_suspend+0x0/0x160 @ 42, parent: pci0000:00',
			'[  100.007500] e1000e 0000:00:19.0 eth0: Link is Down',
			'[  100.008000] pci 0000:00:01.0: PM: pci_pm_suspend+0x0/0x160 returned 0 after 980 usecs',
			'[  100.009000] PM: suspend of devices complete after 3.000 msecs',
			'[  100.010000] PM: Some devices failed to suspend, or early wake event detected',
			'Jan 01 00:00:01 host systemd[1]: Starting something (user space)...',
			'[  100.011000] wrapped kernel message that continues',
			'on the next line without a stamp',
			'[  100.011500] binary \u0001 junk in a line',
			'[  100.012000] OOM killer enabled.',
			'[  100.013000] Restarting tasks ... done.',
			'[  100.014000] PM: suspend exit',
			'[ 99999999999999.000000] a stamp that does not fit',
			'[  200.000000] plain chatter at the end',
		];
		const file = path.join(dir, 'edges.log');
		writeFileSync(file, lines.join('\n') + '\n');
		const [text, , json] = await compare(file);
		// The edges are really in the summary (counted by hand): 24 lines; errors: the <3> line, the
		// driver error (no level), "Some devices failed"; warnings: the <4> line; the reader's warnings.
		expect(text).toContain('log: 24 record(s), 3 error(s), 1 warning(s)');
		expect(text).toContain('cycle 1: suspend (deep) at [  100.000000] (lines 1–22) — failed');
		expect(text).toContain('driver error (the suspend went on): ucsi_acpi USBC000:00: failed to re-enable notifications (-110)');
		expect(text).toContain('980 µs  pci 0000:00:01.0  pci_pm_suspend  [suspend]  line 11');
		expect(text).toMatch(/edges\.log:19: binary data in a text log/);
		expect(text).toMatch(/edges\.log:23: timestamp "99999999999999\.000000" does not fit/);
		expect(json).toContain('"driverErrors":[{"text":"failed to re-enable notifications (-110)"');
	});
});
