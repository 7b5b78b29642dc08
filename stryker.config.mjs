// Mutation testing: `npm run mutate` (every folder below) or
// `npm run mutate -- --mutate source/kernel/sysfs.ts` (one file).
// Slow on two cores — not part of CI. Scores per folder are in the README.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
	testRunner: 'vitest',
	vitest: {configFile: 'vitest.stryker.config.ts'},
	coverageAnalysis: 'perTest',
	mutate: [
		'source/kernel/**/*.ts',
		'source/trace/**/*.ts',
		'source/monitor/**/*.ts',
		'source/rehearsal/rules.ts',
		'source/capture/**/*.ts',
	],
	ignorePatterns: ['dist', 'reports', '.stryker-tmp*'],
	reporters: ['clear-text', 'progress', 'html', 'json'],
	// MUTATE_REPORT=name writes reports/mutation/name.{html,json} (one report per folder's run).
	htmlReporter: {fileName: `reports/mutation/${process.env.MUTATE_REPORT ?? 'mutation'}.html`},
	jsonReporter: {fileName: `reports/mutation/${process.env.MUTATE_REPORT ?? 'mutation'}.json`},
	concurrency: 1,
	// Static mutants (module-level tables and regexes, evaluated once at import)
	// would each rerun the whole suite: ~800 of them in kernel/ alone, 8 h on two
	// cores. They are left out of the default run and reported as "Ignored";
	// `npm run mutate -- --ignoreStatic false --mutate FILE` runs them for one file.
	ignoreStatic: true,
	timeoutMS: 20_000,
	// The initial run builds dist/ and runs the suite once with coverage: minutes on a busy machine.
	dryRunTimeoutMinutes: 30,
	// break: set it to the score of the first complete run of every folder (only rules.ts has
	// completed on the shared two-core machine so far: see the README's development section).
	thresholds: {high: 90, low: 80, break: null},
	// Surviving mutants judged equivalent (no test can tell them apart; not excluded, listed here):
	// - rehearsal/rules.ts, 'no-overflow': `r.kind === 'trigger'` → `true`. Only a trigger record
	//   carries busBefore (session.ts, case 'trigger'), so the filter keeps the same records.
	// - rehearsal/rules.ts, 'drain' and 'collateral': `f.data?.['timedOut']` → `f.data['timedOut']`.
	//   The `&&` before it limits it to 'dma-not-stopped' faults, and the simulator raises every one
	//   of those with data (sim/activation.ts: `data: {...hit}`).
	// Candidates not decided yet (need a drill the fixtures do not have, so left as survivors):
	// 'drain' with undrained DMA that does not time out, 'goal' for a DIMM without firmware ops,
	// 'collateral' for a callback error, 'method' on a platform without firmware/capability.
	tempDirName: '.stryker-tmp',
	cleanTempDir: 'always',
};
