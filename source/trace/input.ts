/**
 * Opening what a user points `replay` at, as a stream that is never seeked:
 * a file, `-` (standard input), a pipe, process substitution (`<(dmesg)`),
 * a FIFO, `/dev/stdin`. Compressed data is recognised by its first bytes,
 * not by the file name (gzip through zlib, zstd through the pure-JS fzstd;
 * xz, bzip2, lz4, zip and binary journal files get one line naming the
 * command that turns them into text). Then the text's format is sniffed
 * from its head: a kernel log, journal JSON / export, `dmesg --json`, a
 * sysfs dump, ndctl JSON, or a native events.ndjson.
 *
 * Every read is bounded: a FIFO with no writer gives up with a message,
 * device files are refused, and data that is not text (`/dev/zero`,
 * `/dev/urandom`, a sparse file) is refused at its start, or reading stops
 * with a warning when a megabyte of it follows text.
 */
import {constants, createReadStream, openSync, closeSync, statSync, type Stats} from 'node:fs';
import {open, type FileHandle} from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import {Readable} from 'node:stream';
import {StringDecoder} from 'node:string_decoder';
import {beforeExit} from '../cleanup.js';
import {TraceError} from '../errors.js';
import {quote, type TraceWarning} from './log-parser.js';
import {isPollHeader} from './sysfs-parser.js';

export type ContentFormat = 'log' | 'journal-json' | 'journal-export' | 'dmesg-json' | 'sysfs' | 'ndctl' | 'native' | 'empty';

export type OpenOptions = {
	/** Standard input, for `-` (tests pass their own). */
	stdin?: NodeJS.ReadableStream & {isTTY?: boolean};
	/** Say that we wait for a FIFO's writer after this long (ms). */
	fifoNoticeMs?: number;
	/** Give up on a FIFO with no writer after this long (ms). */
	fifoTimeoutMs?: number;
	/** Progress notes for a person (waiting for a writer, reading a terminal). */
	onNote?: (message: string) => void;
};

export type TextInput = {
	/** How warnings name it: the path, or "-" / "(stdin)". */
	label: string;
	format: ContentFormat;
	/** How it was stored: plain, gzip, zstd. */
	compression: 'none' | 'gzip' | 'zstd';
	/** A regular file (its size known, its end known before reading it). */
	regular: boolean;
	/** The decompressed bytes, from the start; warnings found while reading go to `warnings`. */
	chunks: AsyncIterable<Buffer>;
	warnings: TraceWarning[];
	close(): void;
};

/** Default wait for a FIFO's writer; `QUIESCE_FIFO_TIMEOUT_MS` overrides it (tests, slow writers). */
export function fifoTimeoutMs(): number {
	const raw = Number(process.env['QUIESCE_FIFO_TIMEOUT_MS']);
	return Number.isFinite(raw) && raw > 0 ? raw : 30_000;
}

/** One line for a failed open/stat/read, naming the file and what went wrong. */
export function describeFsError(target: string, error: unknown): string {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	const name = quotePath(target);
	switch (code) {
		case 'ENOENT': {
			return `${name}: no such file or directory`;
		}

		case 'EACCES':
		case 'EPERM': {
			return `${name}: permission denied (the file cannot be read by this user)`;
		}

		case 'ELOOP': {
			return `${name}: symlink loop (too many levels of symbolic links)`;
		}

		case 'ENOTDIR': {
			return `${name}: a part of the path is not a directory`;
		}

		case 'ENAMETOOLONG': {
			return `${name}: path too long`;
		}

		case 'EISDIR': {
			return `${name}: is a directory`;
		}

		case 'ENXIO': {
			return `${name}: no device or reader behind it (a socket or a FIFO that cannot be opened)`;
		}

		case 'EIO': {
			return `${name}: input/output error while reading`;
		}

		default: {
			const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
			return `${name}: cannot read it (${code ?? message})`;
		}
	}
}

