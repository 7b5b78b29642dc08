/**
 * What capture may do to a machine, and nothing more. Capture code gets a
 * ReadOnlyFs (no write, no open-for-write, no chmod: those functions do not
 * exist on it) and a command runner that refuses anything outside an
 * allow-list of read-only commands. Tests wrap both to prove it.
 */
import {closeSync, constants as fsConstants, fstatSync, lstatSync, openSync, promises as fs, readdirSync, readlinkSync, readSync, realpathSync} from 'node:fs';
import path from 'node:path';
import {execa} from 'execa';

export type ReadOnlyFs = {
	/** The whole file; a RefusedRead if it holds more than maxBytes. */
	readFile(path: string, maxBytes: number): Promise<Buffer>;
	/** Up to maxBytes from byte `offset` (a log followed as it grows). */
	readChunk(path: string, offset: number, maxBytes: number): Promise<Buffer>;
	readdir(path: string): Promise<string[]>;
	lstat(path: string): Promise<{isDirectory(): boolean; isFile(): boolean; isSymbolicLink(): boolean; mode: number}>;
	readlink(path: string): Promise<string>;
	exists(path: string): Promise<boolean>;
	/** Records of a kernel log device (/dev/kmsg), read without blocking until none is left. */
	readRecords(path: string, maxRecords: number): Promise<string[]>;
};

/**
 * A read capture refused to make: the tree is untrusted, so a path that
 * leads out of the root, or to anything but a regular file or a folder, or
 * a file larger than the bound, is never opened (or never read whole).
 * `reason` goes into meta.json's `skipped` list.
 */
export class RefusedRead extends Error {
	override name = 'RefusedRead';
	constructor(readonly file: string, readonly reason: string) {
		super(`${file}: ${reason}`);
	}
}

