/**
 * What one monitor frame costs in CPU time, in process, with React's production build (as the CLI runs it):
 *  - mount: the first frame of a fresh tree (renderToString: layout and output);
 *  - update: the next frame after the player moved, in a mounted monitor (Ink's own render to a
 *    terminal-sized stream: reconcile, layout, output), median over positions across the run;
 *  - the Text and Box nodes of that frame (Ink's host nodes, counted in its tree);
 * each against a one-line frame rendered the same way.
 */
import {EventEmitter} from 'node:events';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {Text, render, renderToString, type DOMElement} from 'ink';
import {Player} from '../source/player/player.js';
import {loadScenario} from '../source/sim/scenario.js';
import {Simulation} from '../source/sim/simulation.js';
import {App} from '../source/ui/app.js';
import {packageRoot} from '../source/paths.js';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** CPU ms of this process (all its threads: GC included), so that other load on the machine does not count. */
function cpuMs(): number {
	const {user, system} = process.cpuUsage();
	return (user + system) / 1000;
}

/** Run `work` `repeat` times; CPU ms per run. */
function timed(work: () => void, repeat = 1): number {
	const start = cpuMs();
	for (let i = 0; i < repeat; i++) work();
	return (cpuMs() - start) / repeat;
}

/** A terminal of a given size that keeps only the count of bytes written. */
class Terminal extends EventEmitter {
	isTTY = true;
	bytes = 0;
	constructor(readonly columns: number, readonly rows: number) {
		super();
	}

	write = (text: string) => {
		this.bytes += text.length;
		return true;
	};
}

/** A keyboard nobody types on. */
class Keyboard extends EventEmitter {
	isTTY = true;
	setEncoding() {}
	setRawMode() {}
	resume() {}
	pause() {}
	ref() {}
	unref() {}
	read() {
		return null;
	}
}

export type NodeCount = {text: number; box: number};

/** Ink's host nodes under a root: ink-text and ink-virtual-text (a Text inside a Text), ink-box. */
export function countNodes(node: DOMElement): NodeCount {
	const count = {text: 0, box: 0};
	const walk = (n: DOMElement) => {
		if (n.nodeName === 'ink-text' || n.nodeName === 'ink-virtual-text') count.text++;
		else if (n.nodeName === 'ink-box') count.box++;
		for (const child of n.childNodes) if (child.nodeName !== '#text') walk(child);
	};

	walk(node);
	return count;
}

/** Ink's instance for a stream: its module that maps streams to instances, the same one ink's render uses. */
async function inkRoot(stdout: Terminal): Promise<DOMElement> {
	const instancesUrl = pathToFileURL(path.join(packageRoot(), 'node_modules', 'ink', 'build', 'instances.js')).href;
	const {default: instances} = (await import(instancesUrl)) as {default: WeakMap<object, {rootNode: DOMElement}>};
	const instance = instances.get(stdout);
	if (!instance) throw new Error('no Ink instance for the bench terminal');
	return instance.rootNode;
}

export type FrameCost = {mountMs: number; updateMs: number; baselineMs: number; baselineUpdateMs: number; nodes: NodeCount; frames: number};

export async function frameCost(scenario: string, columns = 120, rows = 40, positions = 40): Promise<FrameCost> {
	const sim = new Simulation(loadScenario(scenario), {seed: 1}).run();
	const player = new Player(sim.timeline);
	const at = Array.from({length: positions}, (_, i) => player.startUs + ((player.endUs - player.startUs) * i) / (positions - 1));
	const element = () => <App player={player} source={scenario} autoplay={false} />;

	const mount = at.map(t => {
		player.seek(t);
		return timed(() => renderToString(element(), {columns}));
	});
	// A one-line frame is too quick for the CPU clock alone: 20 of them per figure.
	const baseline = at.map(() => timed(() => renderToString(<Text>quiesce</Text>, {columns}), 20));

	const stdout = new Terminal(columns, rows);
	const options = {stdout: stdout as never, stdin: new Keyboard() as never, stderr: new Terminal(columns, rows) as never, debug: true, exitOnCtrlC: false, patchConsole: false};
	player.seek(at[0]!);
	const app = render(element(), options);
	const root = await inkRoot(stdout);
	let nodes: NodeCount = {text: 0, box: 0};
	const update = at.slice(1).map(t => {
		player.seek(t);
		const ms = timed(() => app.rerender(element()));
		const count = countNodes(root);
		if (count.text > nodes.text) nodes = count;
		return ms;
	});
	app.unmount();
	app.cleanup();

	const line = new Terminal(columns, rows);
	const one = render(<Text>quiesce 0</Text>, {...options, stdout: line as never});
	let n = 0;
	const baselineUpdate = at.map(() => timed(() => one.rerender(<Text>quiesce {n++}</Text>), 20));
	one.unmount();
	one.cleanup();
	return {mountMs: median(mount), updateMs: median(update), baselineMs: median(baseline), baselineUpdateMs: median(baselineUpdate), nodes, frames: positions};
}
