/**
 * The YAML parser, loaded on first use: a run that reads only JSON (the default scenario, every
 * headless path that takes no YAML file) never pays for loading it. Commands that will read YAML
 * load it first with loadYamlParser() (in the bundle: one chunk, instead of the package's 74
 * CommonJS files); any other caller gets it through a synchronous require of the same package
 * (its "node" export, the file `import 'yaml'` loads under Node).
 */
import {createRequire} from 'node:module';

type YamlParse = typeof import('yaml').parse;
let yamlParse: YamlParse | undefined;

export function parseYaml(text: string): unknown {
	yamlParse ??= (createRequire(import.meta.url)('yaml') as typeof import('yaml')).parse;
	return yamlParse(text);
}

/** Load the parser ahead of a synchronous read that will need it. */
export async function loadYamlParser(): Promise<void> {
	// A CommonJS package: Node's import names its exports, a bundled one only has `default`.
	const yaml = (await import('yaml')) as typeof import('yaml') & {default?: typeof import('yaml')};
	yamlParse ??= yaml.parse ?? yaml.default?.parse;
}
