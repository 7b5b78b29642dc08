/**
 * The firmware files' sysfs paths (kernel/sysfs.ts sysfsPaths), one string per file for the life of
 * the process: a simulation names each DIMM's files a few times (arm, read-back, publish), and so does
 * the next one. The same string every time means it is built and hashed once, not once per use.
 */
import {sysfsPaths} from '../kernel/sysfs.js';

export type DimmPaths = Readonly<{activate: string; result: string}>;

const dimms: DimmPaths[] = [];

export function dimmPaths(index: number): DimmPaths {
	let paths = dimms[index];
	if (!paths) {
		paths = Object.freeze({activate: sysfsPaths.dimmActivate(index), result: sysfsPaths.dimmResult(index)});
		dimms[index] = paths;
	}

	return paths;
}

export const busPaths = Object.freeze({
	capability: sysfsPaths.busCapability(0),
	activate: sysfsPaths.busActivate(0),
	noidle: sysfsPaths.busNoidle(0),
});
