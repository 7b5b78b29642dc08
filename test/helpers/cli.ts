import {existsSync} from 'node:fs';
import path from 'node:path';
import {execa, execaSync, type Options} from 'execa';
import {packageRoot} from '../../source/paths.js';

export const cliPath = path.join(packageRoot(), 'dist', 'source', 'cli.js');

/** The built CLI (npm test builds first; a bare `vitest` run builds here). */
export function ensureBuilt(): void {
	if (!existsSync(cliPath)) execaSync('npx', ['tsc', '-p', packageRoot()], {stdio: 'inherit'});
}

export async function quiesce(args: string[], options: Options = {}) {
	ensureBuilt();
	return execa('node', [cliPath, ...args], {reject: false, stdin: 'ignore', env: {NO_COLOR: '', FORCE_COLOR: ''}, ...options});
}
