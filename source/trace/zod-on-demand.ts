/**
 * zod for the file formats that need it (meta.json, events.ndjson, journal and dmesg JSON, ndctl
 * JSON), loaded on first use: the replay of a plain kernel log never loads it (in the bundle it was
 * ≈ 7 % of a small log's `replay --summary`). Synchronous, as the parsers are: a CommonJS require of
 * the package, as source/yaml.ts does for the YAML parser.
 */
import {createRequire} from 'node:module';

type Zod = typeof import('zod');
let loaded: Zod | undefined;

export function zod(): Zod['z'] {
	loaded ??= createRequire(import.meta.url)('zod') as Zod;
	return loaded.z;
}

/** A value built on first use (a schema, which needs zod). */
export function onFirstUse<T>(build: () => T): () => T {
	let value: T | undefined;
	let built = false;
	return () => {
		if (!built) {
			value = build();
			built = true;
		}

		return value as T;
	};
}
