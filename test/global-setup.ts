/**
 * Tests that spawn the CLI run the published bin, dist/bundle/ (scripts/build.mjs); the risk worker
 * threads, the fuzz harness and a few process tests run the tsc output in dist/. Build both from the
 * current source once per test run (tsc is incremental, so after `npm test`'s own build it is a
 * no-op check; the bundle takes about a second), never trust a stale one.
 */
import {execaSync} from 'execa';
import path from 'node:path';
import type {TestProject} from 'vitest/node';
import {packageRoot} from '../source/paths.js';

export default function setup(project: TestProject): void {
	execaSync('npx', ['tsc', '-p', packageRoot()], {stdio: 'inherit'});
	execaSync('node', [path.join(packageRoot(), 'scripts', 'build.mjs')], {stdio: 'inherit'});
	project.provide('distBuiltThisRun', true);
}

declare module 'vitest' {
	export interface ProvidedContext {
		distBuiltThisRun: boolean;
	}
}
