/**
 * Preloaded into a bench child (`node --import dist/bench/rss-probe.js …`): at exit, its peak
 * RSS in KiB (process.resourceUsage().maxRSS) goes to $QUIESCE_RSS_FILE, and its CPU time in µs
 * (user + system) to $QUIESCE_CPU_FILE.
 */
import {writeFileSync} from 'node:fs';

const file = process.env['QUIESCE_RSS_FILE'];
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
const cpuFile = process.env['QUIESCE_CPU_FILE'];
if (cpuFile) {
	process.on('exit', () => {
		const usage = process.resourceUsage();
		writeFileSync(cpuFile, String(usage.userCPUTime + usage.systemCPUTime));
	});
}
