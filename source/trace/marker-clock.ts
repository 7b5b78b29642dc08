/**
 * The capture script's clock markers. The shell that captured nfit-test-6.1 writes each step to
 * /dev/kmsg with the CLOCK_MONOTONIC it read just before ("(start; CLOCK_MONOTONIC before this
 * marker: 22.734074)") or just after a write ("(CLOCK_MONOTONIC after write: 22.924772)"), and
 * its side files (writes.tsv, the poll table, the timed reads) are timed by that clock. The printk
 * stamp of the same moment runs behind it ("about 47 ms" in those runs: traces/nfit-test-6.1/
 * README.md), so without a correction the operator's write lands after the freeze it started.
 *
 * Each marker bounds the offset from below: the clock was read before the marker was stamped, so
 * monotonic − printk ≥ (value in the marker) − (the marker's stamp). The largest bound is the
 * closest; a side event moved by it is never placed before the moment it happened.
 */
const marker = /\[\s*(\d{1,10})\.(\d{6})\][^\n]*?\(\s*(?:start; )?CLOCK_MONOTONIC (?:before this marker|after write): (\d{1,10})\.(\d{6})\)/g;

const micros = (seconds: string, fraction: string) => Number(seconds) * 1_000_000 + Number(fraction);

/** CLOCK_MONOTONIC minus the printk clock, in µs, from the markers of a log's text; undefined without any. */
export function monotonicAheadUs(text: string): number | undefined {
	let ahead: number | undefined;
	for (const m of text.matchAll(marker)) {
		const bound = micros(m[3]!, m[4]!) - micros(m[1]!, m[2]!);
		if (ahead === undefined || bound > ahead) ahead = bound;
	}

	return ahead;
}
