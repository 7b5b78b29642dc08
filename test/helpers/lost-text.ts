import type {LogEvent, TimelineEvent} from '../../source/events.js';

/**
 * The metadata a saved log puts before a message, one alternative per format
 * the README lists — written here from the formats, not taken from the parser.
 * After the message texts are cut out of a line, only these may remain.
 */
const header = new RegExp(`^[\\t ]*(?:${[
	String.raw`\d{1,3},\d+,\d+,[^;]*;`, // /dev/kmsg record
	String.raw`(?:[\s#>$]*(?:<\d{1,3}>)?\[\s*\d+\.\d+\](?:\[\s*[TC]\d+\])? ?)`, // dmesg stamp, level, caller id, shell prompt
	String.raw`\[[^\]\d]{2,12} [^\]\d]{2,12} +\d{1,2} \d\d:\d\d:\d\d \d{4}\] ?`, // dmesg -T, any locale
	String.raw`[A-Z][a-z]{2} +\d{1,2} \d\d:\d\d:\d\d(?:\.\d+)? \S+ [^\s:[]+(?:\[\d+\])?: ?(?:(?:<\d{1,3}>)?\[\s*\d+\.\d+\] ?)?`, // syslog, kern.log
	String.raw`\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)? \S+ [^\s:[]+(?:\[\d+\])?: ?`, // journalctl -o short-iso
	String.raw`\[\s*\d+\.\d+\] (?:\S+ )?[^\s:[]+(?:\[\d+\])?: ?`, // journalctl -o short-monotonic
	String.raw`kernel: ?`, // bare kernel prefix
].join('|')})?$`);

/** What pasting adds and the parser documents removing: CR, e-mail quoting; control bytes are escaped. */
function asRead(raw: string): string {
	// eslint-disable-next-line no-control-regex
	return raw.replace(/\r$/, '').replace(/^(?:> ?)+(?=\S|$)/, '').replace(/[\u0000-\u0008\u000E-\u001F]/g, c => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * Every byte of every input line is in an event: cut each event's text out of
 * its line, from the end, and what is left must be a header of a known
 * format. A message wrapped over several lines (an e-mail client) is one
 * event whose text is its lines joined by one space.
 */
export function lostText(lines: string[], events: TimelineEvent[]): string[] {
	const logs = events.filter((e): e is LogEvent => e.kind === 'log' && e.source !== undefined);
	const starting = new Map<number, LogEvent[]>();
	const continuation = new Map<number, LogEvent>();
	for (const e of logs) {
		starting.set(e.source!.line, [...(starting.get(e.source!.line) ?? []), e]);
		for (let l = e.source!.line + 1; l <= (e.source!.endLine ?? e.source!.line); l++) continuation.set(l, e);
	}

	const problems: string[] = [];
	for (const [i, raw] of lines.entries()) {
		const n = i + 1;
		let rest = asRead(raw);
		const wrapped = continuation.get(n);
		if (wrapped) {
			if (!wrapped.text.endsWith(rest.trim()) && !wrapped.text.includes(` ${rest.trim()} `)) problems.push(`${n}: wrapped line not in its event: ${raw}`);
			continue;
		}

		const here = starting.get(n) ?? [];
		if (here.length === 0) {
			if (rest.trim() !== '') problems.push(`${n}: no event: ${raw}`);
			continue;
		}

		for (const e of [...here].reverse()) {
			let own = e.text;
			const endLine = e.source!.endLine ?? n;
			if (endLine > n) {
				const tail = lines.slice(n, endLine).map(l => asRead(l).trim()).join(' ');
				if (!own.endsWith(` ${tail}`)) {
					problems.push(`${n}: wrapped event "${own}" is not its lines joined`);
					continue;
				}

				own = own.slice(0, own.length - tail.length - 1);
			}

			const trimmed = rest.trimEnd();
			if (!trimmed.endsWith(own.trimEnd())) {
				problems.push(`${n}: text "${own}" not at the end of "${rest}"`);
				break;
			}

			rest = trimmed.slice(0, trimmed.length - own.trimEnd().length);
			// Between two records on one line there is only the glued stamp.
			if (e !== here[0]) {
				const before = rest;
				rest = rest.replace(/(?:<\d{1,3}>)?\[\s*\d+\.\d+\](?:\[\s*[TC]\d+\])? ?$/, '');
				if (rest === before) problems.push(`${n}: glued record "${own}" not after a stamp in: ${raw}`);
			}
		}

		if (!header.test(rest)) problems.push(`${n}: "${rest}" left over, not a header, in: ${raw}`);
	}

	return problems;
}
