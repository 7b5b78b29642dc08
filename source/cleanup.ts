/**
 * Things to undo before the process exits on a signal, registered by the
 * code that needs them (a FIFO open blocked in a libuv thread would
 * otherwise keep `process.exit` from finishing). No imports: the CLI loads
 * this at start without loading what registers.
 */
export const beforeExit = new Set<() => void>();

export function runBeforeExit(): void {
	for (const cleanup of beforeExit) {
		try {
			cleanup();
		} catch {}
	}

	beforeExit.clear();
}
