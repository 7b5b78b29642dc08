// Mutation testing: `npm run mutate` (every folder below) or
// `npm run mutate -- --mutate source/kernel/sysfs.ts` (one file).
// Slow on two cores — not part of CI. Scores per folder are in the README.
/**
 * thresholds.break per folder run (MUTATE_TESTS=<folder>), from its last complete run: the whole
 * folder mutated, its own test set (figures in the README). Only folders with a complete run.
 */
const breakFor = {
	kernel: 95, // 96.5 % (1332/1380), measured before main's sysfs.ts additions of 2026-11-25
	rules: 85, // 85.6 %
};

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
	// break: the score each folder's own run reached (MUTATE_TESTS=<folder>, the whole folder mutated;
	// README, development section). Those runs use the folder's test set, so their score is a lower
	// bound of the whole suite's: a run of the same folder with every test (no MUTATE_TESTS) meets it too.
	// The default run (`npm run mutate`: every folder at once, every test) gets a break once every folder
	// has a complete score: trace/, monitor/ and capture/ do not yet, so it has none. A one-file run
	// (`--mutate source/kernel/stacks.ts`) is judged by the same number as its folder and may fall below it.
	thresholds: {high: 90, low: 80, break: breakFor[process.env.MUTATE_TESTS ?? ''] ?? null},
	// Surviving mutants judged equivalent (no test can tell them apart; not excluded, listed here):
	// - rehearsal/rules.ts, 'no-overflow': `r.kind === 'trigger'` → `true`. Only a trigger record
	//   carries busBefore (session.ts, case 'trigger'), so the filter keeps the same records.
	// - rehearsal/rules.ts, 'drain' and 'collateral': `f.data?.['timedOut']` → `f.data['timedOut']`.
	//   The `&&` before it limits it to 'dma-not-stopped' faults, and the simulator raises every one
	//   of those with data (sim/activation.ts: `data: {...hit}`).
	// - Quick pre-tests that only skip work (the rules after them reject the same lines):
	//   kernel/recognise.ts recogniseOnce() `!mayMatch.test(message)` → false, kernel/callback-lines.ts
	//   parseCallbackLine() `!mayMatch.test(message)` → false (every pattern needs "call", "returned"
	//   or "drv:"), kernel/driver-errors.ts driverError() `!mayBeFailure.test(message)` → false
	//   (every failureWord match contains fail/error/time, case-insensitively).
	// - kernel/recognise.ts, the speed-ups that never change a result (test/recognise-dispatch.test.ts
	//   checks dispatch against every rule on every fixture line): the one-message memory
	//   `message === lastMessage` → false; rulesFor() recomputing or not caching (`!list` → true,
	//   the four mutants of `rulesByFirstChar.size < 256`), keeping every rule (`rules.filter(…)` →
	//   `rules`, its predicate → true): a rule firstCharOf() leaves out cannot match that line anyway.
	// - kernel/recognise.ts firstCharOf(): `i < source.length` → `<=` (source[length] is undefined and
	//   matches no branch).
	// - kernel/recognise.ts task dumps: `m[1]!.trim()` → `m[1]!` (both rules). The lazy group
	//   before `\s+` never ends in a blank and starts after "task:" or with \S: trim() has nothing to cut.
	// - kernel/releases.ts parseRelease(): major `(\d+)` → `(\d)` (no supported series has a
	//   two-digit major). kernel/profiles.ts resolveKernel(): `/^v/` → `/v/` (parseRelease accepts a
	//   "v" only in front). releaseTableMarkdown(): `/\.0$/` → `/\.0/` twice (no since/until in the
	//   table is X.0.Z with Z > 0, so the first ".0" is the last) and the `'\\|'` escapes → '' twice
	//   (no behaviour text or commit subject holds a "|"): equivalent for the table as it stands.
	// - kernel/sysfs.ts writeDimmActivate(): `request = 'disarm'` → `request = ''`: request is only
	//   ever compared with 'arm'.
	// - kernel/pm-failures.ts int(): `s === undefined` → false: every rule calling it has a
	//   mandatory group, so s is never undefined.
	// - kernel/stacks.ts: `stack.join(' ')` → `join('')` (no syscall pattern starts with a character a
	//   frame can end with: hex digit or "]"); `rip.padStart(12, '0')` → `padStart(12, '')` (the
	//   simulated RIP always has 12 hex digits).
	// - trace/stream.ts: `new StringDecoder('utf8')` → `''` and `Buffer.byteLength(line, 'utf8')` → `''`
	//   (Node takes an empty encoding as utf8: `new StringDecoder('').encoding === 'utf8'`,
	//   `Buffer.byteLength('ü', '') === 2`); flush's default `force = false` → true (every call passes
	//   force); streamLogFile()'s input `format: 'log'` → '' (streamLog reads every format but the
	//   JSON/export ones as text), `compression: 'none'` → '' (streamLog never reads it) and
	//   `close: () => stream.destroy()` → no-op (for-await over a Readable destroys it on end, break or throw).
	// - trace/sysfs-parser.ts secondsToUs(): `us <= maxStampUs` → `<` (no seconds text with at most nine
	//   decimals rounds to exactly 2^53 − 1 µs: 9007199254.740991 × 10^6 rounds to 2^53 in doubles).
	//   isPollHeader(): `first > 0` → true or `>= 0` (with no path or a path first, the clock test runs on
	//   no columns, or the last column is not a path), `.slice(0, first).some(…)` → `fields.some(…)` (a
	//   /sys/ path is never a clock name). parseSysfsText(): the trailing-'' `lines.pop()` → never (a
	//   blank line is skipped anyway); grep's `(.*)$` and grep-error `(.*)$` → without `$` (a line holds no
	//   newline, `.*` runs to its end). parsePollTable(): `i < firstPath` → true or `<=` (isPollHeader()
	//   makes every column from the first path on a path, so a clock is always before it);
	//   `fields[clock] ?? ''` → marker string (secondsToUs() rejects both); `last = []` →
	//   `["Stryker was here"]` (differs only for a first value equal to that marker).
	// - trace/ndctl-parser.ts index(): `dev ?? ''` → marker string (every caller passes a string dev).
	//   repair(): the closers loop from `stack.length + 1` (the extra `undefined` joins as '').
	//   dropDanglingKey() and trimTrailingComma(): each blank-skipping loop's `end > 0` → true or `>= 0`
	//   (at the start, text[-1] is undefined and `/\s/.test(undefined)` is false: the loop stops there
	//   anyway). lineOf(): `at === -1` → false or `at === +1` (the count is 1 either way: no newline
	//   before a match at -1 or 1) and `i < at` → `<=` (text[at] is the quote of "dev", never a newline).
	//   parseNdctlText(): the capability's `method !== undefined` → true (Object.hasOwn(table, undefined)
	//   is false).
	// Survivors left, not equivalent (README):
	// - kernel/stacks.ts userRegisters(): the 12 arithmetic mutants of the simulated register values.
	//   They are made-up user-space values (each 16 hex digits, tested); no kernel fact says which
	//   numbers, and a test pinning them would only repeat the code.
	// - kernel/pm-failures.ts 'image-save-failed' (4 no coverage) and kernel/recognise.ts
	//   "Suspending system (…)"/"Image … progress" without "PM: " (2 no coverage): no real or
	//   kernel-source line of that wording was found; a test would need an invented line.
	// Candidates not decided yet (need a drill the fixtures do not have, so left as survivors):
	// 'drain' with undrained DMA that does not time out, 'goal' for a DIMM without firmware ops,
	// 'collateral' for a callback error, 'method' on a platform without firmware/capability.
	tempDirName: '.stryker-tmp',
	cleanTempDir: 'always',
};
