import type {Writable} from 'node:stream';
import {formatEventJson, formatEventText} from '../headless/format.js';
import type {KernelId} from '../kernel/profiles.js';
import {outcomeLine} from '../sim/outcome.js';
import {loadScenario} from '../sim/scenario.js';
import {Simulation} from '../sim/simulation.js';

export type SimArgs = {
	scenario: string;
	seed: number;
	kernel?: KernelId;
	json: boolean;
};

export function createSimulation(args: SimArgs): Simulation {
	const scenario = loadScenario(args.scenario);
	return new Simulation(scenario, {seed: args.seed, kernel: args.kernel});
}

/** `quiesce sim --headless`: the whole timeline, then a one-line outcome. */
export function runHeadless(args: SimArgs, out: Writable): void {
	const sim = createSimulation(args);
	const format = args.json ? formatEventJson : formatEventText;
	const lines: string[] = [];
	const flush = () => {
		if (lines.length > 0) out.write(lines.join('\n') + '\n');
		lines.length = 0;
	};

	sim.onEvent(event => {
		lines.push(format(event));
		if (lines.length >= 512) flush();
	});
	sim.run();
	const outcome = sim.outcome();
	lines.push(
		args.json
			? JSON.stringify({kind: 'outcome', t: sim.now, scenario: sim.scenario.name, seed: args.seed, kernel: sim.kernel.id, outcome: outcome.kind, ...withoutKind(outcome)})
			: `# ${outcomeLine(outcome)} [scenario ${sim.scenario.name}, seed ${args.seed}, kernel ${sim.kernel.id}]`,
	);
	flush();
}

function withoutKind<T extends {kind: unknown}>(value: T): Omit<T, 'kind'> {
	const {kind: _kind, ...rest} = value;
	return rest;
}
