// Prints the monitor's frames for a scenario at 12 positions (tsc output in dist/source), for
// test/ink-output-patch.test.ts: run with and without scripts/ink-output-hook.mjs.
import '../../dist/source/production.js';
import React from 'react';
import {renderToString} from 'ink';
import {Player} from '../../dist/source/player/player.js';
import {loadScenario} from '../../dist/source/sim/scenario.js';
import {Simulation} from '../../dist/source/sim/simulation.js';
import {App} from '../../dist/source/ui/app.js';

const scenario = process.argv[2] ?? 'big-box';
const player = new Player(new Simulation(loadScenario(scenario), {seed: 3}).run().timeline);
const frames = [];
for (let i = 0; i < 12; i++) {
	player.seek(player.startUs + ((player.endUs - player.startUs) * i) / 11);
	// Each position twice: the second frame is drawn from what the first left in the caches.
	for (let k = 0; k < 2; k++) frames.push(renderToString(React.createElement(App, {player, source: scenario, autoplay: false}), {columns: 120}));
}

process.stdout.write(frames.join('\n\f\n'), () => process.exit(0));