/** A path as shown in messages: control characters escaped, long paths cut in the middle. */
export function quotePath(target: string): string {
	// eslint-disable-next-line no-control-regex
	const escaped = /[\u0000-\u001F\u007F-\u009F]/.test(target) ? quote(target, 200) : target;
	return escaped.length > 200 ? `${escaped.slice(0, 90)}…${escaped.slice(-90)}` : escaped;
}

function statOrThrow(target: string): Stats {
	try {
		return statSync(target);
	} catch (error) {
		throw new TraceError(describeFsError(target, error));
	}
}

/** What kind of special file this is, in words, or undefined for a file we can read. */
function refusedKind(stat: Stats): string | undefined {
	if (stat.isCharacterDevice()) return 'a character device';
	if (stat.isBlockDevice()) return 'a block device';
	if (stat.isSocket()) return 'a socket';
	return undefined;
}

/** Open a FIFO without hanging forever when nobody writes into it. */
async function openFifo(target: string, options: OpenOptions): Promise<FileHandle> {
	const timeoutMs = options.fifoTimeoutMs ?? fifoTimeoutMs();
	const noticeMs = options.fifoNoticeMs ?? 1000;
	const opening = open(target, constants.O_RDONLY);
	// Release the blocked open: a writer that opens and closes at once gives it EOF.
	const release = () => {
		try {
			closeSync(openSync(target, constants.O_WRONLY | constants.O_NONBLOCK));
		} catch {}
	};

	beforeExit.add(release);
	let notice: NodeJS.Timeout | undefined;
	let timer: NodeJS.Timeout | undefined;
	const timedOut = new Promise<'timeout'>(resolve => {
		notice = setTimeout(() => options.onNote?.(`waiting for a writer on the FIFO ${quotePath(target)} (giving up after ${Math.round(timeoutMs / 1000)} s; Ctrl-C to stop)`), noticeMs);
		timer = setTimeout(() => resolve('timeout'), timeoutMs);
	});
	try {
		const first = await Promise.race([opening, timedOut]);
		if (first !== 'timeout') return first;
		release();

		void opening.then(handle => handle.close()).catch(() => undefined);
		throw new TraceError(`${quotePath(target)}: a FIFO with no writer after ${(timeoutMs / 1000).toFixed(timeoutMs < 10_000 ? 1 : 0)} s; start the writer first (e.g. \`dmesg > ${quotePath(target)}\`) or pipe the log: \`dmesg | quiesce replay -\``);
	} finally {
		clearTimeout(notice);
		clearTimeout(timer);
		beforeExit.delete(release);
	}
}

/** The raw bytes of a target, from its start, never seeking. */
async function openBytes(target: string, options: OpenOptions): Promise<{label: string; regular: boolean; chunks: AsyncIterable<Buffer>; close(): void}> {
	if (target === '-') {
		const stdin = options.stdin ?? process.stdin;
		if (stdin.isTTY) options.onNote?.('reading the log from the terminal: paste it, then press Ctrl-D (or pipe one in: dmesg | quiesce replay -)');
		return {label: '(stdin)', regular: false, chunks: stdin as AsyncIterable<Buffer>, close() {}};
	}

	const stat = statOrThrow(target);
	if (stat.isDirectory()) throw new TraceError(`${quotePath(target)}: is a directory`);
	const refused = refusedKind(stat);
	if (refused) {
		throw new TraceError(`${quotePath(target)}: ${refused}, not a log; give a file, a pipe or - for standard input`);
	}

	if (stat.isFIFO()) {
		const handle = await openFifo(target, options);
		const stream = handle.createReadStream({highWaterMark: 1 << 16});
		return {label: target, regular: false, chunks: stream, close: () => stream.destroy()};
	}

	// Opening first turns EACCES and friends into one line before anything is read.
	let handle: FileHandle;
	try {
		handle = await open(target, constants.O_RDONLY);
	} catch (error) {
		throw new TraceError(describeFsError(target, error));
	}

	// 64 KiB reads: the events of one read are handed over and dropped while still young (V8's
	// scavenger frees them); the events of 1 MiB reads lived long enough to be promoted, and the old
	// generation grew with the log (2.1 GB RSS for a 1 GB log).
	const stream = handle.createReadStream({highWaterMark: 1 << 16});
	return {label: target, regular: stat.isFile(), chunks: stream, close: () => stream.destroy()};
}

