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
	/**
	 * The player's timeline is still being read (a pipe): `done` settles at the end of input. The
	 * monitor opens at once, follows the end until the first cycle arrives, then opens there. An
	 * error that ends the reading before any event ends the monitor and is thrown once the terminal
	 * is back; after some events, the monitor says so and it is thrown when the monitor quits.
	 */
	reading?: {label: string; done: Promise<void>};
	/** Where keys come from when standard input is the log (`dmesg | quiesce replay -`): the terminal. */
	keys?: NodeJS.ReadStream;
};

export async function runMonitor(player: Player, source: string, kernel?: string, options: MonitorOptions = {}): Promise<void> {
	const stdout = process.stdout;
	const keys = options.keys ?? process.stdin;
	let restored = false;
	const restore = () => {
		if (restored) return;
		restored = true;
		try {
			if (keys.isTTY) keys.setRawMode?.(false);
			stdout.write(showCursor + leaveAltScreen);
		} catch {
			// SIGHUP: the terminal may be gone already (EIO); nothing is left to restore.
		}
	};

	// A replay opens at its first cycle, not at boot; --paused waits there (a simulation's first cycle is its first write).
	const openAtUs = options.replay ? player.firstCycleUs : player.startUs;
	if (options.replay || options.paused) player.seek(options.paused ? player.firstCycleUs : openAtUs);
	const opening = options.reading && options.replay ? followUntilFirstCycle(player) : undefined;
	stdout.write(enterAltScreen);
	const onQuit = (code: number) => {
		process.exitCode = code;
	};

	let failure: {error: unknown} | undefined;
	const inputEnd = () => (failure ? `reading ${options.reading!.label} failed: ${oneLine(failure.error)} (printed again on quit)` : `end of input: ${player.length} events read from ${options.reading!.label}`);
	const instance = render(
		<App
			player={player}
			source={source}
			kernel={kernel}
			autoplay={!options.paused}
			openAtUs={options.reading && options.replay ? () => player.firstCycleUs : openAtUs}
			reading={options.reading?.label}
			inputEnd={options.reading ? inputEnd : undefined}
			onQuit={onQuit}
		/>,
		{exitOnCtrlC: false, patchConsole: false, maxFps: 30, stdin: keys},
	);
	options.reading?.done.catch((error: unknown) => {
		failure = {error};
		if (player.length === 0) instance.unmount();
		else player.finish();
	});
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
		opening?.();
		instance.cleanup();
		restore();
		for (const signal of Object.keys(restoringSignals)) process.off(signal, onSignal);
	}

	if (failure) throw failure.error;
}

function oneLine(error: unknown): string {
	return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}

/**
 * While a replay's input is read: keep the position at the end so far (the newest lines on
 * screen) until the first cycle arrives, then open there, as a replay of a file does — unless
 * the person moved meanwhile. Returns the unsubscription.
 */
export function followUntilFirstCycle(player: Player): () => void {
	// Unknown before the first events (their arrival moves the position to their start).
	let placed = player.length > 0 ? player.position : undefined;
	const unsubscribe = player.subscribe(() => {
		if (placed !== undefined && player.position !== placed) {
			unsubscribe(); // moved by a key: theirs from now on
			return;
		}

		if (player.cycleStarts.length > 0) {
			player.seek(player.firstCycleUs);
			unsubscribe();
			return;
		}

		if (!player.complete) player.seek(player.endUs);
		placed = player.position;
	});
	return unsubscribe;
}
