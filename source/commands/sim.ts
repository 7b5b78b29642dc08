import type {Writable} from 'node:stream';
import {TimelinePrinter} from '../headless/printer.js';
import type {KernelId} from '../kernel/profiles.js';
import {outcomeLine} from '../sim/outcome.js';
import {loadScenarioForRun} from '../sim/scenario-load.js';
import type {Scenario} from '../sim/scenario-files.js';
import {Simulation} from '../sim/simulation.js';
import {jsonVersion} from '../json-version.js';

export type SimArgs = {
	scenario: string;
	seed: number;
	kernel?: KernelId;
	json: boolean;
};

/**
 * With the default loader the scenario must have been prepared (sim/scenario-load.ts
 * prepareScenario); a caller off the start-up path may pass scenario.ts loadScenario instead.
 */
export function createSimulation(args: SimArgs, load: (ref: string) => Scenario = loadScenarioForRun): Simulation {
	const scenario = load(args.scenario);
	return new Simulation(scenario, {seed: args.seed, kernel: args.kernel});
}

/** `quiesce sim --headless`: the whole timeline with its phase changes, then a one-line outcome. */
export function runHeadless(args: SimArgs, out: Writable): string {
	const sim = createSimulation(args);
	const printer = new TimelinePrinter(out, args.json);
	sim.onEvent(event => printer.push(event));
	sim.run();
	const outcome = sim.outcome();
	printer.line(
		args.json
			? JSON.stringify({kind: 'outcome', version: jsonVersion, t: sim.now, scenario: sim.scenario.name, seed: args.seed, kernel: sim.kernel.id, outcome: outcome.kind, ...withoutKind(outcome)})
			: `# ${outcomeLine(outcome)} [scenario ${sim.scenario.name}, seed ${args.seed}, kernel ${sim.kernel.id}]`,
	);
	printer.flush();
	return outcome.kind;
}

function withoutKind<T extends {kind: unknown}>(value: T): Omit<T, 'kind'> {
	const {kind: _kind, ...rest} = value;
	return rest;
}
