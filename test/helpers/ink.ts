/** A small harness over ink-testing-library: wait for frames instead of sleeping. */
import type {render} from 'ink-testing-library';

type Rendered = ReturnType<typeof render>;

export async function waitForFrame(app: Rendered, predicate: (frame: string) => boolean, timeoutMs = 3000): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const frame = app.lastFrame() ?? '';
		if (predicate(frame)) return frame;
		if (Date.now() > deadline) throw new Error(`frame never matched; last frame:\n${frame}`);
		await new Promise(resolve => setImmediate(resolve));
		await new Promise(resolve => setTimeout(resolve, 5));
	}
}

/** Type a key and wait until the frame shows its effect. */
export async function press(app: Rendered, key: string, until: (frame: string) => boolean): Promise<string> {
	// Let useInput subscribe before the first key (ink-testing-library pitfall).
	await new Promise(resolve => setTimeout(resolve, 20));
	app.stdin.write(key);
	try {
		return await waitForFrame(app, until);
	} catch (error) {
		throw new Error(`after key ${JSON.stringify(key)}: ${(error as Error).message}`);
	}
}

export const keys = {left: '\u001B[D', right: '\u001B[C', up: '\u001B[A', down: '\u001B[B', pageUp: '\u001B[5~', pageDown: '\u001B[6~', home: '\u001B[H', end: '\u001B[F'};