type Magic = {name: string; bytes: number[]; offset?: number};

const gzipMagic = [0x1f, 0x8b];
const zstdMagic = [0x28, 0xb5, 0x2f, 0xfd];
/** Formats we recognise but do not decode: the command that turns each into text. */
const needsCommand: Array<Magic & {command: (file: string) => string}> = [
	{name: 'xz-compressed', bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], command: f => `xz -dc ${f} | quiesce replay -`},
	{name: 'lzma-compressed', bytes: [0x5d, 0x00, 0x00], command: f => `xz --format=lzma -dc ${f} | quiesce replay -`},
	{name: 'bzip2-compressed', bytes: [0x42, 0x5a, 0x68], command: f => `bzip2 -dc ${f} | quiesce replay -`},
	{name: 'lz4-compressed', bytes: [0x04, 0x22, 0x4d, 0x18], command: f => `lz4 -dc ${f} | quiesce replay -`},
	{name: 'a zip archive', bytes: [0x50, 0x4b, 0x03, 0x04], command: f => `unzip -p ${f} | quiesce replay -`},
	{name: 'a binary systemd journal file', bytes: [...Buffer.from('LPKSHHRH')], command: f => `journalctl --file ${f} -k -o export | quiesce replay -`},
	{name: 'a tar archive', bytes: [...Buffer.from('ustar')], offset: 257, command: f => `mkdir trace && tar -xf ${f} -C trace && quiesce replay trace`},
];

function startsWith(head: Buffer, magic: number[], offset = 0): boolean {
	if (head.length < offset + magic.length) return false;
	return magic.every((b, i) => head[offset + i] === b);
}

/** Pull chunks until at least `bytes` are buffered (or the input ends). */
/**
 * The first `bytes` of an input (fewer at its end). With `settleMs` (a pipe: a producer may print
 * a few lines and then wait, like `dmesg -w`), the head is also what came before the input went
 * quiet that long after its first bytes; the read still under way is handed on in `pending`.
 */
async function peek(iterator: AsyncIterator<Buffer>, bytes: number, settleMs?: number): Promise<Head> {
	const parts: Buffer[] = [];
	let length = 0;
	while (length < bytes) {
		const pending = iterator.next();
		let next: IteratorResult<Buffer> | undefined;
		if (settleMs === undefined || length === 0) {
			next = await pending;
		} else {
			let timer: NodeJS.Timeout | undefined;
			next = await Promise.race([pending, new Promise<undefined>(resolve => {
				timer = setTimeout(() => resolve(undefined), settleMs);
			})]);
			clearTimeout(timer);
			if (next === undefined) return {head: Buffer.concat(parts), done: false, pending};
		}

		if (next.done) return {head: Buffer.concat(parts), done: true};
		const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
		parts.push(chunk);
		length += chunk.length;
	}

	return {head: Buffer.concat(parts), done: false};
}

type Head = {head: Buffer; done: boolean; pending?: Promise<IteratorResult<Buffer>>};

/** How long a pipe may stay quiet before its format is told from what came so far. */
const settleMs = 200;

async function* rest({head, done, pending}: Head, iterator: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
	if (head.length > 0) yield head;
	if (done) return;
	for (;;) {
		const next = await (pending ?? iterator.next());
		pending = undefined;
		if (next.done) return;
		yield typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
	}
}

// zlib and fzstd load only for a compressed input: a plain log's replay does not pay for them.
async function* gunzip(chunks: AsyncIterable<Buffer>, label: string, warnings: TraceWarning[]): AsyncGenerator<Buffer> {
	const {createGunzip} = await import('node:zlib');
	const stream = Readable.from(chunks).pipe(createGunzip());
	try {
		for await (const chunk of stream as AsyncIterable<Buffer>) yield chunk;
	} catch (error) {
		warnings.push({file: label, line: 0, message: `gzip data damaged (${(error as Error).message}); replaying what was decompressed before it`});
	}
}

