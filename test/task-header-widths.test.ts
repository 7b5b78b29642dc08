/**
 * sched_show_task() headers with numbers shorter than their field: the
 * left-aligned "%-5d" pads after the number (kernel/sched/core.c of each
 * era, quoted beside each case). The other tests used a 5-digit pid and
 * tgid, where a missing pad cannot show.
 */
import {describe, expect, it} from 'vitest';
import * as fmt from '../source/kernel/log-format.js';
import {resolveKernel} from '../source/kernel/profiles.js';

const kworker: fmt.TaskDump = {comm: 'kworker/0:1', state: 'D', pid: 727, tgid: 727, ppid: 2, taskFlags: 0x20_80_40, flags: 0x40_00, stack: []};

describe('sched_show_task() header widths', () => {
	it('6.0–6.5 " stack:%-5lu pid:%-5d ppid:%-6d flags:0x%08lx"', () => {
		expect(fmt.taskHeader({...resolveKernel('6.1'), taskHeader: 'left'}, kworker)).toBe('task:kworker/0:1     state:D stack:0     pid:727   ppid:2      flags:0x00004000');
	});

	it('6.6–6.16 " stack:%-5lu pid:%-5d tgid:%-5d ppid:%-6d flags:0x%08lx"', () => {
		expect(fmt.taskHeader(resolveKernel('6.6.30'), kworker)).toBe('task:kworker/0:1     state:D stack:0     pid:727   tgid:727   ppid:2      flags:0x00004000');
	});

	it('6.17 " stack:%-5lu pid:%-5d tgid:%-5d ppid:%-6d task_flags:0x%04x flags:0x%08lx"', () => {
		expect(fmt.taskHeader(resolveKernel('6.17'), kworker)).toBe('task:kworker/0:1     state:D stack:0     pid:727   tgid:727   ppid:2      task_flags:0x208040 flags:0x00004000');
	});
});
