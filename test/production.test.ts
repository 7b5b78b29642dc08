import path from 'node:path';
import {execaSync} from 'execa';
import {describe, expect, it} from 'vitest';
import {packageRoot} from '../source/paths.js';
import {ensureBuilt} from './helpers/cli.js';

describe('the CLI loads the production build of React', () => {
	const probe = (env: Record<string, string | undefined>) => {
		ensureBuilt();
		// The same import order as cli.ts: production.js first, then Ink (which loads React). Node's ESM loader
		// lexes both builds for their exports (cache entries with loaded=false): only the executed one counts.
		const script = `await import(${JSON.stringify(path.join(packageRoot(), 'dist', 'source', 'production.js'))}); await import('ink'); const {createRequire} = await import('node:module'); const require = createRequire(${JSON.stringify(path.join(packageRoot(), 'package.json'))}); console.log(Object.keys(require.cache).filter(k => require.cache[k].loaded && /react[\\\\/]cjs[\\\\/]react\\.(production|development)/.test(k)).map(k => k.replace(/.*cjs[\\\\/]/, '')).join(','));`;
		return String(execaSync('node', ['--input-type=module', '-e', script], {cwd: packageRoot(), env, extendEnv: false}).stdout).trim();
	};

	it('NODE_ENV unset: react.production.js, never the development build', () => {
		expect(probe({PATH: process.env['PATH']})).toBe('react.production.js');
	});

	it('an explicit NODE_ENV is respected', () => {
		expect(probe({PATH: process.env['PATH'], NODE_ENV: 'development'})).toBe('react.development.js');
	});

	it('cli.ts imports production.js before anything else', async () => {
		const {readFileSync} = await import('node:fs');
		const cli = readFileSync(path.join(packageRoot(), 'source', 'cli.ts'), 'utf8');
		expect(cli.split('\n').find(line => line.startsWith('import '))).toBe("import './production.js';");
	});
});
