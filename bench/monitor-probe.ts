/**
 * Child of the monitor bench (issue 18 row "interactive replay of an 86 MB log"): builds the
 * monitor's player from a trace exactly as `quiesce replay PATH` does on a terminal (one timeline
 * source: commands/replay.ts feedPlayer into Player.open), then seeks to 20 positions spread by a
 * fixed PRNG and asks what a frame asks there (stateNow, evidenceNow, paneTail, cycleAt, the pace
 * label). With `objects` as second argument, the player is built as before issue 18 (every event an
 * object in one array), for the before/after figures. Prints JSON {events, loadSeconds, seekMs: [...]}; the peak RSS comes from rss-probe.
 */
import '../source/production.js';
import {performance} from 'node:perf_hooks';
import {feedPlayer, readTimeline} from '../source/commands/replay.js';
import type {TimelineEvent} from '../source/events.js';
import {planTrace} from '../source/trace/bundle.js';
import {Player} from '../source/player/player.js';
import {boundHeapGrowth} from '../source/player/heap.js';
// The monitor's modules (Ink, React, the panes) are in memory when it plays: load them, as the CLI does.
await import('../source/ui/run.js');

const file = process.argv[2]!;
const start = performance.now();
let player: Player;
if (process.argv[3] === 'objects') {
	// The monitor before issue 18: the whole timeline as objects, then a player over the array.
	const events: TimelineEvent[] = [];
	await readTimeline(planTrace(file), batch => {
		for (const e of batch) events.push(e);
	}, () => undefined);
	player = new Player(events);
} else {
	boundHeapGrowth();
	player = Player.open();
	await feedPlayer(file, player, {messages: []});
}

const loadSeconds = (performance.now() - start) / 1000;

let seed = 0x9e3779b9;
const random = () => {
	seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
	return seed / 2 ** 32;
};

// The first frame (before any key): the pace plan is built, the state at the opening position reduced.
void player.paceLabel;
player.stateNow();
const seekMs: number[] = [];
let sink = 0;
for (let i = 0; i < 20; i++) {
	const t = player.startUs + random() * (player.endUs - player.startUs);
	const begin = performance.now();
	player.seek(t);
	const state = player.stateNow();
	const evidence = player.evidenceNow();
	const tail = player.paneTail(30, 0, 'all');
	const cycle = player.cycleAt();
	sink += Object.keys(state.devices).length + tail.entries.length + cycle.k + Number(evidence.readAfterWrite) + player.paceLabel.length;
	seekMs.push(performance.now() - begin);
}

console.log(JSON.stringify({events: player.length, loadSeconds, seekMs, sink}));
