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
 *
 * MUTATE_TESTS=<folder> narrows the run to the tests written for that folder
 * (the sets below). Measured on the shared two-core machine, a mutant in
 * kernel/recognise.ts is reached by hundreds of tests (every replay, every
 * screen) and a surviving one costs a minute or more to run them all: the whole
 * suite would take ~10 h for kernel/ alone. With a set, a mutant is killed or
 * survives by that folder's own tests only, so the score is a lower bound of
 * the whole suite's (a mutant the set misses may still be caught elsewhere).
 */
import {defineConfig} from 'vitest/config';

const testSets: Record<string, string[]> = {
	kernel: [
		'test/kernel-*.test.ts',
		'test/log-format.test.ts',
		'test/releases.test.ts',
		'test/quiet-exec.test.ts',
		'test/traces.test.ts',
		'test/device-timeline.test.ts',
		'test/failures.test.ts',
		'test/readme.test.ts',
		'test/driver-errors.test.ts',
		'test/recognise-dispatch.test.ts',
		'test/sim-kernel-facts.test.ts',
		// Written against the mutation run's survivors (issue 14):
		'test/recognise-signals.test.ts',
		'test/callback-line-forms.test.ts',
		'test/driver-error-lines.test.ts',
		'test/task-header-widths.test.ts',
		'test/release-names.test.ts',
		'test/sysfs-writes.test.ts',
		'test/quiet-exec-steps.test.ts',
		'test/pm-failure-texts.test.ts',
		'test/driver-callback-names.test.ts',
		'test/stuck-task-stacks.test.ts',
	],
	trace: [
		'test/log-parser.test.ts',
		'test/inputs.test.ts',
		'test/stream.test.ts',
		'test/hostile-replay.test.ts',
		'test/record-replay.test.ts',
		'test/properties.test.ts',
		'test/traces.test.ts',
		'test/failures.test.ts',
		'test/device-timeline.test.ts',
		'test/device-errors-per-cycle.test.ts',
		'test/driver-errors.test.ts',
		// Written against the mutation run's survivors (issue 14):
		'test/writes-capture.test.ts',
		'test/stream-batches.test.ts',
		'test/sysfs-dump-layouts.test.ts',
		'test/ndctl-list-shapes.test.ts',
	],
	monitor: [
		'test/selectors.test.ts',
		'test/summary.test.ts',
		'test/failures.test.ts',
		'test/cycle-boundaries.test.ts',
		'test/traces.test.ts',
		'test/properties.test.ts',
		'test/player.test.ts',
		'test/reduce-immutable.test.ts',
		'test/reduce-in-place.test.ts',
		'test/outcome-panel.test.tsx',
		'test/device-errors-per-cycle.test.ts',
		'test/driver-errors.test.ts',
		'test/record-replay.test.ts',
	],
	rules: ['test/rules.test.ts'],
	capture: ['test/capture.test.ts'],
};

const set = process.env['MUTATE_TESTS'];
if (set !== undefined && !(set in testSets)) throw new Error(`MUTATE_TESTS=${set}: expected one of ${Object.keys(testSets).join(', ')}`);

export default defineConfig({
	test: {
		include: set ? testSets[set] : ['test/**/*.test.ts', 'test/**/*.test.tsx'],
		exclude: ['**/node_modules/**', 'test/tmux.test.ts', 'test/cli.test.ts', 'test/replay-cli.test.ts', 'test/risk.test.ts', 'test/process-promises.test.ts', 'test/promises.test.tsx'],
		testTimeout: 30_000,
		// Two cores shared while mutants run: a wall-clock test may miss its window once.
		retry: 2,
		pool: 'forks',
		// Stryker switches non-static mutants at run time (ignoreStatic: true), so the
		// modules can stay loaded between mutants: re-importing the simulator and ink
		// for each mutant was most of its cost.
		isolate: false,
		globalSetup: ['test/global-setup.ts'],
	},
});
