/** Binary searches over ascending numbers (event times, pace knots, task ready times, indexes). */

/** Index of the first element not less than `value` (the count of elements below it). */
export function lowerBound(sorted: ArrayLike<number>, value: number): number {
	let lo = 0;
	let hi = sorted.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (sorted[mid]! < value) lo = mid + 1;
		else hi = mid;
	}

	return lo;
}

/** Index of the first element greater than `value` (the count of elements at or below it). */
export function upperBound(sorted: ArrayLike<number>, value: number): number {
	let lo = 0;
	let hi = sorted.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (sorted[mid]! <= value) lo = mid + 1;
		else hi = mid;
	}

	return lo;
}
