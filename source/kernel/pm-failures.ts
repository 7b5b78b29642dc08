/**
 * Every way a kernel log says that a suspend, a hibernation (or its restore)
 * or a quiet-exec did not happen, or did not fully happen — one rule per
 * message, in each era's wording, with the kernel function that prints it.
 * Strings were checked against the kernel source (torvalds/linux; the
 * citations name file and function, with the era of each wording).
 *
 * Freezer failures ("Freezing of tasks failed after …") and the device
 * callback lines have their own signals in recognise.ts because they carry
 * more than a reason (the task list, the device, the phase); this table holds
 * the rest, and the shared helpers for errno numbers.
 */
import type {StageId} from './quiet-exec.js';

/** Which part of a cycle a failure belongs to, when the message says so. */
export type FailureStage = StageId | 'restore';

export type PmFailure = {
	/** Stable identifier of the message (one per rule). */
	id: string;
	/** What went wrong, in words (without the errno, which is separate). */
	text: string;
	/** Negative errno when the line prints one, or the source returns a fixed one. */
	errno?: number;
	device?: string;
	stage?: FailureStage;
	/** The kind of cycle only this message belongs to. */
	kind?: 'suspend' | 'hibernate';
	/**
	 * The line is the whole attempt when no cycle runs (the kernel printed
	 * nothing before it): the attempt opens and fails at once.
	 */
	whole?: boolean;
};

type Rule = {id: string; pattern: RegExp; make: (m: RegExpExecArray) => Omit<PmFailure, 'id'>};

const int = (s: string | undefined): number | undefined => (s === undefined ? undefined : Number(s));
/** `PM: `, or `PM: hibernation: ` (pr_fmt of kernel/power/hibernate.c and snapshot.c since ≈5.8). */
const pm = String.raw`^PM: (?:hibernation: )?`;

