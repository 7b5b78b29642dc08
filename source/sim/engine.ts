/**
 * Discrete-event engine: an integer µs virtual clock and a queue ordered by
 * (time, sequence) so ties run first-in first-out, deterministically.
 * Processes are generators that yield how many µs to sleep.
 */
export type Process = Generator<number, void, void>;

type Entry = {t: number; seq: number; run: () => void};

export class Engine {
	now: number;
	private readonly heap: Entry[] = [];
	private seq = 0;

	constructor(startUs: number) {
		this.now = startUs;
	}

	schedule(delayUs: number, run: () => void): void {
		const delay = Math.max(0, Math.round(delayUs));
		this.push({t: this.now + delay, seq: this.seq++, run});
	}

	/** Run a process: each `yield n` sleeps n µs of virtual time. */
	spawn(process: Process, onDone?: () => void): void {
		const advance = () => {
			const next = process.next();
			if (next.done) onDone?.();
			else this.schedule(next.value, advance);
		};

		this.schedule(0, advance);
	}

	get pending(): number {
		return this.heap.length;
	}

	peekTime(): number | undefined {
		return this.heap[0]?.t;
	}

	/** Run the next scheduled entry; false when nothing is left. */
	step(): boolean {
		const entry = this.pop();
		if (!entry) return false;
		this.now = entry.t;
		entry.run();
		return true;
	}

	/** Run every entry due at or before `t`, then set the clock to `t`. */
	runUntil(t: number): void {
		while (this.heap.length > 0 && this.heap[0]!.t <= t) this.step();
		if (t > this.now) this.now = t;
	}

	private push(entry: Entry): void {
		const heap = this.heap;
		heap.push(entry);
		let i = heap.length - 1;
		while (i > 0) {
			const parent = (i - 1) >> 1;
			if (!before(heap[i]!, heap[parent]!)) break;
			[heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
			i = parent;
		}
	}

	private pop(): Entry | undefined {
		const heap = this.heap;
		const top = heap[0];
		const last = heap.pop();
		if (heap.length > 0 && last) {
			heap[0] = last;
			let i = 0;
			for (;;) {
				const l = 2 * i + 1;
				const r = l + 1;
				let m = i;
				if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
				if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
				if (m === i) break;
				[heap[i], heap[m]] = [heap[m]!, heap[i]!];
				i = m;
			}
		}

		return top;
	}
}

function before(a: Entry, b: Entry): boolean {
	return a.t < b.t || (a.t === b.t && a.seq < b.seq);
}
