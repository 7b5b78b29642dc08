/** The real-terminal tests need tmux: without it they fail and say how to install it, never skip. */
import {execaSync} from 'execa';

export function requireTmux(): void {
	try {
		execaSync('tmux', ['-V']);
	} catch {
		throw new Error('tmux is required for the real-terminal tests: apt-get install -y tmux (.ci/run installs it in CI)');
	}
}
