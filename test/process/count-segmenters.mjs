// Preload (node --import): counts `new Intl.Segmenter()` in the run, written to QUIESCE_SEGMENTER_LOG at exit.
import {writeFileSync} from 'node:fs';
import process from 'node:process';
const log = process.env.QUIESCE_SEGMENTER_LOG;
if (!log) throw new Error('count-segmenters.mjs: set QUIESCE_SEGMENTER_LOG');
let built = 0;
const Original = Intl.Segmenter;
Intl.Segmenter = new Proxy(Original, {construct(target, args) { built++; return new target(...args); }});
process.on('exit', () => writeFileSync(log, String(built)));
