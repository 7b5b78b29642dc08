/**
 * Plausible stacks of a task the freezer could not freeze, as
 * sched_show_task() dumps them, per release and per kind of task. Facts:
 * a kernel thread never shows system-call frames (it never entered from user
 * space); folio functions exist only from 5.16 (filemap_get_pages ≈5.12,
 * folio_wait_bit_common 5.16); 5.10 reads go through
 * generic_file_buffered_read()/wait_on_page_bit_common(); x86 kernel threads
 * end in ret_from_fork, which ret_from_fork_asm wraps from 6.6 on.
 */
import type {KernelProfile} from './profiles.js';

export type TaskKind = 'user' | 'kernel';

/** A user task blocked in a page-cache read (D state, e.g. on a hung NFS or a dead disk). */
function userReadStack(k: KernelProfile): string[] {
	return k.folios
		? [
			'__schedule+0x2ea/0x8a0',
			'schedule+0x4f/0xc0',
			'io_schedule+0x16/0x40',
			'folio_wait_bit_common+0x13d/0x350',
			'filemap_get_pages+0x5d1/0x660',
			'filemap_read+0xd2/0x340',
			'vfs_read+0x1a4/0x340',
			'ksys_read+0x63/0xe0',
			'do_syscall_64+0x5b/0xc0',
			'entry_SYSCALL_64_after_hwframe+0x6e/0xd8',
		]
		: [
			'__schedule+0x282/0x870',
			'schedule+0x46/0xb0',
			'io_schedule+0x42/0x70',
			'wait_on_page_bit_common+0x10e/0x390',
			'generic_file_buffered_read+0x4fb/0x790',
			'new_sync_read+0x11b/0x1b0',
			'vfs_read+0xf5/0x190',
			'ksys_read+0x5f/0xe0',
			'do_syscall_64+0x33/0x80',
			'entry_SYSCALL_64_after_hwframe+0x44/0xa9',
		];
}

/** A freezable kernel thread waiting for I/O that never completes (jbd2 committing). */
function kthreadStack(k: KernelProfile): string[] {
	const tail = k.retFromForkAsm ? ['ret_from_fork+0x34/0x50', 'ret_from_fork_asm+0x1b/0x30'] : ['ret_from_fork+0x22/0x30'];
	return [
		'__schedule+0x2ea/0x8a0',
		'schedule+0x4f/0xc0',
		'io_schedule+0x16/0x40',
		'bit_wait_io+0x11/0x60',
		'__wait_on_bit+0x42/0x110',
		'out_of_line_wait_on_bit+0x8c/0xb0',
		'jbd2_journal_commit_transaction+0x16c6/0x1a90 [jbd2]',
		'kjournald2+0xab/0x270 [jbd2]',
		'kthread+0xe8/0x120',
		...tail,
	];
}

export function stuckTaskStack(k: KernelProfile, kind: TaskKind): string[] {
	return kind === 'kernel' ? kthreadStack(k) : userReadStack(k);
}

/**
 * A user task's trace ends at its syscall entry, where the x86 unwinder prints
 * the user pt_regs (show_regs_if_on_stack() → __show_regs(): "RIP: 0033:…",
 * then RSP/EFLAGS/ORIG_RAX and the general registers), as in the real 6.17
 * trace. A kernel thread has no user registers. `seed` varies the values.
 */
export function userRegisters(seed: number, syscall = 0): string[] {
	const hex16 = (n: number) => (BigInt(n >>> 0) * 0x1_0001n + 0x7f4a_7300_0000n).toString(16).padStart(16, '0');
	const rip = (0x7f4a_7390_60ed + (seed % 4096) * 16).toString(16);
	return [
		`RIP: 0033:0x${rip}`,
		`RSP: 002b:${hex16(seed * 7)} EFLAGS: 00000246 ORIG_RAX: ${syscall.toString(16).padStart(16, '0')}`,
		`RAX: ffffffffffffffda RBX: ${hex16(seed * 3)} RCX: 0000${rip.padStart(12, '0')}`,
		`RDX: ${hex16(seed * 5)} RSI: ${hex16(seed * 11)} RDI: 0000000000000003`,
		`RBP: ${hex16(seed * 13)} R08: 0000000000000000 R09: 0000000000000000`,
		`R10: 0000000000000000 R11: 0000000000000246 R12: ${hex16(seed * 17)}`,
		`R13: ${hex16(seed * 19)} R14: ${hex16(seed * 23)} R15: ${hex16(seed * 29)}`,
	];
}

/** ORIG_RAX of the syscall a user stack entered through (x86_64 numbers), from its frames. */
export function syscallOf(stack: readonly string[]): number {
	const frames = stack.join(' ');
	if (/pwrite64/.test(frames)) return 18;
	if (/pread64/.test(frames)) return 17;
	if (/ioctl/.test(frames)) return 16;
	if (/ksys_write|vfs_write/.test(frames)) return 1;
	return 0;
}
