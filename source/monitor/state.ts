/**
 * The monitor's state: everything the panes show, derived from events by
 * the reducer in reducer.ts. Plain data, so it can be printed as JSON and
 * compared across sources.
 */
import type {StageId} from '../kernel/quiet-exec.js';

export type PhaseStatus = 'pending' | 'running' | 'done' | 'failed' | 'unwound' | 'skipped';

export type Phase = {
	id: StageId;
	label: string;
	status: PhaseStatus;
	startUs?: number;
	endUs?: number;
	/** e.g. tasks frozen n/N, devices frozen n/N (total when known). */
	progress?: {done: number; total?: number; what: string};
	detail?: string;
};

export type CycleKind = 'fwa-quiesce' | 'fwa-live' | 'suspend' | 'hibernate' | 'freeze';

export type Cycle = {
	kind: CycleKind;
	/** suspend: the sleep state (deep, s2idle, mem); hibernate: platform/test. */
	detail?: string;
	startUs: number;
	endUs?: number;
	phases: Phase[];
	status: 'running' | 'ok' | 'failed';
	failure?: string;
	userFrozenFromUs?: number;
	userFrozenToUs?: number;
	/** The bus write's result, for firmware activations. */
	write?: string;
	refusing: Array<{comm: string; pid?: number; state?: string}>;
};

export type Quiesce = {
	state: 'idle' | 'running' | 'done' | 'refused';
	method?: string;
	budgetUs?: number;
	estimateUs?: number;
	stallUs?: number;
	startUs?: number;
	endUs?: number;
	forceIdle?: boolean;
	refusal?: string;
};

export type DimmView = {name: string; activate?: string; result?: string; current?: string | null; next?: string | null};

export type DeviceView = {
	name: string;
	pm: string;
	errors: string[];
	dmaInflight?: number;
	dmaTimedOut?: boolean;
	completionTimeoutUs?: number;
};

export type Warning = {t: number; severity: 'warn' | 'crit'; text: string; where?: string};

export type MonitorState = {
	t: number;
	source: {scenario?: string; seed?: number; kernel?: string; description?: string};
	cycle?: Cycle;
	/** The latest completed cycles (at most maxCycles); `totals` counts them all. */
	cycles: Cycle[];
	totals: {cycles: number; failed: number};
	quiesce: Quiesce;
	bus: {present: boolean; name?: string; capability?: string; activate?: string; noidle?: string};
	dimms: Record<string, DimmView>;
	devices: Record<string, DeviceView>;
	power: Record<string, string>;
	warnings: Warning[];
	log: {count: number; errors: number; warnings: number};
};

export function initialState(): MonitorState {
	return {
		t: 0,
		source: {},
		cycles: [],
		totals: {cycles: 0, failed: 0},
		quiesce: {state: 'idle'},
		bus: {present: false},
		dimms: {},
		devices: {},
		power: {},
		warnings: [],
		log: {count: 0, errors: 0, warnings: 0},
	};
}
