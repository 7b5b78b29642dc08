import {expect} from 'vitest';
import {logCategories} from '../../source/monitor/selectors.js';
import type {Player} from '../../source/player/player.js';

/** Two players built differently (packed, streamed) from the same timeline index it the same way. */
export function expectSameIndexes(built: Player, whole: Player): void {
	expect(built.length).toBe(whole.length);
	expect(built.timeline).toEqual(whole.timeline);
	expect(built.phaseMarks).toEqual(whole.phaseMarks);
	expect(built.cycleStarts).toEqual(whole.cycleStarts);
	expect(built.failures()).toEqual(whole.failures());
	for (const filter of logCategories) expect(built.paneLines(filter)).toEqual(whole.paneLines(filter));
}
