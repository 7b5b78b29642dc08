import {existsSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

let cached: string | undefined;

/** The package root (where package.json is), from source/ or dist/source/. */
export function packageRoot(): string {
	if (cached) return cached;
	let dir = path.dirname(fileURLToPath(import.meta.url));
	while (!existsSync(path.join(dir, 'package.json'))) {
		const parent = path.dirname(dir);
		if (parent === dir) throw new Error('quiesce: cannot find the package root');
		dir = parent;
	}

	cached = dir;
	return dir;
}

export function fixturesDir(...parts: string[]): string {
	return path.join(packageRoot(), 'fixtures', ...parts);
}