async function* unzstd(chunks: AsyncIterable<Buffer>, label: string, warnings: TraceWarning[]): AsyncGenerator<Buffer> {
	const {Decompress: ZstdDecompress} = await import('fzstd');
	const out: Uint8Array[] = [];
	const decoder = new ZstdDecompress(data => void out.push(data));
	try {
		for await (const chunk of chunks) {
			decoder.push(chunk);
			while (out.length > 0) yield Buffer.from(out.shift()!);
		}

		decoder.push(new Uint8Array(0), true);
		while (out.length > 0) yield Buffer.from(out.shift()!);
	} catch (error) {
		while (out.length > 0) yield Buffer.from(out.shift()!);
		warnings.push({file: label, line: 0, message: `zstd data damaged (${(error as Error).message}); replaying what was decompressed before it`});
	}
}

/** Share of characters that are not text: C0 controls other than tab/LF/CR/FF, and invalid UTF-8. */
export function binaryShare(text: string): number {
	if (text.length === 0) return 0;
	let bad = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0xff_fd) bad++;
	}

	return bad / text.length;
}

/** Text from here on is this binary before reading stops. */
const binaryRunLimit = 1 << 20;

/** Share of bytes that are not text in a chunk (a sample of it for big chunks). */
function binaryBytes(chunk: Buffer): number {
	const n = Math.min(chunk.length, 4096);
	let bad = 0;
	for (let i = 0; i < n; i++) {
		const c = chunk[i]!;
		if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) bad++;
	}

	return n === 0 ? 0 : bad / n;
}

/**
 * Stop with a warning when a megabyte of binary data follows the text (a
 * log glued to a disk image must not make a 2 GB replay).
 */
async function* guardBinary(chunks: AsyncIterable<Buffer>, label: string, warnings: TraceWarning[]): AsyncGenerator<Buffer> {
	let binaryRun = 0;
	let bytes = 0;
	for await (const chunk of chunks) {
		bytes += chunk.length;
		if (binaryBytes(chunk) > 0.3) binaryRun += chunk.length;
		else binaryRun = 0;
		if (binaryRun >= binaryRunLimit) {
			warnings.push({file: label, line: 0, message: `binary data from about byte ${bytes - binaryRun} on (${binaryRun} bytes without text); stopped reading there`});
			return;
		}

		yield chunk;
	}
}

/** The text of an input, decoded as UTF-8 in chunks. */
export async function* textsOf(input: TextInput): AsyncGenerator<string> {
	const decoder = new StringDecoder('utf8');
	for await (const chunk of input.chunks) yield decoder.write(chunk);
	const tail = decoder.end();
	if (tail) yield tail;
}