function kindOf(stat: {isFile(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isDirectory(): boolean}): string {
	if (stat.isFIFO()) return 'a FIFO';
	if (stat.isSocket()) return 'a socket';
	if (stat.isCharacterDevice()) return 'a character device';
	if (stat.isBlockDevice()) return 'a block device';
	if (stat.isDirectory()) return 'a folder';
	return stat.isFile() ? 'a file' : 'not a regular file';
}

/**
 * Node's read-only filesystem, confined to `root`: every path is resolved to
 * its real path first and must stay inside the root's real path (symlinks
 * inside the tree, as sysfs has them, are followed; one leading out is
 * refused). Only regular files are opened — never a FIFO (it would block), a
 * socket or a device — with O_NOFOLLOW|O_NONBLOCK on the resolved path; the
 * opened descriptor is checked again (same inode, and its /proc/self/fd link
 * inside the root) so a swap between the check and the open is caught. Reads
 * are bounded. /dev/kmsg, the one device capture reads, only with root "/".
 */
export function confinedFs(root: string): ReadOnlyFs {
	// Synchronous system calls, each short (never on a FIFO, never blocking: O_NONBLOCK, regular files only):
	// a poll of 30 attributes is some 200 calls, and a hop through the thread pool for each made a
	// --watch on a loaded machine poll once a second.
	let realRoot: string | undefined;
	const rootReal = () => (realRoot ??= realpathSync.native(root));
	const inside = (real: string, base: string) => base === path.sep || real === base || real.startsWith(base + path.sep);

	function resolve(file: string): string {
		const base = rootReal();
		let real: string;
		try {
			real = realpathSync.native(file);
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			if (code === 'ELOOP') throw new RefusedRead(file, 'symlink loop');
			if (code === 'ENOENT') {
				// A dangling link: say where it points if that is outside.
				let target: string | undefined;
				try {
					target = readlinkSync(file);
				} catch {}

				if (target !== undefined && !inside(path.resolve(path.dirname(file), target), base)) throw new RefusedRead(file, `symlink out of the root (→ ${target})`);
			}

			throw error;
		}

		if (!inside(real, base)) throw new RefusedRead(file, `symlink out of the root (→ ${real})`);
		return real;
	}

	function openRegular(file: string): number {
		const real = resolve(file);
		const before = lstatSync(real);
		if (!before.isFile()) throw new RefusedRead(file, `${kindOf(before)}: never opened`);
		// A second name for a file is no path to check: in a tree it may be /etc/shadow hard-linked in.
		// (The real /sys and /proc have none; this machine's own files are read with root "/".)
		if (before.nlink > 1 && rootReal() !== path.sep) throw new RefusedRead(file, `a hard link (${before.nlink} names): it may be a file from outside the root`);
		// eslint-disable-next-line no-bitwise
		const fd = openSync(real, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK | fsConstants.O_NOCTTY);
		try {
			const after = fstatSync(fd);
			if (!after.isFile() || after.ino !== before.ino || after.dev !== before.dev) throw new RefusedRead(file, 'changed while being opened');
			let opened: string | undefined;
			try {
				opened = readlinkSync(`/proc/self/fd/${fd}`);
			} catch {}

			if (opened !== undefined && opened.startsWith('/') && !inside(opened, rootReal())) throw new RefusedRead(file, `opened outside the root (${opened})`);
			return fd;
		} catch (error) {
			closeSync(fd);
			throw error;
		}
	}

	function readBounded(file: string, offset: number, maxBytes: number): Buffer {
		const fd = openRegular(file);
		try {
			const buffer = Buffer.alloc(Math.min(maxBytes, 1 << 16));
			const chunks: Buffer[] = [];
			let total = 0;
			while (total < maxBytes) {
				const bytesRead = readSync(fd, buffer, 0, Math.min(buffer.length, maxBytes - total), offset + total);
				if (bytesRead === 0) break;
				chunks.push(Buffer.from(buffer.subarray(0, bytesRead)));
				total += bytesRead;
			}

			return Buffer.concat(chunks);
		} finally {
			closeSync(fd);
		}
	}

	return {
		async readFile(file, maxBytes) {
			const data = readBounded(file, 0, maxBytes + 1);
			if (data.length > maxBytes) throw new RefusedRead(file, `larger than ${maxBytes} bytes: not read`);
			return data;
		},
		readChunk: async (file, offset, maxBytes) => readBounded(file, offset, maxBytes),
		async readdir(dir) {
			const real = resolve(dir);
			const stat = lstatSync(real);
			if (!stat.isDirectory()) throw Object.assign(new RefusedRead(dir, `${kindOf(stat)}, not a folder`), {code: 'ENOTDIR'});
			return readdirSync(real);
		},
		async lstat(file) {
			resolve(path.dirname(file));
			return lstatSync(file);
		},
		async readlink(file) {
			resolve(path.dirname(file));
			return readlinkSync(file);
		},
		async readRecords(file, maxRecords) {
			if (file !== '/dev/kmsg' || rootReal() !== path.sep) throw new RefusedRead(file, 'only /dev/kmsg of this machine is read as a device');
			const handle = await fs.open(file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK | fsConstants.O_NOCTTY);
			const records: string[] = [];
			const buffer = Buffer.alloc(8192);
			try {
				while (records.length < maxRecords) {
					try {
						// eslint-disable-next-line no-await-in-loop
						const {bytesRead} = await handle.read(buffer, 0, buffer.length, null);
						if (bytesRead === 0) break;
						records.push(buffer.subarray(0, bytesRead).toString('utf8').replace(/\n$/, ''));
					} catch (error) {
						if ((error as NodeJS.ErrnoException).code === 'EPIPE') continue; // overwritten records: skip on
						if ((error as NodeJS.ErrnoException).code === 'EAGAIN') break; // no more records
						throw error;
					}
				}
			} finally {
				await handle.close();
			}

			return records;
		},
		async exists(file) {
			// Existence only (lstat, no open): a path that leads out is refused when read.
			try {
				await fs.lstat(file);
				return true;
			} catch {
				return false;
			}
		},
	};
}
/** The only command lines capture may run: each reads, none changes the machine. */
const allowed: Array<(argv: string[]) => boolean> = [
	argv => argv[0] === 'uname' && argv.length === 2 && ['-r', '-n', '-a'].includes(argv[1]!),
	argv => argv[0] === 'dmesg' && argv.slice(1).every(a => ['-r', '--raw', '-w', '--follow', '-x', '--decode'].includes(a)),
	argv => argv[0] === 'ndctl' && argv[1] === 'list' && argv.slice(2).every(a => /^-[BDFRNvui]+$/.test(a)),
];

export class ForbiddenCommandError extends Error {
	override name = 'ForbiddenCommandError';
}

export function isAllowed(argv: string[]): boolean {
	return allowed.some(check => check(argv));
}

export type CommandResult = {ok: true; stdout: string} | {ok: false; reason: string};

export type CommandRunner = {
	run(argv: string[]): Promise<CommandResult>;
	/** A long-running reader (dmesg --follow): lines as they come, until stop(). */
	follow(argv: string[], onLine: (line: string) => void): {stop(): Promise<void>; failed: Promise<string | undefined>};
};

function check(argv: string[]): void {
	if (!isAllowed(argv)) throw new ForbiddenCommandError(`capture may not run: ${argv.join(' ')}`);
}

export const execaRunner: CommandRunner = {
	async run(argv) {
		check(argv);
		try {
			const result = await execa(argv[0]!, argv.slice(1), {reject: false, timeout: 20_000, stdin: 'ignore'});
			if (result.failed) {
				const reason = (result as {code?: string}).code === 'ENOENT' ? 'not installed' : String(result.stderr || result.shortMessage).split('\n')[0]!;
				return {ok: false, reason};
			}

			return {ok: true, stdout: String(result.stdout)};
		} catch (error) {
			return {ok: false, reason: (error as Error).message};
		}
	},
	follow(argv, onLine) {
		check(argv);
		const child = execa(argv[0]!, argv.slice(1), {reject: false, stdin: 'ignore', buffer: false});
		let carry = '';
		child.stdout?.on('data', (chunk: Buffer) => {
			const text = carry + chunk.toString();
			const lines = text.split('\n');
			carry = lines.pop() ?? '';
			for (const line of lines) onLine(line);
		});
		const failed = child.then(result => (result.failed && !result.isTerminated ? String(result.stderr || result.shortMessage).split('\n')[0] : undefined)).catch((error: Error) => error.message);
		return {
			async stop() {
				child.kill('SIGTERM');
				await child.catch(() => undefined);
				if (carry) onLine(carry);
			},
			failed,
		};
	},
};
