/**
 * One cheap test that most lines of a big log fail: a line that fails it is not a signal
 * (recognise.ts), not a device callback line (callback-lines.ts), not a driver error
 * (driver-errors.ts) and not the lone "done." of an interrupted pr_cont line — so a consumer that
 * only counts such a line (replay --summary) may skip the work of each of those readers. It is
 * the union of their own prechecks, so it can never drop a line one of them would take.
 */
import {callbackPrecheck} from './callback-lines.js';
import {driverErrorPrecheck} from './driver-errors.js';
import {recognisePrecheck} from './recognise.js';

/** The "done." ending a pr_cont line that other messages interrupted (monitor/on-kernel-log.ts). */
const lonePrContDone = /done\./;

const anyReader = new RegExp([recognisePrecheck, callbackPrecheck, driverErrorPrecheck, lonePrContDone].map(re => `(?:${re.source})`).join('|'));

/** False only when no reader of kernel messages takes this message. */
export function mayMatter(message: string): boolean {
	return anyReader.test(message);
}
