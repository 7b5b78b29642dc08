/**
 * A driver reporting an error with dev_err() (include/linux/dev_printk.h: "<driver> <device>: <msg>"),
 * with a negative errno in its text: e.g. drivers/usb/typec/ucsi/ucsi.c ucsi_resume_work()
 * "failed to re-enable notifications (%d)", drivers/thermal/thermal_core.c "failed to read out
 * thermal zone (%d)". Inside a suspend, hibernation or activation such a line means a device did
 * not come back fully even when the cycle itself completed. Only the device-prefixed form with an
 * errno is taken: without one, "failed" alone is too common in chatter to count.
 */
const prefixed = /^(\S+) (\S+): (?!PM: )(.*)$/;
const failureWord = /\bfail(?:ed|s|ure)?\b|\berror\b|\btimed out\b|\btimeout\b/i;
// "(-110)", "error -5", "err -16", "ret -22", "returned -19", "rc=-5", "= -5", ": -5" at the end.
const errnoInText = /\((-\d{1,4})\)|\b(?:error|err|ret|returned|rc|status)\s*[=:]?\s*(-\d{1,4})\b|[=:] ?(-\d{1,4})$/i;

export type DriverError = {device: string; text: string; errno: number};

/**
 * Every driver error's text holds one of failureWord's words, in any case: most lines fail this test.
 * Spelled case by case rather than with the `i` flag because kernel/line-filter.ts joins the sources
 * of the readers' prechecks into one regex without flags (sound/soc/codecs/wm8962.c:
 * dev_err(dev, "Failed to resume: %d\n", ret) has no lower-case "fail"; before, it was dropped).
 */
export const driverErrorPrecheck = /[Ff][Aa][Ii][Ll]|[Ee][Rr][Rr][Oo][Rr]|[Tt][Ii][Mm][Ee]/;

export function driverError(message: string): DriverError | undefined {
	if (!driverErrorPrecheck.test(message)) return undefined;
	const m = prefixed.exec(message);
	if (!m || !failureWord.test(m[3]!)) return undefined;
	const e = errnoInText.exec(m[3]!);
	if (!e) return undefined;
	const errno = Number(e[1] ?? e[2] ?? e[3]);
	if (!(errno < 0 && errno >= -4095)) return undefined; // MAX_ERRNO (include/linux/err.h)
	return {device: `${m[1]} ${m[2]}`, text: m[3]!, errno};
}
