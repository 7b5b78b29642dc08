/**
 * The bundle keeps Ink's output caches across frames, reuses the rows that did not change and
 * measures each text once (scripts/ink-output-patch.mjs): frames
 * must be byte for byte those of the unpatched Ink, and the published bundle must hold the patch.
 */
import {readFileSync, readdirSync} from 'node:fs';
import path from 'node:path';
import {execa} from 'execa';
import {describe, expect, it} from 'vitest';
import {packageRoot} from '../source/paths.js';
import {ensureBuilt} from './helpers/cli.js';

const root = packageRoot();
const script = path.join(root, 'test', 'process', 'monitor-frames.mjs');
const env = {FORCE_COLOR: '1'};

describe('Ink output caches shared across frames', () => {
	it.each(['default', 'task-wont-freeze', 'big-box'])('%s: every frame is the same as with the unpatched Ink, colours included', async scenario => {
		const plain = await execa('node', [script, scenario], {cwd: root, env});
		const patched = await execa('node', ['--import', './scripts/ink-output-hook.mjs', script, scenario], {cwd: root, env});
		expect(plain.stdout.split('\n\f\n')).toHaveLength(24);
		expect(plain.stdout).toMatch(/\u001B\[/); // colour on, so styles are compared too
		expect(patched.stdout).toBe(plain.stdout);
	}, 60_000);

	it('the published bundle holds the patch', () => {
		ensureBuilt();
		const dir = path.join(root, 'dist', 'bundle');
		const chunks = readdirSync(dir).filter(f => f.endsWith('.js')).map(f => readFileSync(path.join(dir, f), 'utf8'));
		expect(chunks.some(text => text.includes('framesCaches()'))).toBe(true);
		expect(chunks.some(text => /rowText\(line, ?y\)/.test(text) && text.includes('sharedBlankCell'))).toBe(true);
		expect(chunks.some(text => /currentWidth ?= ?measure\w*\(text\)\.width/.test(text))).toBe(true);
	});
});
