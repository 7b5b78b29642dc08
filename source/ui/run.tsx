/**
 * Running the monitor in a real terminal: alternate screen on, and the
 * terminal always given back — cursor shown, raw mode off, main screen
 * restored — on quit, on an error, and on SIGINT, SIGTERM, SIGHUP (the ssh
 * session dropped) and SIGQUIT (Ctrl-\), each exiting 128 + its number.
 */
import {render} from 'ink';
import process from 'node:process';
import type {Player} from '../player/player.js';
import {App} from './app.js';

const enterAltScreen = '\u001B[?1049h\u001B[H';
const leaveAltScreen = '\u001B[?1049l';
const showCursor = '\u001B[?25h';

/** The signals that end the monitor with the terminal given back, and the shell's exit status for each. */
export const restoringSignals = {SIGHUP: 129, SIGINT: 130, SIGQUIT: 131, SIGTERM: 143} as const;

export type MonitorOptions = {
	/** Start paused at the first cycle. */
	paused?: boolean;
	/** A replay: open at the first cycle, idle gaps compressed. */
	replay?: boolean;
};

export async function runMonitor(player: Player, source: string, kernel?: string, options: MonitorOptions = {}): Promise<void> {
	const stdout = process.stdout;
	let restored = false;
	const restore = () => {
		if (restored) return;
		restored = true;
		try {
			if (process.stdin.isTTY) process.stdin.setRawMode?.(false);
			stdout.write(showCursor + leaveAltScreen);
		} catch {
			// SIGHUP: the terminal may be gone already (EIO); nothing is left to restore.
		}
	};

	// A replay opens at its first cycle, not at boot; --paused waits there (a simulation's first cycle is its first write).
	const openAtUs = options.replay ? player.firstCycleUs : player.startUs;
	if (options.replay || options.paused) player.seek(options.paused ? player.firstCycleUs : openAtUs);
	stdout.write(enterAltScreen);
	const onQuit = (code: number) => {
		process.exitCode = code;
	};

	const instance = render(
		<App player={player} source={source} kernel={kernel} autoplay={!options.paused} openAtUs={openAtUs} onQuit={onQuit} />,
		{exitOnCtrlC: false, patchConsole: false, maxFps: 30},
	);
	const onSignal = (signal: NodeJS.Signals) => {
		try {
			instance.unmount();
		} catch {
			// The terminal may be gone (SIGHUP): restore what can be.
		}

		restore();
		process.exit(restoringSignals[signal as keyof typeof restoringSignals] ?? 143);
	};

	const onCrash = (error: unknown) => {
		instance.unmount();
		restore();
		process.stderr.write(`quiesce: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
		process.exit(1);
	};

	for (const signal of Object.keys(restoringSignals)) process.once(signal, onSignal);
	process.once('uncaughtException', onCrash);
	process.once('unhandledRejection', onCrash);
	process.once('exit', restore);
	try {
		await instance.waitUntilExit();
	} finally {
		instance.cleanup();
		restore();
		for (const signal of Object.keys(restoringSignals)) process.off(signal, onSignal);
	}
}
