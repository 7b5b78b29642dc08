import {existsSync} from 'node:fs';
import path from 'node:path';
import {execa, execaSync, type Options} from 'execa';
import {inject} from 'vitest';
import {packageRoot} from '../../source/paths.js';

/** The published bin: source/cli.ts bundled by scripts/build.mjs. */
export const cliPath = path.join(packageRoot(), 'dist', 'bundle', 'cli.js');

/**
 * The built CLI, from the current source: vitest's global setup
 * (test/global-setup.ts) builds once per run. Only a run without it
 * falls back to building when dist/ is missing.
 */
export function ensureBuilt(): void {
	if (inject('distBuiltThisRun')) return;
	if (!existsSync(cliPath)) execaSync('node', [path.join(packageRoot(), 'scripts', 'build.mjs')], {stdio: 'inherit'});
}

export async function quiesce(args: string[], options: Options = {}) {
	ensureBuilt();
	return execa('node', [cliPath, ...args], {reject: false, stdin: 'ignore', env: {NO_COLOR: '', FORCE_COLOR: ''}, ...options});
}
