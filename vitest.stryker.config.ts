/**
 * The test run Stryker uses for each mutant (see stryker.config.mjs).
 * Same tests as `npm test` minus those that only drive a separate process
 * (the built CLI in tmux or execa, risk worker threads): a mutant lives in the
 * instrumented source inside the vitest process, so those tests can never see
 * it, and with perTest coverage they would only slow the static mutants down.
 * promises.test.tsx (every screen of every scenario at 80×24) is left out
 * for time: ui.test.tsx covers the same monitor code in a fraction of it.
 * The global setup builds dist/ once (from the sandbox's instrumented source,
 * which the remaining CLI-spawning tests run with no mutant active).
 */
import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
		exclude: ['**/node_modules/**', 'test/tmux.test.ts', 'test/cli.test.ts', 'test/replay-cli.test.ts', 'test/risk.test.ts', 'test/process-promises.test.ts', 'test/promises.test.tsx'],
		testTimeout: 30_000,
		// Two cores shared while mutants run: a wall-clock test may miss its window once.
		retry: 2,
		pool: 'forks',
		globalSetup: ['test/global-setup.ts'],
	},
});
