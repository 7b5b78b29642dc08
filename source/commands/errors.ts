/**
 * Exit statuses (README "Exit status"): 0 everything succeeded; 1 a
 * simulated or replayed cycle failed; 2 a usage error or an input that
 * cannot be read; 70 an internal error; 130 after Ctrl-C; 143 on SIGTERM.
 */
export const exitStatus = {ok: 0, failed: 1, usage: 2, internal: 70, interrupted: 130, terminated: 143} as const;

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
