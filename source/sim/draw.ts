import type {Prng} from './prng.js';
import type {Duration} from './scenario-schema.js';

/** A scenario duration: fixed, or uniform in [min, max] from the seeded PRNG. */
export function draw(duration: Duration, rng: Prng): number {
	if (typeof duration === 'number') return duration;
	if (Array.isArray(duration)) return rng.int(duration[0], duration[1]);
	if ('normal' in duration) return Math.max(0, Math.round(duration.normal.mean + duration.normal.sd * gaussian(rng)));
	return Math.max(0, Math.round(duration.lognormal.median * Math.exp(duration.lognormal.sigma * gaussian(rng))));
}

/** A standard normal draw (Box–Muller) from the seeded PRNG. */
function gaussian(rng: Prng): number {
	const u = 1 - rng.next();
	const v = rng.next();
	return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
