/**
 * The stacks a stuck task shows in a freeze-failure dump, frame by frame:
 * every frame in %pS form ("symbol+0xoff/0xsize", " [module]" for a module's
 * symbol, the offset inside the function), and the call chain the kernel
 * source gives — the other tests only looked at the first or last frame.
 *
 * - ≥5.16 page-cache read (mm/filemap.c): filemap_read() → filemap_get_pages()
 *   → … folio_wait_bit_common() → io_schedule() → schedule() → __schedule(),
 *   entered through ksys_read()/vfs_read() from do_syscall_64().
 * - 5.10 (mm/filemap.c): generic_file_buffered_read() → wait_on_page_bit_common(),
 *   through new_sync_read() (fs/read_write.c).
 * - a kernel thread (fs/jbd2/journal.c kjournald2() → jbd2_journal_commit_transaction()
 *   → out_of_line_wait_on_bit() → __wait_on_bit() → bit_wait_io()), started by kthread()
 *   from ret_from_fork (and ret_from_fork_asm since "x86/entry: Convert ret_from_fork to C").
 */
import {describe, expect, it} from 'vitest';
import {resolveKernel} from '../source/kernel/profiles.js';
import {stuckTaskStack} from '../source/kernel/stacks.js';

const symbols = (stack: string[]) => stack.map(frame => frame.replace(/\+0x[\da-f]+\/0x[\da-f]+(?: \[\w+\])?$/, ''));

function expectPsFrames(stack: string[]): void {
	for (const frame of stack) {
		const m = /^(\w+)\+0x([\da-f]+)\/0x([\da-f]+)(?: \[(\w+)\])?$/.exec(frame);
		expect(m, frame).not.toBeNull();
		expect(Number.parseInt(m![2]!, 16), frame).toBeLessThan(Number.parseInt(m![3]!, 16));
	}
}

describe('stuck task stacks', () => {
	it('≥5.16: a read blocked on a page-cache folio', () => {
		const stack = stuckTaskStack(resolveKernel('6.1'), 'user');
		expectPsFrames(stack);
		expect(symbols(stack)).toEqual(['__schedule', 'schedule', 'io_schedule', 'folio_wait_bit_common', 'filemap_get_pages', 'filemap_read', 'vfs_read', 'ksys_read', 'do_syscall_64', 'entry_SYSCALL_64_after_hwframe']);
	});

	it('5.10: a read blocked on a page', () => {
		const stack = stuckTaskStack(resolveKernel('5.10'), 'user');
		expectPsFrames(stack);
		expect(symbols(stack)).toEqual(['__schedule', 'schedule', 'io_schedule', 'wait_on_page_bit_common', 'generic_file_buffered_read', 'new_sync_read', 'vfs_read', 'ksys_read', 'do_syscall_64', 'entry_SYSCALL_64_after_hwframe']);
	});

	it('a jbd2 kernel thread, with and without ret_from_fork_asm', () => {
		const chain = ['__schedule', 'schedule', 'io_schedule', 'bit_wait_io', '__wait_on_bit', 'out_of_line_wait_on_bit', 'jbd2_journal_commit_transaction', 'kjournald2', 'kthread'];
		const k617 = stuckTaskStack(resolveKernel('6.17'), 'kernel');
		const k510 = stuckTaskStack(resolveKernel('5.10'), 'kernel');
		for (const stack of [k617, k510]) expectPsFrames(stack);
		expect(symbols(k617)).toEqual([...chain, 'ret_from_fork', 'ret_from_fork_asm']);
		expect(symbols(k510)).toEqual([...chain, 'ret_from_fork']);
		// jbd2 is a module: its frames carry " [jbd2]".
		expect(k617.filter(f => f.endsWith(' [jbd2]')).map(f => f.replace(/\+.*/, ''))).toEqual(['jbd2_journal_commit_transaction', 'kjournald2']);
	});
});
