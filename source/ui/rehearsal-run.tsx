/** The rehearsal screen in a terminal (commands/rehearse.tsx loads this only for an interactive drill). */
import {render} from 'ink';
import type {DrillReport} from '../rehearsal/report.js';
import type {DrillSession} from '../rehearsal/session.js';
import {RehearsalApp} from './rehearsal-app.js';

export async function showRehearsal(session: DrillSession, onFinish: (report: DrillReport) => void, onQuit: (code: number) => void): Promise<void> {
	const instance = render(<RehearsalApp session={session} onFinish={onFinish} onQuit={onQuit} />, {exitOnCtrlC: false, patchConsole: false});
	await instance.waitUntilExit();
}
