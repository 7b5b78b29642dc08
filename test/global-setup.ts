/**
 * Tests that spawn the CLI or the risk worker threads run `dist/`: build it
 * from the current source once per test run (tsc is incremental, so after
 * `npm test`'s own build this is a no-op check), never trust a stale one.
 */
import {execaSync} from 'execa';
import type {TestProject} from 'vitest/node';
import {packageRoot} from '../source/paths.js';

export default function setup(project: TestProject): void {
	execaSync('npx', ['tsc', '-p', packageRoot()], {stdio: 'inherit'});
	project.provide('distBuiltThisRun', true);
}

declare module 'vitest' {
	export interface ProvidedContext {
		distBuiltThisRun: boolean;
	}
}
