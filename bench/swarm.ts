/**
 * npm run swarm -- --seeds N [--from S]: seeded swarm runs with random
 * faults (source/sim/swarm.ts). Prints the seed and a one-line reproduction
 * on the first invariant violation and exits 1.
 */
import process from 'node:process';
import {reproduction, swarm} from '../source/sim/swarm.js';

function option(name: string, fallback: number): number {
	const at = process.argv.indexOf(`--${name}`);
	if (at === -1) return fallback;
	const value = Number(process.argv[at + 1]);
	if (!Number.isInteger(value) || value < 0 || value > 0xff_ff_ff_ff) {
		process.stderr.write(`swarm: --${name}: expected an integer from 0 to 4294967295, got ${process.argv[at + 1] ?? '(nothing)'}\n`);
		process.exit(2);
	}

	return value;
}

const count = option('seeds', 1000);
const from = option('from', 1);
const started = Date.now();
const result = swarm(from, count, done => {
	if (done % 1000 === 0) process.stderr.write(`swarm: ${done}/${count} seeds ok\n`);
});
if (result.failure) {
	const {seed, violations, scenario} = result.failure;
	process.stdout.write(`swarm: seed ${seed} violates: ${violations.join('; ')}\n`);
	process.stdout.write(`swarm: scenario kernel ${scenario.kernel}, method ${scenario.method}, ${scenario.dimms.count} DIMMs, ${scenario.devices.length} devices\n`);
	process.stdout.write(`swarm: reproduce with: ${reproduction(seed)}\n`);
	process.exit(1);
}

process.stdout.write(`swarm: ${result.checked} seeds from ${from}, every invariant held (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
