/**
 * The HTML export in a real browser: Debian's chromium, headless, through
 * playwright-core (no browser download). Two window sizes, a screenshot of
 * each kept in test-artifacts/, and checks on the live DOM: cycle list, phase
 * bars, one bar per callback, hover card, zoom, failures marked, the log
 * lines behind a bar — and not one network request.
 */
import {existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {chromium, type Browser, type Page} from 'playwright-core';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {fixturesDir, packageRoot} from '../source/paths.js';
import {quiesce} from './helpers/cli.js';

const executablePath = process.env['CHROMIUM'] ?? '/usr/bin/chromium';
const artifacts = path.join(packageRoot(), 'test-artifacts');
const qemu = path.join(fixturesDir('traces'), 'qemu-6.1', 'dmesg-6.1-boot-hibernate-pm_test-freezer-devices.log');

const failingLog = [
	'[ 7316.400000] PM: suspend entry (deep)',
	'[ 7316.433010] nvme 0000:5e:00.0: PM: calling pci_pm_suspend+0x0/0xc0 @ 52114, parent: 0000:5d:00.0',
	'[ 7316.443010] mlx5_core 0000:3b:00.0: PM: calling pci_pm_suspend+0x0/0xc0 @ 52114, parent: 0000:3a:00.0',
	'[ 7316.512300] mlx5_core 0000:3b:00.0: PM: pci_pm_suspend+0x0/0xc0 returned -16 after 69000 usecs',
	'[ 7316.512309] mlx5_core 0000:3b:00.0: PM: failed to suspend: error -16',
	'[ 7316.520000] i915 0000:00:02.0: PM: calling pci_pm_suspend+0x0/0xc0 @ 7, parent: pci0000:00',
	'[ 7316.530000] PM: suspend of devices aborted after 112.993 msecs',
	'[ 7316.600000] <script>alert(1)</script> x: PM: calling evil_suspend+0x0/0x1 @ 5, parent: p',
	'',
].join('\n');

/** The bits of a DOM element the checks read (the test's tsconfig has no DOM lib). */
type El = {getBoundingClientRect(): {left: number; right: number; width: number}; style: {left: string}};

let browser: Browser;
const dir = mkdtempSync(path.join(os.tmpdir(), 'quiesce-html-'));

beforeAll(async () => {
	if (!existsSync(executablePath)) {
		throw new Error(`Chromium not found at ${executablePath}: install Debian's chromium (apt-get install -y chromium; .ci/run does it) or set CHROMIUM=/path/to/chromium`);
	}

	browser = await chromium.launch({
		executablePath,
		headless: true,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
	});
	mkdirSync(artifacts, {recursive: true});
}, 60_000);

afterAll(async () => {
	await browser?.close();
});

/** Open the page; every request that is not the file itself is recorded (and refused). */
async function open(file: string, size: {width: number; height: number}): Promise<{page: Page; requests: string[]; errors: string[]}> {
	const context = await browser.newContext({viewport: size});
	const page = await context.newPage();
	const requests: string[] = [];
	const errors: string[] = [];
	const url = pathToFileURL(file).href;
	await page.route('**/*', route => {
		if (route.request().url() === url) return route.continue();
		requests.push(route.request().url());
		return route.abort();
	});
	page.on('pageerror', e => errors.push(e.message));
	page.on('console', m => {
		if (m.type() === 'error') errors.push(m.text());
	});
	await page.goto(url);
	await page.waitForSelector('html[data-ready="1"]');
	return {page, requests, errors};
}

describe('HTML export in headless Chromium', () => {
	it.each([
		{width: 1280, height: 800},
		{width: 480, height: 900},
	])('qemu-6.1 at $width×$height: cycles, phases, 58 bars, hover, zoom, log lines; no network; screenshot kept', async size => {
		const out = path.join(dir, `qemu-${size.width}.html`);
		const r = await quiesce(['replay', qemu, '--html', out]);
		expect(r.exitCode).toBe(0);
		const {page, requests, errors} = await open(out, size);

		expect(await page.locator('#cycles li').count()).toBe(2);
		// The first cycle with callbacks is shown: cycle 2.
		expect(await page.locator('#cycles li.sel').textContent()).toContain('cycle 2');
		expect(await page.locator('#phases .phase').allTextContents()).toEqual(['freeze 15.2 ms', 'restore 13.0 ms']);
		expect(await page.locator('#rows .bar').count()).toBe(58);
		expect(await page.locator('#rows .bar.async').count()).toBe(await page.locator('#rows .bar.async').count());
		expect(await page.locator('#rows .bar.failed, #rows .bar.unfinished').count()).toBe(0);
		expect(await page.locator('#failures li').count()).toBe(0);

		// Bars inside the visible page width at zoom 1, and the restore bars after the freeze bars.
		const boxes = await page.locator('#rows .bar').evaluateAll(bars => bars.map(b => {
			const r = (b as unknown as El).getBoundingClientRect();
			return {left: r.left, right: r.right};
		}));
		const rows = await page.locator('#rows').evaluate(e => {
			const r = (e as unknown as El).getBoundingClientRect();
			return {left: r.left, width: r.width};
		});
		expect(Math.max(...boxes.map(b => b.right))).toBeLessThanOrEqual(rows.left + rows.width + 1);
		expect(boxes[0]!.left).toBeLessThan(boxes[57]!.left);

		// Hover: the card names the device, callback, the kernel's µs, pid and line.
		const rtc = page.locator('#rows .bar[data-device="00:06"]').first();
		await rtc.scrollIntoViewIfNeeded();
		await rtc.hover({force: true});
		const tip = page.locator('#tip');
		await expect.poll(() => tip.isVisible()).toBe(true);
		const tipText = (await tip.textContent()) ?? '';
		expect(tipText).toContain('rtc_cmos 00:06');
		expect(tipText).toContain('pnp_bus_freeze');
		expect(tipText).toContain('328 µs');
		expect(tipText).toContain(':462');

		// Click: the log lines behind the bar.
		await rtc.click({force: true});
		expect(await page.locator('#detail pre.log-lines').textContent()).toBe('462: rtc_cmos 00:06: PM: calling pnp_bus_freeze+0x0/0x10 @ 1, parent: pnp0\n463: rtc_cmos 00:06: PM: pnp_bus_freeze+0x0/0x10 returned 0 after 328 usecs');

		// Zoom in twice: the time axis is 4× wider (first bar's start to last bar's start).
		const axis = async () => page.locator('#rows .bar').evaluateAll(bars => parseFloat((bars.at(-1) as unknown as El).style.left) - parseFloat((bars[0] as unknown as El).style.left));
		const before = await axis();
		await page.click('#zoom-in');
		await page.click('#zoom-in');
		expect(await page.locator('#zoom-level').textContent()).toBe('4×');
		expect((await axis()) / before).toBeCloseTo(4, 3);
		await page.click('#zoom-reset');

		// One phase: its 28 callbacks over the whole width (the 5 s pm_test wait no longer squeezes them).
		await page.selectOption('#phase', 'freeze');
		expect(await page.locator('#rows .bar').count()).toBe(28);
		expect(await page.locator('#phases .phase').allTextContents()).toEqual(['freeze 15.2 ms']);
		const widths = await page.locator('#rows .bar').evaluateAll(bars => bars.map(b => (b as unknown as El).getBoundingClientRect().width));
		expect(Math.max(...widths)).toBeGreaterThan(5);
		await page.locator('#rows .bar[data-device="00:06"]').click({force: true});
		await page.screenshot({path: path.join(artifacts, `device-timeline-freeze-${size.width}x${size.height}.png`), fullPage: true});
		await page.locator('#phases .phase').click();
		expect(await page.locator('#rows .bar').count()).toBe(58);

		// Cycle 1 has no callbacks: selecting it empties the rows.
		await page.locator('#cycles li').first().click();
		expect(await page.locator('#rows .bar').count()).toBe(0);
		await page.locator('#cycles li').nth(1).click();

		const shot = path.join(artifacts, `device-timeline-${size.width}x${size.height}.png`);
		await page.screenshot({path: shot, fullPage: true});
		expect(statSync(shot).size).toBeGreaterThan(5000);
		expect(requests).toEqual([]);
		expect(errors).toEqual([]);
		await page.context().close();
	}, 60_000);

	it('several cycles: the comparison of the fastest and the slowest, and switching cycles redraws their bars', async () => {
		const cycle = (t: number, us: number) => [
			`[ ${t}.000000] PM: suspend entry (deep)`,
			`[ ${t}.100000] nvme 0000:01:00.0: PM: calling pci_pm_suspend+0x0/0x1 @ 5, parent: p`,
			`[ ${t}.200000] nvme 0000:01:00.0: PM: pci_pm_suspend+0x0/0x1 returned 0 after ${us} usecs`,
			`[ ${t}.200100] pci 0000:00:01.0: PM: calling pci_pm_suspend+0x0/0x1 @ 5, parent: p`,
			`[ ${t}.200200] pci 0000:00:01.0: PM: pci_pm_suspend+0x0/0x1 returned 0 after 10 usecs`,
			`[ ${t}.300000] PM: suspend of devices complete after ${((us + 10) / 1000).toFixed(3)} msecs`,
			`[ ${t}.400000] PM: suspend exit`,
		];
		const log = path.join(dir, 'three.log');
		writeFileSync(log, [...cycle(10, 1000), ...cycle(20, 90_000), ...cycle(30, 2000)].join('\n') + '\n');
		const out = path.join(dir, 'three.html');
		expect((await quiesce(['replay', log, '--html', out])).exitCode).toBe(0);
		const {page, requests, errors} = await open(out, {width: 1024, height: 700});
		expect(await page.locator('#cycles li').count()).toBe(3);
		await page.locator('#compare summary').click();
		expect(await page.locator('#compare summary').textContent()).toContain('Fastest cycle 1 (1010 µs) vs slowest cycle 2 (90.0 ms)');
		const firstDevice = await page.locator('#compare table.devices tr').nth(1).locator('td').allTextContents();
		expect(firstDevice).toEqual(['nvme 0000:01:00.0', 'pci_pm_suspend', 'suspend', '1000 µs', '90000 µs', '+89.0 ms']);
		await page.locator('#cycles li').nth(1).click();
		await page.locator('#rows .bar[data-device="0000:01:00.0"]').hover({force: true});
		expect(await page.locator('#tip').textContent()).toContain('90000 µs');
		await page.screenshot({path: path.join(artifacts, 'device-timeline-compare-1024x700.png'), fullPage: true});
		expect(requests).toEqual([]);
		expect(errors).toEqual([]);
		await page.context().close();
	}, 60_000);

	it('a failed cycle: the failed and the never-returned bars marked, listed as FAILED; log text is inert', async () => {
		const log = path.join(dir, 'failing.log');
		writeFileSync(log, failingLog);
		const out = path.join(dir, 'failing.html');
		const r = await quiesce(['replay', log, '--html', out]);
		expect(r.exitCode).toBe(0);
		const {page, requests, errors} = await open(out, {width: 1024, height: 700});
		expect(await page.locator('#cycles li.failed').count()).toBe(1);
		expect(await page.locator('#cycles li .st').first().textContent()).toContain('FAILED');
		expect(await page.locator('#rows .bar.failed').count()).toBe(1);
		expect(await page.locator('#rows .bar.failed').getAttribute('data-device')).toBe('0000:3b:00.0');
		expect(await page.locator('#rows .bar.unfinished').count()).toBe(3);
		expect(await page.locator('#phases .phase.aborted').count()).toBe(1);
		// The kernel's failure lines of the cycle, with their line numbers.
		const failures = await page.locator('#failures li').allTextContents();
		expect(failures.some(f => /:4: mlx5_core 0000:3b:00\.0: PM: pci_pm_suspend\+0x0\/0xc0 returned -16 after 69000 usecs$/.test(f))).toBe(true);
		expect(failures.some(f => /:5: mlx5_core 0000:3b:00\.0: PM: failed to suspend: error -16$/.test(f))).toBe(true);
		expect(failures.some(f => /:2: .*nvme 0000:5e:00\.0.* — never returned$/.test(f))).toBe(true);
		// The <script> in a log line is text, not markup.
		expect(await page.locator('#rows script').count()).toBe(0);
		expect(await page.locator('#rows .label').allTextContents()).toContain('<script>alert(1)</script> x');
		await page.screenshot({path: path.join(artifacts, 'device-timeline-failed-1024x700.png'), fullPage: true});
		expect(requests).toEqual([]);
		expect(errors).toEqual([]);
		await page.context().close();
	}, 60_000);
});