/** Sniff the format of a text from its first characters. */
export function sniffText(head: string, name = ''): ContentFormat {
	const start = head.replace(/^[\uFEFF\u001E\s]+/, '');
	if (start === '') return 'empty';
	if (/^\{\s*"dmesg"\s*:/.test(start)) return 'dmesg-json';
	if (/^[[{]/.test(start) && /"(?:__REALTIME_TIMESTAMP|__CURSOR|__MONOTONIC_TIMESTAMP)"\s*:/.test(start.slice(0, 8192))) return 'journal-json';
	if (/^(?:__CURSOR|__REALTIME_TIMESTAMP|__MONOTONIC_TIMESTAMP|__SEQNUM|_BOOT_ID)=/.test(start)) return 'journal-export';
	const firstLine = start.slice(0, start.indexOf('\n') === -1 ? undefined : start.indexOf('\n'));
	if (/^\{\s*"kind"\s*:\s*"(?:log|sysfs|note|action)"/.test(firstLine) && /"t"\s*:/.test(firstLine)) return 'native';
	if (/ndctl/.test(name) || (/^(?:ndctl list[^\n]*\n\s*)?[[{]/.test(start) && /"dev"\s*:/.test(start.slice(0, 8192)))) return 'ndctl';
	const firstLines = start.slice(0, 4096).split(/\r\n|\n|\r/).slice(0, 12).map(l => l.trim()).filter(Boolean);
	if (firstLines[0] !== undefined && isPollHeader(firstLines[0])) return 'sysfs';
	const sysfsLike = firstLines.filter(l => /^(?:\d+\t|\d+(?:\.\d+)?\t[^\t/]*\t)?\/sys\/\S+(?:\t|:)/.test(l) || /^(?:(?:ndbus|nmem|region|namespace|btt|pfn|dax)\d+(?:\.\d+)?\s*)+$/.test(l)).length;
	if (sysfsLike > 0 && sysfsLike >= firstLines.length / 2) return 'sysfs';
	return 'log';
}

/**
 * Open a target as text: bytes → (decompressed) → checked to be text →
 * format sniffed. Throws TraceError (one line) for what cannot be replayed.
 */
export async function openText(target: string, options: OpenOptions = {}): Promise<TextInput> {
	const bytes = await openBytes(target, options);
	const warnings: TraceWarning[] = [];
	const label = bytes.label;
	const shown = target === '-' ? 'FILE' : quotePath(target);
	let iterator = bytes.chunks[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
	let peeked: Head;
	const settle = bytes.regular ? undefined : settleMs;
	try {
		peeked = await peek(iterator, 512, settle);
	} catch (error) {
		bytes.close();
		throw new TraceError(describeFsError(target, error));
	}

	let compression: TextInput['compression'] = 'none';
	let decoded: AsyncIterable<Buffer> = rest(peeked, iterator);
	if (startsWith(peeked.head, gzipMagic)) {
		compression = 'gzip';
		decoded = gunzip(decoded, label, warnings);
	} else if (startsWith(peeked.head, zstdMagic)) {
		compression = 'zstd';
		decoded = unzstd(decoded, label, warnings);
	} else {
		const known = needsCommand.find(m => startsWith(peeked.head, m.bytes, m.offset));
		if (known) {
			bytes.close();
			throw new TraceError(`${quotePath(label)}: ${known.name}, not a text log; decompress or export it first: ${known.command(shown)}`);
		}
	}

	// The head of the decoded text decides its format (and whether it is text at all).
	iterator = decoded[Symbol.asyncIterator]();
	let head: Head;
	try {
		head = await peek(iterator, 64 * 1024, settle);
	} catch (error) {
		bytes.close();
		throw new TraceError(describeFsError(target, error));
	}

	const headText = head.head.toString('utf8');
	// The start decides: a log followed by garbage is read up to the garbage (guardBinary).
	const sample = head.head.subarray(0, 4096).toString('utf8');
	if (sample.length >= 16 && binaryShare(sample) > 0.3) {
		bytes.close();
		const first = [...head.head.subarray(0, 8)].map(b => b.toString(16).padStart(2, '0')).join(' ');
		throw new TraceError(`${quotePath(label)}: binary data, not a text log (first bytes: ${first}); give a kernel log, journal or dmesg output, a sysfs dump or ndctl JSON`);
	}

	const format = sniffText(headText, target === '-' ? '' : path.basename(target));
	return {
		label,
		format,
		compression,
		regular: bytes.regular,
		chunks: guardBinary(rest(head, iterator), label, warnings),
		warnings,
		close: bytes.close,
	};
}

/** The whole text of a small input (sysfs dumps, ndctl JSON), refused past `limit` characters. */
export async function readAllText(input: TextInput, limit = 64 * 1024 * 1024): Promise<string> {
	const parts: string[] = [];
	let length = 0;
	for await (const text of textsOf(input)) {
		length += text.length;
		if (length > limit) {
			input.close();
			throw new TraceError(`${quotePath(input.label)}: more than ${limit / 1024 / 1024} MiB of ${input.format === 'ndctl' ? 'ndctl JSON' : 'sysfs dump'}; is it the right file?`);
		}

		parts.push(text);
	}

	return parts.join('');
}
