/**
 * The errno values this tool meets, with the text `strerror()` gives for them
 * (glibc wording), so that a refused sysfs write reads like the shell would
 * report it: `echo quiesce > .../activate` → "No such device or address".
 */
export const errnos = {
	ENOENT: {code: 2, message: 'No such file or directory'},
	EIO: {code: 5, message: 'Input/output error'},
	ENXIO: {code: 6, message: 'No such device or address'},
	EAGAIN: {code: 11, message: 'Resource temporarily unavailable'},
	ENOMEM: {code: 12, message: 'Cannot allocate memory'},
	EACCES: {code: 13, message: 'Permission denied'},
	EBUSY: {code: 16, message: 'Device or resource busy'},
	ENODEV: {code: 19, message: 'No such device'},
	EINVAL: {code: 22, message: 'Invalid argument'},
	ENOTTY: {code: 25, message: 'Inappropriate ioctl for device'},
	ETIMEDOUT: {code: 110, message: 'Connection timed out'},
	EOPNOTSUPP: {code: 95, message: 'Operation not supported'},
	/** Kernel-internal 524; user space sees it as "Unknown error 524". */
	ENOTSUPP: {code: 524, message: 'Unknown error 524'},
} as const;

export type ErrnoName = keyof typeof errnos;

export const errnoNames = Object.keys(errnos) as ErrnoName[];

export function errnoCode(name: ErrnoName): number {
	return errnos[name].code;
}

export function errnoByCode(code: number): ErrnoName | undefined {
	const positive = Math.abs(code);
	return errnoNames.find(name => errnos[name].code === positive);
}

export function isErrnoName(value: string): value is ErrnoName {
	return Object.hasOwn(errnos, value);
}
