import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {packageRoot} from '../source/paths.js';
import {builtinScenarioNames} from '../source/sim/scenario.js';
import {helpRows} from '../source/ui/keymap.js';
import {builtinDrillNames} from '../source/rehearsal/drill.js';
import {commandHelp} from '../source/rehearsal/session.js';
import {releaseTableMarkdown} from '../source/kernel/releases.js';

const readme = readFileSync(path.join(packageRoot(), 'README.md'), 'utf8');

describe('the README stays true', () => {
	it('quick start is two commands: install and run, then test', () => {
		const block = /## Quick start\n\n```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
		expect(block.trim().split('\n').map(l => l.split('#')[0]!.trim())).toEqual(['npm ci && npm start', 'npm test']);
		const pkg = JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as {scripts: Record<string, string>};
		expect(pkg.scripts['start']).toMatch(/cli\.js sim$/);
		expect(readFileSync(path.join(packageRoot(), '.ci', 'run'), 'utf8')).toMatch(/npm ci[\s\S]*npm test/);
	});

	it('lists every key of the monitor, as the keymap says', () => {
		for (const [keys, help] of helpRows()) {
			expect(readme).toContain(`| \`${keys.replaceAll(' / ', '` / `')}\` | ${help} |`);
		}
	});

	it('documents every command and every built-in scenario', () => {
		for (const command of ['quiesce sim', 'quiesce replay', 'quiesce record', 'quiesce capture', 'quiesce rehearse', 'quiesce risk', 'quiesce scenarios']) expect(readme).toContain(command);
		for (const name of builtinScenarioNames()) expect(readme).toContain(`\`${name}\``);
		for (const name of builtinDrillNames()) expect(readme).toContain(`| \`${name}\` |`);
		for (const [command, help] of commandHelp) expect(readme).toContain(`| \`${command}\` | ${help} |`);
	});

	it('shows the kernel release table exactly as source/kernel/releases.ts has it', () => {
		expect(readme).toContain(releaseTableMarkdown());
	});
});
