/**
 * Child process of the trace bench: stream-parse one log file through the
 * monitor reducer and report lines, seconds and peak RSS as JSON.
 */
import {performance} from 'node:perf_hooks';
import process from 'node:process';
import {reduce} from '../source/monitor/reducer.js';
import {initialState} from '../source/monitor/state.js';
import {streamLogFile} from '../source/trace/stream.js';

const file = process.argv[2]!;
const withReducer = process.argv[3] !== 'parse-only';
let state = initialState();
const start = performance.now();
const result = await streamLogFile(file, {
	onBatch(events) {
		if (withReducer) for (const event of events) state = reduce(state, event);
	},
});
const seconds = (performance.now() - start) / 1000;
console.log(JSON.stringify({lines: result.lines, bytes: result.bytes, seconds, maxRssMb: process.resourceUsage().maxRSS / 1024, cycles: state.cycles.length}));
