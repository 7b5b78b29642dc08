// Module hook for loaded-modules.mjs: every module URL loaded, appended to the log as it loads.
import {appendFileSync} from 'node:fs';
let log;
export function initialize(data) {
	log = data.log;
}

export async function load(url, context, nextLoad) {
	appendFileSync(log, `${url}\n`);
	return nextLoad(url, context);
}
