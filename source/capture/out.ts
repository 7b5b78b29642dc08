/**
 * Where capture and record write: the --out folder, checked before anything is read,
 * and written so that nothing planted in it is followed. This is the only
 * module of capture (and of record) that writes, and it writes only inside --out.
 *
 * - --out must be a new or empty folder; --force replaces a previous bundle
 *   (a folder whose meta.json says "quiesce-trace"), and then only the
 *   bundle's own files (bundleFiles) — other files in the folder stay.
 * - Each file is written to a fresh temporary name (O_CREAT|O_EXCL|O_NOFOLLOW)
 *   in --out, then renamed over its name: a symlink planted under that name
 *   is replaced, never written through.
 */
import {closeSync, constants, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, renameSync, statfsSync, unlinkSync, writeSync} from 'node:fs';
import path from 'node:path';
import {randomBytes} from 'node:crypto';
import {CaptureError} from '../errors.js';
import {bundleFormat} from '../trace/bundle.js';

/** The files a bundle is made of (writes.tsv and events.ndjson: a `record` bundle's, replaced too). */
export const bundleFiles = ['meta.json', 'sysfs.tsv', 'kernel.log', 'ndctl.json', 'writes.tsv', 'events.ndjson'] as const;
export type BundleFile = (typeof bundleFiles)[number];

export type OutFolder = {
	/** The folder as the user gave it (for messages). */
	given: string;
	/** Its real path, resolved once: every write goes below it. */
	dir: string;
	/** What was there: nothing, an empty folder, or a previous bundle replaced with --force. */
	was: 'absent' | 'empty' | 'bundle';
};

const quote = (p: string) => JSON.stringify(p);

function errnoOf(error: unknown): string {
	return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}

function isBundle(dir: string): boolean {
	try {
		const stat = lstatSync(path.join(dir, 'meta.json'));
		if (!stat.isFile() || stat.size > 1 << 20) return false;
		const meta = JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8')) as {format?: unknown};
		return meta.format === bundleFormat;
	} catch {
		return false;
	}
}

/**
 * Kernel pseudo-filesystems by statfs f_type (include/uapi/linux/magic.h):
 * writing a file there is an operation on the kernel, not storage.
 */
const kernelFilesystems = new Map<number, string>([
	[0x62_65_65_72, 'sysfs'],
	[0x9f_a0, 'procfs'],
	[0x27_e0_eb, 'cgroupfs'],
	[0x63_67_72_70, 'cgroup2fs'],
	[0x64_62_67_20, 'debugfs'],
	[0x74_72_61_63, 'tracefs'],
	[0x73_63_66_73, 'securityfs'],
	[0x62_65_65_70, 'configfs'],
	[0xca_fe_4a_11, 'bpffs'],
	[0xde_5e_81_e4, 'efivarfs'],
	[0x61_65_67_6c, 'pstore'],
	[0x1c_d1, 'devpts'],
]);

export function kernelFilesystem(dir: string): string | undefined {
	try {
		return kernelFilesystems.get(Number(statfsSync(dir).type));
	} catch {
		return undefined;
	}
}

function exists(p: string): boolean {
	try {
		return lstatSync(p, {throwIfNoEntry: false}) !== undefined;
	} catch {
		return false; // ENOTDIR: a file on the way
	}
}

function nearestExisting(p: string): string {
	let current = p;
	while (!exists(current)) {
		const parent = path.dirname(current);
		if (parent === current) break;
		current = parent;
	}

	return current;
}

/** The nearest existing ancestor's real path with the rest appended. */
function resolveReal(p: string): string {
	let current = path.resolve(p);
	const rest: string[] = [];
	for (;;) {
		try {
			return path.join(realpathSync(current), ...rest.reverse());
		} catch {
			const parent = path.dirname(current);
			if (parent === current) return path.resolve(p);
			rest.push(path.basename(current));
			current = parent;
		}
	}
}

/**
 * Check --out and make it ready, before anything is captured: one clear
 * CaptureError (exit 2) for an empty string, "/", a file, a non-empty folder
 * (without --force, or with --force but no previous bundle), a place inside
 * the tree being read, or a place that cannot be written.
 */
