/**
 * Device-timeline figures: `quiesce replay LOG --devices` on a generated 64 MB
 * log of suspend cycles with pm_print_times lines (sync and interleaved async
 * callbacks, dpm phase lines, unrelated chatter), as a ratio to
 * `grep -c returned` on the same file (both with output to a file, both whole
 * processes), and the CLI's peak RSS.
 */
import {createWriteStream, readFileSync, statSync, unlinkSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {execa} from 'execa';

const stamp = (us: number) => `[${String(Math.floor(us / 1e6)).padStart(5, ' ')}.${String(us % 1e6).padStart(6, '0')}]`;

function cycle(i: number): string {
	let t = 1_000_000_000 + i * 30_000_000;
	const out: string[] = [];
	const line = (text: string, dt = 37) => {
		t += dt;
		out.push(`${stamp(t)} ${text}`);
	};

	line('PM: suspend entry (deep)');
	line('Freezing user space processes');
	line('Freezing user space processes completed (elapsed 0.005 seconds)');
	line('OOM killer disabled.');
	for (const [phase, cb] of [['suspend', 'pci_pm_suspend+0x0/0x160'], ['late suspend', 'pci_pm_suspend_late+0x0/0x40'], ['noirq suspend', 'pci_pm_suspend_noirq+0x0/0x2a0'], ['noirq resume', 'pci_pm_resume_noirq+0x0/0x130'], ['early resume', 'pci_pm_resume_early+0x0/0x30'], ['resume', 'pci_pm_resume+0x0/0xe0']] as const) {
		// 24 sync callbacks, then 16 async ones interleaved two by two.
		for (let d = 0; d < 24; d++) {
			const dev = `0000:${(d + 16).toString(16)}:00.0`;
			line(`pcieport ${dev}: PM: calling ${cb} @ 4242, parent: pci0000:00`);
			line(`pcieport ${dev}: PM: ${cb} returned 0 after ${(d * 7 + i) % 900} usecs`, 120);
		}

		for (let d = 0; d < 16; d += 2) {
			const a = `0000:0${d % 10}:00.0`;
			const b = `0000:0${(d + 1) % 10}:00.1`;
			line(`nvme ${a}: PM: calling ${cb} @ ${5000 + d}, parent: 0000:5d:00.0`);
			line(`xhci_hcd ${b}: PM: calling ${cb} @ ${5001 + d}, parent: 0000:5d:00.0`);
			line(`xhci_hcd ${b}: PM: ${cb} returned 0 after ${(d * 13 + i) % 5000} usecs`);
			line(`nvme ${a}: PM: ${cb} returned 0 after ${(d * 31 + i) % 9000} usecs`);
		}

		line(`PM: ${phase} of devices complete after 170.102 msecs`);
		line('e1000e 0000:00:1f.6 eno1: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx');
	}

	line('OOM killer enabled.');
	line('Restarting tasks ... done.');
	line('PM: suspend exit');
	return out.join('\n') + '\n';
}

export async function generate(file: string, megabytes: number): Promise<number> {
	const out = createWriteStream(file);
	let written = 0;
	let i = 0;
	while (written < megabytes * 1024 * 1024) {
		const chunk = Array.from({length: 20}, () => cycle(i++)).join('');
		written += Buffer.byteLength(chunk);
		if (!out.write(chunk)) await new Promise<void>(resolve => out.once('drain', () => resolve()));
	}

	await new Promise<void>(resolve => out.end(() => resolve()));
	return statSync(file).size;
}

const rssAtExit = 'data:text/javascript,process.on("exit",()=>{const u=process.resourceUsage();process.stderr.write("\\nquiesce-bench-maxrss-kb "+u.maxRSS+" cpu-us "+(u.userCPUTime+u.systemCPUTime)+"\\n")})';

export async function benchDevices(cli: string): Promise<void> {
	const dir = os.tmpdir();
	const log = path.join(dir, `quiesce-bench-devices-${process.pid}.log`);
	const grepOut = path.join(dir, `quiesce-bench-devices-${process.pid}.grep`);
	const cliOut = path.join(dir, `quiesce-bench-devices-${process.pid}.out`);
	try {
		const mb = (await generate(log, Number(process.env['BENCH_DEVICES_MB'] ?? 64))) / 1024 / 1024;
		let start = performance.now();
		await execa('grep', ['-c', 'returned', log], {stdout: {file: grepOut}});
		const grepSeconds = (performance.now() - start) / 1000;
		start = performance.now();
		const run = await execa('node', ['--import', rssAtExit, cli, 'replay', log, '--devices', '--top', '10'], {stdout: {file: cliOut}, stdin: 'ignore'});
		const cliSeconds = (performance.now() - start) / 1000;
		const returned = Number(readFileSync(grepOut, 'utf8').trim());
		const usage = /quiesce-bench-maxrss-kb (\d+) cpu-us (\d+)/.exec(String(run.stderr));
		const rssKb = Number(usage?.[1] ?? Number.NaN);
		const cpuSeconds = Number(usage?.[2] ?? Number.NaN) / 1e6;
		const cycles = (readFileSync(cliOut, 'utf8').match(/^cycle \d+ /gm) ?? []).length;
		console.log(`devices       replay --devices on ${mb.toFixed(0)} MB (${returned} returned lines, ${cycles} cycles): ${cliSeconds.toFixed(2)} s = ${(cliSeconds / grepSeconds).toFixed(1)}× grep -c returned (${grepSeconds.toFixed(3)} s), ${cpuSeconds.toFixed(2)} s of CPU (load average ${os.loadavg()[0]!.toFixed(1)}); peak RSS ${(rssKb / 1024).toFixed(0)} MB (${((rssKb / 1024 / mb) * 100).toFixed(0)} % of the file)`);
	} finally {
		for (const f of [log, grepOut, cliOut]) {
			try {
				unlinkSync(f);
			} catch {}
		}
	}
}
