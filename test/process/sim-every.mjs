// Child process: the headless output of every built-in scenario, for every kernel era and a few
// seeds, as `quiesce sim --headless [--json]` prints it (same function the CLI calls), one
// "scenario kernel seed format sha256 bytes" line each. Run against dist/ (built by the global setup).
import {createHash} from 'node:crypto';
import {Writable} from 'node:stream';
const dist = new URL('../../dist/source/', import.meta.url);
const {runHeadless} = await import(new URL('commands/sim.js', dist).href);
const {builtinScenarioNames} = await import(new URL('sim/scenario.js', dist).href);
const {kernelIds} = await import(new URL('kernel/profiles.js', dist).href);
const {prepareScenario} = await import(new URL('sim/scenario-load.js', dist).href);
for (const scenario of builtinScenarioNames()) {
	await prepareScenario(scenario);
	for (const kernel of kernelIds) {
		for (const seed of [1, 77, 4294967295]) {
			for (const json of [false, true]) {
				const chunks = [];
				const out = new Writable({write(chunk, _e, done) { chunks.push(Buffer.from(chunk)); done(); }});
				runHeadless({scenario, seed, kernel, json}, out);
				const bytes = Buffer.concat(chunks);
				process.stdout.write(`${scenario} ${kernel} ${seed} ${json ? 'json' : 'text'} ${createHash('sha256').update(bytes).digest('hex')} ${bytes.length}\n`);
			}
		}
	}
}
