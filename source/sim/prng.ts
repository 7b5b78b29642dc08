/**
 * Seeded PRNG (sfc32, seeded through splitmix32). The only source of
 * randomness in the model: no Math.random, no wall clock.
 */
export class Prng {
	private a: number;
	private b: number;
	private c: number;
	private d: number;

	constructor(seed: number) {
		let s = seed >>> 0;
		const next = () => {
			s = (s + 0x9e_37_79_b9) | 0;
			let z = s;
			z = Math.imul(z ^ (z >>> 16), 0x85_eb_ca_6b);
			z = Math.imul(z ^ (z >>> 13), 0xc2_b2_ae_35);
			return (z ^ (z >>> 16)) >>> 0;
		};

		this.a = next();
		this.b = next();
		this.c = next();
		this.d = next();
		for (let i = 0; i < 12; i++) this.nextUint32();
	}

	nextUint32(): number {
		const t = (((this.a + this.b) | 0) + this.d) | 0;
		this.d = (this.d + 1) | 0;
		this.a = this.b ^ (this.b >>> 9);
		this.b = (this.c + (this.c << 3)) | 0;
		this.c = (this.c << 21) | (this.c >>> 11);
		this.c = (this.c + t) | 0;
		return t >>> 0;
	}

	/** Uniform in [0, 1). */
	next(): number {
		return this.nextUint32() / 4_294_967_296;
	}

	/** Uniform integer in [min, max] (inclusive). */
	int(min: number, max: number): number {
		const lo = Math.ceil(Math.min(min, max));
		const hi = Math.floor(Math.max(min, max));
		return lo + Math.floor(this.next() * (hi - lo + 1));
	}

	/** True with probability p; certain outcomes (0, 1) draw nothing, so they never shift a stream. */
	chance(p: number): boolean {
		if (p >= 1) return true;
		if (p <= 0) return false;
		return this.next() < p;
	}

	/** A child stream, so adding draws in one place does not shift another. */
	fork(label: string): Prng {
		let h = this.nextUint32();
		for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01_00_01_93);
		return new Prng(h >>> 0);
	}
}
