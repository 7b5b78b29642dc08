/**
 * A drill in progress: the operator's commands, each turned into what an
 * operator does on a real host — sysfs reads and writes through the
 * simulator's shell (answered by kernel/ via sim/, no second model), a look
 * at the host, draining a workload, fixing a stuck task — with the answers.
 */
import type {ActionEvent} from '../events.js';
import {errnos} from '../kernel/errno.js';
import {sysfsPaths} from '../kernel/sysfs.js';
import {normalisePath, Simulation} from '../sim/simulation.js';
import type {Drill} from './drill.js';

export type RecordKind = 'inspect' | 'read' | 'write' | 'arm' | 'disarm' | 'noidle' | 'trigger' | 'verify' | 'drain' | 'resolve' | 'decide' | 'finish' | 'help' | 'wait' | 'error';

export type ActionRecord = {
	/** Simulated time when the command was given (µs). */
	t: number;
	command: string;
	kind: RecordKind;
	answer: string;
	/** The bus state just before a trigger. */
	busBefore?: string;
	method?: string;
	paths?: string[];
	target?: string;
	decision?: string;
};

export const decisions = ['power-cycle', 'restage', 'replace', 'retry', 'none'] as const;

export const commandHelp: Array<[string, string]> = [
	['inspect', 'look at the host: tasks in D state, adapters moving data'],
	['read PATH', 'read a sysfs file (e.g. ndbus0/firmware/activate, nmem3/firmware/result)'],
	['write PATH VALUE', 'write a sysfs file'],
	['arm all | nmemN[,nmemM] | N-M', 'arm DIMMs (disarm likewise)'],
	['noidle on|off', 'set nfit/firmware_activate_noidle'],
	['trigger quiesce|live', 'write the activation method to ndbus0/firmware/activate'],
	['verify', 'read the bus state and every armed DIMM\'s result'],
	['drain DEVICE', 'stop the workload driving a device (e.g. drain 0000:3b:00.0)'],
	['resolve COMM', 'fix what holds a task in D state (e.g. resolve fio)'],
	['decide nmemN power-cycle|restage|replace|retry|none', 'record what follows for a DIMM'],
	['wait 5s', 'let time pass on the host (up to 600 s)'],
	['finish', 'end the drill and get the report'],
];

function expandPath(p: string): string {
	const path = normalisePath(p);
	return /^(?:ndbus|nmem)\d+\//.test(path) ? `bus/nd/devices/${path}` : path;
}

export class DrillSession {
	readonly sim: Simulation;
	readonly records: ActionRecord[] = [];
	/** The host as it was when the drill began (what a careful operator would have seen). */
	readonly initial: ReturnType<Simulation['inspect']>;
	finished = false;

	constructor(
		readonly drill: Drill,
		readonly seed: number,
	) {
		this.sim = new Simulation(drill.scenarioData, {seed, script: false});
		this.sim.start();
		this.initial = this.sim.inspect();
	}

	/** Run one operator command; returns the answer text. */
	run(command: string): string {
		const text = command.trim();
		const [verb = '', ...args] = text.split(/\s+/);
		const record: ActionRecord = {t: this.sim.now, command: text, kind: 'error', answer: ''};
		this.records.push(record);
		if (this.finished) return (record.answer = 'the drill is over');
		try {
			record.answer = this.execute(verb, args, record);
		} catch (error) {
			record.kind = 'error';
			record.answer = (error as Error).message;
		}

		// Think time: operators take seconds between commands.
		this.sim.advanceTo(this.sim.now + 2_000_000);
		return record.answer;
	}

	private shell(commands: Array<{write: string; value: string} | {read: string}>): ActionEvent[] {
		const before = this.sim.timeline.length;
		for (const command of commands) this.sim.submit(command, 'operator');
		this.sim.run();
		return this.sim.timeline.slice(before).filter((e): e is ActionEvent => e.kind === 'action' && e.result !== null);
	}

	private dimmNames(spec: string[]): number[] {
		const all = this.sim.host.dimms.map(d => d.index);
		if (spec.length === 0) throw new Error('which DIMMs? (all, nmem0,nmem1 or 0-3)');
		const out = new Set<number>();
		for (const part of spec.join(',').split(',').filter(Boolean)) {
			if (part === 'all') all.forEach(i => out.add(i));
			else if (/^\d+-\d+$/.test(part)) {
				const [a, b] = part.split('-').map(Number);
				for (let i = a!; i <= b!; i++) out.add(i);
			} else if (/^(?:nmem)?\d+$/.test(part)) out.add(Number(part.replace('nmem', '')));
			else throw new Error(`not a DIMM: ${part}`);
		}

		for (const i of out) if (!all.includes(i)) throw new Error(`no such DIMM: nmem${i}`);
		return [...out].sort((a, b) => a - b);
	}

