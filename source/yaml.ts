/**
 * The YAML parser, loaded on first use: a run that reads only JSON (the default scenario, every
 * headless path that takes no YAML file) never pays the ≈40 ms of loading it. A CommonJS require
 * keeps the callers synchronous; it resolves the same file `import 'yaml'` does under Node
 * (the package's "node" export), and stays outside the bundle (scripts/build.mjs).
 */
import {createRequire} from 'node:module';

type YamlParse = typeof import('yaml').parse;
let yamlParse: YamlParse | undefined;

export function parseYaml(text: string): unknown {
	yamlParse ??= (createRequire(import.meta.url)('yaml') as typeof import('yaml')).parse;
	return yamlParse(text);
}
