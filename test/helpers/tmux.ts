/** The real-terminal tests need tmux: without it they fail and say how to install it, never skip. */
import {execaSync} from 'execa';

export function requireTmux(): void {
	try {
		execaSync('tmux', ['-V']);
	} catch {
		throw new Error('tmux is required for the real-terminal tests: apt-get install -y tmux (.ci/run installs it in CI)');
	}
}

/**
 * A tmux server of its own (`-L name`), with the few things every real-terminal test does:
 * run tmux, read the pane `t`, wait for the screen to show something (or fail with the screen).
 */
export function tmuxServer(name: string) {
	const socket = `${name}-${process.pid}`;
	const tmux = (...args: string[]) => String(execaSync('tmux', ['-L', socket, ...args], {reject: false}).stdout);
	const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
	const screen = () => tmux('capture-pane', '-p', '-t', 't');
	async function until(predicate: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (!predicate()) {
			if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen:\n${screen()}`);
			await sleep(100);
		}
	}

	return {socket, tmux, sleep, screen, until};
}
