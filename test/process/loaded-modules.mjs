// Preload (node --import): which files a run loads. ES modules (the bundle's chunks) through a
// module hook, CommonJS ones (yaml, through createRequire) from the require cache at exit; one
// file:// URL or path a line, appended to QUIESCE_LOADED_LOG.
import {appendFileSync} from 'node:fs';
import {createRequire, register} from 'node:module';
import process from 'node:process';
const log = process.env.QUIESCE_LOADED_LOG;
if (!log) throw new Error('loaded-modules.mjs: set QUIESCE_LOADED_LOG');
register(new URL('./loaded-modules-hook.mjs', import.meta.url), {data: {log}});
process.on('exit', () => {
	const cache = createRequire(import.meta.url).cache;
	appendFileSync(log, Object.keys(cache).map(file => `${file}\n`).join(''));
});
