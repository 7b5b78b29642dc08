/**
 * Reading a sysfs tree (the real /sys or a folder standing in for it): the
 * nd bus devices with their own attributes and their firmware/ and nfit/
 * attributes, and /sys/power. Only ReadOnlyFs calls; a file that cannot be
 * read is listed with the reason, never fatal.
 */
import path from 'node:path';
import {RefusedRead, type ReadOnlyFs} from './readonly.js';

export type SysfsValue = {path: string; value: string};
export type Unreadable = {path: string; reason: string};
export type Snapshot = {values: SysfsValue[]; unreadable: Unreadable[]; ndDevices: string[]; hasNdBus: boolean};

const maxAttributeBytes = 64 * 1024;
const ndSubdirs = new Set(['firmware', 'nfit']);
const powerFiles = ['state', 'disk', 'mem_sleep', 'pm_test', 'pm_debug_messages', 'pm_freeze_timeout', 'pm_print_times', 'pm_async', 'image_size', 'resume'];

/** Why a read failed, as meta.json lists it: the refusal, else the errno. */
export function reasonOf(error: unknown): string {
	if (error instanceof RefusedRead) return error.reason;
	return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}

/** sysfs names are printable ASCII; anything else would corrupt sysfs.tsv and the terminal. */
const saneName = (name: string) => /^[\x21-\x7e]+$/.test(name);

/** `sys/…` path of a file below the root, as bundles name it. */
function rel(root: string, full: string): string {
	return path.relative(root, full).split(path.sep).join('/');
}

async function readAttribute(fs: ReadOnlyFs, root: string, full: string, out: Snapshot): Promise<void> {
	const name = rel(root, full);
	try {
		const stat = await fs.lstat(full);
		if ((stat.mode & 0o444) === 0) {
			out.unreadable.push({path: name, reason: 'write-only'});
			return;
		}

		const value = (await fs.readFile(full, maxAttributeBytes)).toString('utf8');
		out.values.push({path: name, value: value.endsWith('\n') ? value.slice(0, -1) : value});
	} catch (error) {
		out.unreadable.push({path: name, reason: reasonOf(error)});
	}
}

async function readDirectoryFiles(fs: ReadOnlyFs, root: string, dir: string, out: Snapshot, subdirs: Set<string>): Promise<void> {
	let entries: string[];
	try {
		entries = (await fs.readdir(dir)).sort();
	} catch (error) {
		out.unreadable.push({path: rel(root, dir), reason: reasonOf(error)});
		return;
	}

	for (const entry of entries) {
		const full = path.join(dir, entry);
		if (!saneName(entry)) {
			out.unreadable.push({path: rel(root, full), reason: 'name with spaces or control characters: not a sysfs attribute'});
			continue;
		}

		let stat;
		try {
			stat = await fs.lstat(full);
		} catch (error) {
			out.unreadable.push({path: rel(root, full), reason: reasonOf(error)});
			continue;
		}

		if (stat.isSymbolicLink()) continue; // driver, subsystem, …: links out of the device
		if (stat.isDirectory()) {
			if (subdirs.has(entry)) await readDirectoryFiles(fs, root, full, out, new Set());
			continue;
		}

		if (entry === 'uevent' || entry === 'modalias') continue;
		await readAttribute(fs, root, full, out);
	}
}

/** The nd devices and their firmware-activation attributes. */
export async function snapshotNd(fs: ReadOnlyFs, root: string, out: Snapshot): Promise<void> {
	const devicesDir = path.join(root, 'sys', 'bus', 'nd', 'devices');
	if (!(await fs.exists(devicesDir))) return;
	let names: string[];
	try {
		names = (await fs.readdir(devicesDir)).sort();
	} catch (error) {
		out.unreadable.push({path: rel(root, devicesDir), reason: reasonOf(error)});
		return;
	}

	for (const name of names.filter(n => !saneName(n))) out.unreadable.push({path: rel(root, path.join(devicesDir, name)), reason: 'name with spaces or control characters: not an nd device'});
	names = names.filter(saneName);
	out.ndDevices = names;
	out.hasNdBus = names.some(n => /^ndbus\d+$/.test(n));
	for (const name of names) {
		out.values.push({path: `sys/bus/nd/devices/${name}`, value: '<dir>'});
		// The entry is a symlink to the device: reading through it follows it.
		await readDirectoryFiles(fs, root, path.join(devicesDir, name), out, ndSubdirs);
	}
}

export async function snapshotPower(fs: ReadOnlyFs, root: string, out: Snapshot): Promise<void> {
	const dir = path.join(root, 'sys', 'power');
	if (!(await fs.exists(dir))) return;
	for (const name of powerFiles) {
		const full = path.join(dir, name);
		if (await fs.exists(full)) await readAttribute(fs, root, full, out);
	}

	const stats = path.join(dir, 'suspend_stats');
	if (await fs.exists(stats)) await readDirectoryFiles(fs, root, stats, out, new Set());
}

export async function snapshot(fs: ReadOnlyFs, root: string): Promise<Snapshot> {
	const out: Snapshot = {values: [], unreadable: [], ndDevices: [], hasNdBus: false};
	await snapshotNd(fs, root, out);
	await snapshotPower(fs, root, out);
	return out;
}

/** The files --watch polls: every firmware/ and nfit/ attribute found. */
export function watchedPaths(s: Snapshot): string[] {
	return s.values.map(v => v.path).filter(p => /\/(?:firmware|nfit)\//.test(p));
}
