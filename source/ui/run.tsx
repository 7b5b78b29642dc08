/**
 * Running the monitor in a real terminal: alternate screen on, and the
 * terminal always given back — cursor shown, raw mode off, main screen
 * restored — on quit, on an error, on SIGINT and on SIGTERM.
 */
import {render} from 'ink';
import process from 'node:process';
import type {Player} from '../player/player.js';
import {App} from './app.js';

const enterAltScreen = '\u001B[?1049h\u001B[H';
const leaveAltScreen = '\u001B[?1049l';
const showCursor = '\u001B[?25h';

/** Replays compress idle gaps between cycles to this (asciinema's idle-time limit). */
export const idleLimitUs = 2_000_000;

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
		if (process.stdin.isTTY) process.stdin.setRawMode?.(false);
		stdout.write(showCursor + leaveAltScreen);
	};

	// A replay opens at its first cycle, not at boot; --paused waits there (a simulation's first cycle is its first write).
	const openAtUs = options.replay ? player.firstCycleUs : player.startUs;
	if (options.replay || options.paused) player.seek(options.paused ? player.firstCycleUs : openAtUs);
	stdout.write(enterAltScreen);
	const onQuit = (code: number) => {
		process.exitCode = code;
	};

	const instance = render(
		<App player={player} source={source} kernel={kernel} autoplay={!options.paused} openAtUs={openAtUs} idleLimitUs={options.replay ? idleLimitUs : undefined} onQuit={onQuit} />,
		{exitOnCtrlC: false, patchConsole: false, maxFps: 30},
	);
	const onSignal = (signal: NodeJS.Signals) => {
		instance.unmount();
		restore();
		process.exit(signal === 'SIGINT' ? 130 : 143);
	};

	const onCrash = (error: unknown) => {
		instance.unmount();
		restore();
		process.stderr.write(`quiesce: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
		process.exit(1);
	};

	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	process.once('uncaughtException', onCrash);
	process.once('unhandledRejection', onCrash);
	process.once('exit', restore);
	try {
		await instance.waitUntilExit();
	} finally {
		instance.cleanup();
		restore();
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
	}
}
