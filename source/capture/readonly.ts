/**
 * What capture may do to a machine, and nothing more. Capture code gets a
 * ReadOnlyFs (no write, no open-for-write, no chmod: those functions do not
 * exist on it) and a command runner that refuses anything outside an
 * allow-list of read-only commands. Tests wrap both to prove it.
 */
import {constants as fsConstants, promises as fs} from 'node:fs';
import {execa} from 'execa';

export type ReadOnlyFs = {
	readFile(path: string, maxBytes: number): Promise<Buffer>;
	readdir(path: string): Promise<string[]>;
	lstat(path: string): Promise<{isDirectory(): boolean; isFile(): boolean; isSymbolicLink(): boolean; mode: number}>;
	readlink(path: string): Promise<string>;
	exists(path: string): Promise<boolean>;
	/** Records of a kernel log device (/dev/kmsg), read without blocking until none is left. */
	readRecords(path: string, maxRecords: number): Promise<string[]>;
};

export const nodeReadOnlyFs: ReadOnlyFs = {
	async readFile(path, maxBytes) {
		const handle = await fs.open(path, 'r');
		try {
			const buffer = Buffer.alloc(maxBytes);
			const {bytesRead} = await handle.read(buffer, 0, maxBytes, 0);
			return buffer.subarray(0, bytesRead);
		} finally {
			await handle.close();
		}
	},
	readdir: async path => fs.readdir(path),
	lstat: async path => fs.lstat(path),
	readlink: async path => fs.readlink(path),
	async readRecords(path, maxRecords) {
		const handle = await fs.open(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
		const records: string[] = [];
		const buffer = Buffer.alloc(8192);
		try {
			while (records.length < maxRecords) {
				try {
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
	async exists(path) {
		try {
			await fs.lstat(path);
			return true;
		} catch {
			return false;
		}
	},
};

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
