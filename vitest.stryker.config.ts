/**
 * The test run Stryker uses for each mutant (see stryker.config.mjs).
 * Same tests as `npm test` minus those that only drive a separate process
 * (the built CLI in tmux or execa, risk worker threads): a mutant lives in the
 * instrumented source inside the vitest process, so those tests can never see
 * it, and with perTest coverage they would only slow the static mutants down.
 */
import {defineConfig, mergeConfig} from 'vitest/config';
import base from './vitest.config.js';

export default mergeConfig(base, defineConfig({
	test: {
		globalSetup: [],
		exclude: ['**/node_modules/**', 'test/tmux.test.ts', 'test/cli.test.ts', 'test/replay-cli.test.ts', 'test/risk.test.ts', 'test/process/**'],
	},
}));
