/**
 * Bounds on V8's heap for the replay paths (issue 18: the monitor's replay and `replay --headless`
 * / `--summary`), set at run time: V8 reads both flags when it collects, so setting them before
 * the work takes effect; they change nothing but when the heap is collected.
 *
 * - `--heap-growing-percent=30`: while a replay loads, the parser and the reducer leave garbage
 *   behind faster than V8's default old-generation growth (up to 4× the live size between full
 *   collections) gives back: the monitor's peak RSS was 368 MB on an 86 MB log, 245 MB with 30 %.
 * - `--semi-space-growth-factor=1`: the young generation stays at its initial size (2 MB) instead
 *   of growing to 32 MB under the allocation rate of a long log, where little survives a scavenge
 *   (`replay --summary` keeps 8 MB live): the summary of a 64 MB log peaked at 103 MB RSS, 72 MB
 *   with both flags; the monitor on an 86 MB log at 218 MB, 193 MB. CPU and load times moved
 *   within the noise of this (heavily shared) machine, measured alternately.
 */
import v8 from 'node:v8';

export function boundHeapGrowth(): void {
	v8.setFlagsFromString('--heap-growing-percent=30');
	v8.setFlagsFromString('--semi-space-growth-factor=1');
}
