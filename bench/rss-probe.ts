/**
 * Preloaded into a bench child (`node --import dist/bench/rss-probe.js …`): at exit, its peak
 * RSS in KiB (process.resourceUsage().maxRSS) goes to $QUIESCE_RSS_FILE.
 */
import {writeFileSync} from 'node:fs';

const file = process.env['QUIESCE_RSS_FILE'];
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
