import type {Prng} from './prng.js';
import type {Duration} from './scenario-schema.js';

/** A scenario duration: fixed, or uniform in [min, max] from the seeded PRNG. */
export function draw(duration: Duration, rng: Prng): number {
	return typeof duration === 'number' ? duration : rng.int(duration[0], duration[1]);
}