export function prepareOut(out: string, options: {root: string; force: boolean; command?: 'capture' | 'record'}): OutFolder {
	const command = options.command ?? 'capture';
	if (out.trim() === '') throw new CaptureError('--out: got an empty path; give a new or empty folder for the bundle');
	const real = resolveReal(out);
	if (real === path.parse(real).root) throw new CaptureError(`--out ${quote(out)}: the root folder; give a new or empty folder for the bundle`);
	// The tree's sys/, proc/, dev/ and this machine's, whatever --root is.
	const forbiddenDirs = new Set([...['sys', 'proc', 'dev'].map(d => resolveReal(path.join(options.root, d))), ...['/sys', '/proc', '/dev'].map(resolveReal)]);
	for (const forbidden of forbiddenDirs) {
		if (real === forbidden || real.startsWith(forbidden + path.sep)) throw new CaptureError(`--out ${quote(out)}: inside ${forbidden}; ${command} never writes there`);
	}

	const kernelFs = kernelFilesystem(nearestExisting(real));
	if (kernelFs) throw new CaptureError(`--out ${quote(out)}: on ${kernelFs}, a kernel interface, not storage; ${command} never writes there`);

	const rootReal = resolveReal(options.root);
	if (rootReal !== path.parse(rootReal).root && (real === rootReal || real.startsWith(rootReal + path.sep))) {
		throw new CaptureError(`--out ${quote(out)}: inside the --root tree ${quote(options.root)}; ${command} never writes into the tree it reads`);
	}

	let was: OutFolder['was'] = 'absent';
	let stat;
	try {
		stat = lstatSync(real);
	} catch (error) {
		if (!['ENOENT', 'ENOTDIR'].includes(errnoOf(error))) throw new CaptureError(`--out ${quote(out)}: cannot be checked (${errnoOf(error)})`);
	}

	if (stat) {
		if (!stat.isDirectory()) throw new CaptureError(`--out ${quote(out)}: exists and is not a folder; give a new or empty folder`);
		let entries: string[];
		try {
			entries = readdirSync(real);
		} catch (error) {
			throw new CaptureError(`--out ${quote(out)}: cannot be read (${errnoOf(error)})`);
		}

		if (entries.length === 0) was = 'empty';
		else if (!options.force) throw new CaptureError(`--out ${quote(out)}: not empty (${entries.length} entries); give a new or empty folder, or --force to replace a previous bundle there`);
		else if (!isBundle(real)) throw new CaptureError(`--out ${quote(out)}: not empty and holds no quiesce bundle (no meta.json of format ${bundleFormat}); --force only replaces a previous bundle`);
		else {
			was = 'bundle';
			for (const name of bundleFiles) {
				try {
					if (lstatSync(path.join(real, name)).isDirectory()) throw new CaptureError(`--out ${quote(out)}: ${name} there is a folder; not replacing it`);
				} catch (error) {
					if (error instanceof CaptureError) throw error;
				}
			}
		}
	} else {
		try {
			makeFolders(real);
		} catch (error) {
			throw new CaptureError(`--out ${quote(out)}: cannot create the folder (${errnoOf(error)})`);
		}
	}

	// Prove it can be written (root ignores permission bits; a read-only mount does not).
	try {
		const probe = temporaryName(real);
		closeSync(openSync(probe, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600));
		unlinkSync(probe);
	} catch (error) {
		throw new CaptureError(`--out ${quote(out)}: cannot write there (${errnoOf(error)})`);
	}

	return {given: out, dir: real, was};
}

/**
 * mkdir -p, one level at a time: Node's `recursive: true` spins forever on
 * some paths (a folder below /proc answers ENOENT to every try).
 */
function makeFolders(dir: string): void {
	const missing: string[] = [];
	let current = dir;
	while (lstatSync(current, {throwIfNoEntry: false}) === undefined) {
		missing.unshift(current);
		const parent = path.dirname(current);
		if (parent === current) break;
		current = parent;
	}

	for (const folder of missing) mkdirSync(folder);
}

function temporaryName(dir: string): string {
	return path.join(dir, `.quiesce-capture-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Write the bundle: each file to a temporary name, then renamed into place
 * (meta.json last: a bundle with meta.json is complete). Files of a previous
 * bundle that this capture does not produce are removed (the name only: a
 * symlink is unlinked, not followed); nothing else in the folder is touched.
 */
export function writeBundleFiles(out: OutFolder, files: Partial<Record<BundleFile, string>>): string[] {
	const written: string[] = [];
	const order = [...bundleFiles.filter(n => n !== 'meta.json'), 'meta.json' as const];
	for (const name of order) {
		const content = files[name];
		const target = path.join(out.dir, name);
		if (content === undefined) {
			if (out.was === 'bundle') {
				try {
					unlinkSync(target);
				} catch (error) {
					if (!['ENOENT', 'ENOTDIR'].includes(errnoOf(error))) throw new CaptureError(`--out ${quote(out.given)}: cannot remove the previous ${name} (${errnoOf(error)})`);
				}
			}

			continue;
		}

		const temporary = temporaryName(out.dir);
		let fd: number | undefined;
		try {
			fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
			const data = Buffer.from(content, 'utf8');
			for (let done = 0; done < data.length;) done += writeSync(fd, data, done, data.length - done);
			fsyncSync(fd);
			closeSync(fd);
			fd = undefined;
			renameSync(temporary, target);
			written.push(name);
		} catch (error) {
			if (fd !== undefined) closeSync(fd);
			try {
				unlinkSync(temporary);
			} catch {}

			throw new CaptureError(`--out ${quote(out.given)}: cannot write ${name} (${errnoOf(error)})`);
		}
	}

	return written;
}