export const failureRules: Rule[] = [
	// kernel/power/suspend.c enter_state(): s2idle refuses pm_test levels above "platform", returns -EAGAIN
	// (so the write to /sys/power/state fails with EAGAIN). ≥4.x: "for suspend to idle, please choose";
	// 3.x: pr_warning("PM: Unsupported test mode for freeze state,please choose …") — no space after the comma.
	{id: 'unsupported-test-mode', pattern: /^PM: Unsupported test mode for (suspend to idle|freeze state), ?please choose none\/freezer\/devices\/platform/, make: () => ({text: 'unsupported pm_test level for suspend-to-idle (the kernel accepts none/freezer/devices/platform)', errno: -11, kind: 'suspend', whole: true})},
	// kernel/power/suspend.c suspend_devices_and_enter(): pr_err after dpm_suspend_start() failed.
	// 3.2+: "…, or early wake event detected"; 2.6/3.0: "PM: Some devices failed to suspend".
	{id: 'devices-failed-to-suspend', pattern: /^PM: Some devices failed to suspend(?:, or early wake event detected)?/, make: () => ({text: 'some devices failed to suspend, or an early wake event was detected', stage: 'freeze-devices', kind: 'suspend'})},
	// kernel/power/suspend.c suspend_enter(): pr_err("late suspend of devices failed") / ("noirq suspend of devices failed").
	{id: 'late-noirq-suspend-failed', pattern: /^PM: (late|noirq) suspend of devices failed/, make: m => ({text: `${m[1]} suspend of devices failed`, stage: 'freeze-late-noirq', kind: 'suspend'})},
	// kernel/power/hibernate.c create_image() / resume_target_kernel(): dpm_suspend_end() failed.
	// ≥5.8: "PM: hibernation: Some devices failed to power down, aborting"; older "…, aborting hibernation" / "…, aborting resume".
	{id: 'devices-failed-to-power-down', pattern: new RegExp(`${pm}Some devices failed to power down, aborting(?: (hibernation|resume))?`), make: m => ({text: `some devices failed to power down${m[1] === 'resume' ? ' (restore aborted)' : ''}`, stage: m[1] === 'resume' ? 'restore' : 'freeze-late-noirq', kind: 'hibernate'})},
	// kernel/power/hibernate.c create_image(): syscore_suspend() failed.
	{id: 'system-devices-failed', pattern: new RegExp(`${pm}Some system devices failed to power down, aborting`), make: () => ({text: 'some system (syscore) devices failed to power down', stage: 'platform-prep', kind: 'hibernate'})},
	// kernel/power/hibernate.c create_image(): swsusp_arch_suspend() failed.
	// ≥5.8: "PM: hibernation: Error %d creating image"; ≤5.7: "PM: Error %d creating hibernation image".
	{id: 'error-creating-image', pattern: new RegExp(`${pm}Error (-?\\d+) creating (?:hibernation )?image`), make: m => ({text: 'error creating the hibernation image', errno: int(m[1]), stage: 'activation', kind: 'hibernate'})},
	// kernel/power/snapshot.c swsusp_save(): pr_err("Not enough free memory") → -ENOMEM, while creating the image.
	{id: 'not-enough-memory', pattern: new RegExp(`${pm}Not enough free memory`), make: () => ({text: 'not enough free memory for the hibernation image', errno: -12, stage: 'activation', kind: 'hibernate'})},
	// kernel/power/snapshot.c swsusp_save(): pr_err("Memory allocation failed") → -ENOMEM.
	{id: 'memory-allocation-failed', pattern: new RegExp(`${pm}Memory allocation failed`), make: () => ({text: 'memory allocation for the hibernation image failed', errno: -12, stage: 'activation', kind: 'hibernate'})},
	// kernel/power/swap.c get_swap_writer(): pr_err("Cannot find swap device, try swapon -a") (3.x adds a final '.').
	{id: 'no-swap-device', pattern: new RegExp(`${pm}Cannot find swap device, try swapon -a`), make: () => ({text: 'cannot find the swap device to write the image to (try swapon -a)', stage: 'activation', kind: 'hibernate'})},
	// kernel/power/swap.c swsusp_write(): pr_err("Cannot get swap writer") — the image is not saved.
	{id: 'no-swap-writer', pattern: new RegExp(`${pm}Cannot get swap writer`), make: () => ({text: 'cannot get a swap writer: the hibernation image was not saved', stage: 'activation', kind: 'hibernate'})},
	// kernel/power/swap.c swsusp_write(): pr_err("Not enough free swap") → -ENOSPC.
	{id: 'not-enough-swap', pattern: new RegExp(`${pm}Not enough free swap`), make: () => ({text: 'not enough free swap for the hibernation image', errno: -28, stage: 'activation', kind: 'hibernate'})},
	// kernel/power/swap.c swsusp_check(): pr_debug("Image not found (code %d)") — the restore at boot found no usable image
	// (-22: no hibernation signature on the resume device; -16: the device is busy; -6/-19: no such device).
	{id: 'image-not-found', pattern: new RegExp(`${pm}Image not found \\(code (-?\\d+)\\)`), make: m => ({text: Number(m[1]) === -22 ? 'no hibernation image on the resume device (normal when the machine did not hibernate)' : 'the hibernation image could not be opened on the resume device', errno: int(m[1]), stage: 'restore', kind: 'hibernate', whole: true})},
	// kernel/power/swap.c swsusp_read() (pr_debug "Error %d resuming").
	{id: 'error-resuming', pattern: new RegExp(`${pm}Error (-?\\d+) resuming`), make: m => ({text: 'error reading the hibernation image', errno: int(m[1]), stage: 'restore', kind: 'hibernate'})},
	// kernel/power/hibernate.c load_image_and_restore(): ≥5.8 pr_err("Failed to load image, recovering.");
	// ≤5.7 "PM: Failed to load hibernation image, recovering."
	{id: 'failed-to-load-image', pattern: new RegExp(`${pm}Failed to load (?:hibernation )?image, recovering`), make: () => ({text: 'failed to load the hibernation image: the restore did not happen', stage: 'restore', kind: 'hibernate'})},
	// kernel/power/hibernate.c software_resume(): pr_info("resume failed (%d)") (≥5.x, "PM: hibernation: " prefix).
	{id: 'resume-failed', pattern: new RegExp(`${pm}resume failed \\((-?\\d+)\\)`), make: m => ({text: 'resume from hibernation failed', errno: int(m[1]), stage: 'restore', kind: 'hibernate'})},
	// kernel/power/snapshot.c check_header()/check_image_kernel(): pr_err("Image mismatch: %s").
	{id: 'image-mismatch', pattern: new RegExp(`${pm}Image mismatch: (.+)$`), make: m => ({text: `hibernation image mismatch: ${m[1]}`, stage: 'restore', kind: 'hibernate'})},
	// kernel/power/hibernate.c power_down(): the image is on disk but the machine did not power off.
	{id: 'power-down-manually', pattern: new RegExp(`${pm}(?:Please )?[Pp]ower down manually`), make: () => ({text: 'the image was saved but the machine did not power off ("power down manually")', stage: 'activation', kind: 'hibernate'})},
	// kernel/power/hibernate.c power_down() (hibernation mode "suspend"): swsusp_unmark() failed.
	{id: 'swap-unusable', pattern: new RegExp(`${pm}Swap will be unusable! Try swapon -a`), make: () => ({text: 'suspend after hibernation could not restore the swap signature', kind: 'hibernate'})},
	// drivers/base/power/wakeup.c pm_wakeup_pending(): pm_pr_dbg("Wakeup pending, aborting suspend") → -EBUSY
	// from suspend_enter() (kernel/power/suspend.c).
	{id: 'wakeup-pending', pattern: /^PM: Wakeup pending, aborting suspend/, make: () => ({text: 'a wakeup event was pending: suspend aborted', errno: -16, stage: 'activation'})},
	// drivers/base/power/main.c dpm_watchdog_handler(): dev_emerg("**** DPM device timeout ****") then panic
	// (≈6.15+: "**** DPM device timeout after %u seconds; %u seconds until panic ****").
	{id: 'dpm-watchdog', pattern: /^(.+?): \*\*\*\* DPM device timeout(?: after \d+ seconds[^*]*)? \*\*\*\*/, make: m => ({text: 'device PM callback hung (DPM watchdog)', device: m[1]})},
	// Messages an earlier version of this tool recognised (kept; wording not confirmed against a tagged release).
	{id: 'image-save-failed', pattern: new RegExp(`${pm}(?:Failed to write hibernation image|Image (?:saving|writing) failed)`), make: () => ({text: 'saving the hibernation image failed', stage: 'activation', kind: 'hibernate'})},
];

/** The rules whose pattern begins `^PM: ` (all but the watchdog's): no use trying them on other lines. */
const needsPmPrefix = failureRules.map(rule => rule.pattern.source.startsWith('^PM: ') && !/[im]/.test(rule.pattern.flags));

export function recogniseFailure(message: string): PmFailure | undefined {
	const pmPrefix = message.startsWith('PM: ');
	for (let i = 0; i < failureRules.length; i++) {
		if (!pmPrefix && needsPmPrefix[i]) continue;
		const rule = failureRules[i]!;
		const m = rule.pattern.exec(message);
		if (m) return {id: rule.id, ...rule.make(m)};
	}

	return undefined;
}
