/**
 * Every errno a kernel log line can carry, by number, with its symbolic name:
 * include/uapi/asm-generic/errno-base.h (1–34), include/uapi/asm-generic/errno.h
 * (35–133) and the kernel-internal codes of include/linux/errno.h (512–530),
 * which user space never sees but PM callbacks do return (ERESTARTSYS from an
 * interrupted wait, ENOTSUPP from a driver, EPROBE_DEFER). Architectures with
 * their own numbering (alpha, mips, parisc, sparc) are not covered.
 *
 * errno.ts keeps the small table the simulator answers writes with; this one
 * names whatever number a real log prints.
 */
const names: Record<number, string> = {
	1: 'EPERM', 2: 'ENOENT', 3: 'ESRCH', 4: 'EINTR', 5: 'EIO', 6: 'ENXIO', 7: 'E2BIG', 8: 'ENOEXEC', 9: 'EBADF', 10: 'ECHILD',
	11: 'EAGAIN', 12: 'ENOMEM', 13: 'EACCES', 14: 'EFAULT', 15: 'ENOTBLK', 16: 'EBUSY', 17: 'EEXIST', 18: 'EXDEV', 19: 'ENODEV', 20: 'ENOTDIR',
	21: 'EISDIR', 22: 'EINVAL', 23: 'ENFILE', 24: 'EMFILE', 25: 'ENOTTY', 26: 'ETXTBSY', 27: 'EFBIG', 28: 'ENOSPC', 29: 'ESPIPE', 30: 'EROFS',
	31: 'EMLINK', 32: 'EPIPE', 33: 'EDOM', 34: 'ERANGE', 35: 'EDEADLK', 36: 'ENAMETOOLONG', 37: 'ENOLCK', 38: 'ENOSYS', 39: 'ENOTEMPTY', 40: 'ELOOP',
	42: 'ENOMSG', 43: 'EIDRM', 61: 'ENODATA', 62: 'ETIME', 67: 'ENOLINK', 71: 'EPROTO', 74: 'EBADMSG', 75: 'EOVERFLOW', 84: 'EILSEQ',
	95: 'EOPNOTSUPP', 103: 'ECONNABORTED', 104: 'ECONNRESET', 105: 'ENOBUFS', 107: 'ENOTCONN', 108: 'ESHUTDOWN', 110: 'ETIMEDOUT', 111: 'ECONNREFUSED',
	112: 'EHOSTDOWN', 113: 'EHOSTUNREACH', 114: 'EALREADY', 115: 'EINPROGRESS', 121: 'EREMOTEIO', 122: 'EDQUOT', 125: 'ECANCELED',
	512: 'ERESTARTSYS', 513: 'ERESTARTNOINTR', 514: 'ERESTARTNOHAND', 515: 'ENOIOCTLCMD', 516: 'ERESTART_RESTARTBLOCK', 517: 'EPROBE_DEFER',
	518: 'EOPENSTALE', 519: 'ENOPARAM', 521: 'EBADHANDLE', 522: 'ENOTSYNC', 523: 'EBADCOOKIE', 524: 'ENOTSUPP', 525: 'ETOOSMALL', 526: 'ESERVERFAULT',
	527: 'EBADTYPE', 528: 'EJUKEBOX', 529: 'EIOCBQUEUED', 530: 'ERECALLCONFLICT',
};

/** "EBUSY" for -16 or 16; undefined for 0 and for numbers Linux does not define. */
export function errnoName(code: number): string | undefined {
	return names[Math.abs(code)];
}