	private execute(verb: string, args: string[], record: ActionRecord): string {
		const bus = sysfsPaths.busActivate(0);
		switch (verb) {
			case 'help': {
				record.kind = 'help';
				return commandHelp.map(([c, h]) => `${c} — ${h}`).join('\n');
			}

			case 'inspect': {
				record.kind = 'inspect';
				const seen = this.sim.inspect();
				const tasks = seen.stuckTasks.length === 0 ? 'no task in D state' : seen.stuckTasks.map(t => `task ${t.comm} (pid ${t.pid}) in D state`).join('; ');
				const dma = seen.dma.length === 0 ? 'no adapter moving data' : seen.dma.map(d => `${d.device} moving data${d.stopsOnFreeze ? '' : ' — its freeze callback is not known to stop DMA'}`).join('; ');
				return `${tasks}. ${dma}.`;
			}

			case 'read': {
				record.kind = 'read';
				record.paths = [expandPath(args[0] ?? '')];
				return this.shell([{read: record.paths[0]!}]).map(describe).join('\n');
			}

			case 'write': {
				record.kind = 'write';
				const path = expandPath(args[0] ?? '');
				record.paths = [path];
				return this.shell([{write: path, value: `${args.slice(1).join(' ')}\n`}]).map(describe).join('\n');
			}

			case 'arm':
			case 'disarm': {
				record.kind = verb;
				const dimms = this.dimmNames(args);
				return this.shell(dimms.map(i => ({write: sysfsPaths.dimmActivate(i), value: `${verb}\n`}))).map(describe).join('\n');
			}

			case 'noidle': {
				record.kind = 'noidle';
				if (args[0] !== 'on' && args[0] !== 'off') throw new Error('noidle on|off');
				return this.shell([{write: sysfsPaths.busNoidle(0), value: args[0] === 'on' ? '1\n' : '0\n'}]).map(describe).join('\n');
			}

			case 'trigger': {
				record.kind = 'trigger';
				const method = args[0];
				if (method !== 'quiesce' && method !== 'live') throw new Error('trigger quiesce|live');
				record.method = method;
				const state = this.sim.peek(bus);
				record.busBefore = state.ok ? state.value : state.errno;
				return this.shell([{write: bus, value: `${method}\n`}]).map(describe).join('\n');
			}

			case 'verify': {
				record.kind = 'verify';
				const dimms = this.sim.host.dimms.filter(d => d.tookPart || d.armed).map(d => d.index);
				const reads = [bus, ...dimms.map(i => sysfsPaths.dimmResult(i))];
				record.paths = reads;
				return this.shell(reads.map(read => ({read}))).map(describe).join('\n');
			}

			case 'drain': {
				record.kind = 'drain';
				record.target = args.join(' ');
				if (!this.sim.drain(record.target)) throw new Error(`no such device: ${record.target}`);
				return `${record.target}: workload stopped, no more DMA traffic`;
			}

			case 'resolve': {
				record.kind = 'resolve';
				record.target = args[0] ?? '';
				if (!this.sim.resolveTask(record.target)) throw new Error(`no task ${record.target} in D state`);
				return `${record.target}: back in an interruptible sleep; it will freeze`;
			}

			case 'decide': {
				record.kind = 'decide';
				const [dimm, decision] = args;
				if (!dimm || !/^nmem\d+$/.test(dimm) || !(decisions as readonly string[]).includes(decision ?? '')) throw new Error(`decide nmemN ${decisions.join('|')}`);
				record.target = dimm;
				record.decision = decision;
				return `${dimm}: ${decision} noted`;
			}

			case 'wait': {
				record.kind = 'wait';
				const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(args[0] ?? '');
				const us = m ? Number(m[1]) * (m[2] === 'ms' ? 1000 : m[2] === 'm' ? 60_000_000 : 1_000_000) : Number.NaN;
				if (!(us > 0 && us <= 600_000_000)) throw new Error('wait DURATION (e.g. wait 5s, wait 500ms; at most 600 s)');
				const stuckBefore = this.sim.inspect().stuckTasks;
				this.sim.advanceTo(this.sim.now + us);
				const seen = this.sim.inspect();
				const woke = stuckBefore.filter(t => !seen.stuckTasks.some(s => s.pid === t.pid));
				const wokeText = woke.map(t => `task ${t.comm} (pid ${t.pid}) left D state${t.wakesAtUs === undefined ? '' : ` at ${(t.wakesAtUs / 1e6).toFixed(3)} s`}; `).join('');
				return `${args[0]} passed. ${wokeText}${seen.stuckTasks.length === 0 ? 'no task in D state' : seen.stuckTasks.map(t => `task ${t.comm} (pid ${t.pid}) still in D state`).join('; ')}.`;
			}

			case 'finish': {
				record.kind = 'finish';
				this.finished = true;
				return 'drill finished';
			}

			default: {
				throw new Error(`unknown command "${verb}" (try help)`);
			}
		}
	}
}

function describe(event: ActionEvent): string {
	const where = event.path.replace(/^bus\/nd\/devices\//, '');
	if (!event.result) return `${where}: …`;
	if (!event.result.ok) return `${where}${event.op === 'write' ? ` <- ${(event.value ?? '').trim()}` : ''}: -${event.result.code} ${event.result.errno} (${errnos[event.result.errno].message})`;
	return event.op === 'read' ? `${where} = ${event.result.value ?? ''}` : `${where} <- ${(event.value ?? '').trim()}: ok`;
}
