/** An error the user caused (bad flag, bad file): printed as one line, exit 2. */
export class UsageError extends Error {
	override name = 'UsageError';
}

export function parseSeed(raw: unknown): number {
	const text = String(raw ?? '').trim();
	if (!/^\d+$/.test(text) || Number(text) > 0xff_ff_ff_ff) {
		throw new UsageError(`--seed: expected an integer from 0 to 4294967295, got "${String(raw)}"`);
	}

	return Number(text);
}
