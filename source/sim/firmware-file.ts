/**
 * parseFirmwarePath (kernel/sysfs.ts), remembered: a simulation names the same few hundred files
 * over and over (every arm, every read-back), and the answer for a path never changes. Bounded, so a
 * long rehearsal typing arbitrary paths cannot grow it without limit. Callers only read the result.
 */
import {parseFirmwarePath, type FirmwareFile} from '../kernel/sysfs.js';

const known = new Map<string, FirmwareFile | undefined>();
const limit = 8192;

export function firmwareFile(path: string): FirmwareFile | undefined {
	const cached = known.get(path);
	if (cached !== undefined || known.has(path)) return cached;
	const file = parseFirmwarePath(path);
	if (known.size >= limit) known.clear();
	known.set(path, file === undefined ? undefined : Object.freeze(file));
	return file === undefined ? undefined : known.get(path);
}
