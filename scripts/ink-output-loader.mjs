// Module load hook: ink/build/output.js patched as scripts/build.mjs patches it in the bundle.
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {inkOutputFile, patchInkOutput} from './ink-output-patch.mjs';

export async function load(url, context, nextLoad) {
	if (url.startsWith('file:') && inkOutputFile.test(fileURLToPath(url))) {
		const patched = patchInkOutput(readFileSync(fileURLToPath(url), 'utf8'));
		if (patched.error) throw new Error(patched.error);
		return {format: 'module', source: patched.contents, shortCircuit: true};
	}

	return nextLoad(url, context);
}
