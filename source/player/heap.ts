/**
 * The monitor's replay keeps a packed timeline (event-store.ts): ~130 MB live for an 86 MB log.
 * While it loads, the parser and the copy-on-write reducer leave garbage behind faster than V8's
 * default heap growth (up to 4× the live size between full collections) gives back: the peak RSS
 * was 368 MB. A growth of 30 % per collection keeps it near the live size (245 MB on the same log,
 * bench/monitor.ts) at no measurable cost in load time. V8 reads this flag at each full collection,
 * so setting it at run time, before the load, takes effect; it changes nothing but when the heap
 * is collected.
 */
import v8 from 'node:v8';

export function boundHeapGrowth(): void {
	v8.setFlagsFromString('--heap-growing-percent=30');
}
