import type {Writable} from 'node:stream';
import type {Scenario} from '../sim/scenario-files.js';
import {jsonVersion} from '../json-version.js';

/** `quiesce scenarios`: each built-in scenario with its one-line description. */
export function listScenarios(out: Writable, json: boolean, scenarios: readonly Scenario[]): void {
	const rows = scenarios.map(scenario => ({name: scenario.name, description: scenario.description, expect: scenario.expect, method: scenario.method, dimms: scenario.dimms.count}));
	if (json) {
		for (const row of rows) out.write(JSON.stringify({version: jsonVersion, ...row}) + '\n');
		return;
	}

	const width = Math.max(...rows.map(r => r.name.length));
	for (const row of rows) out.write(`${row.name.padEnd(width, ' ')}  ${row.description}\n`);
}
