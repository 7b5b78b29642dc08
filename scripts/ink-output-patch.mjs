/**
 * Ink 6 builds a new Output for every frame, and with it new caches: every line on screen is
 * tokenized again into styled characters (@alcalzone/ansi-tokenize) and every character measured
 * again (string-width), although most lines of a monitor frame are the same as in the frame
 * before. Measured on the big-box monitor (bench/frames.tsx): about a third of a frame's CPU.
 *
 * The patch keeps one set of caches across frames, dropped whole when any of its maps passes
 * 20 000 entries (bounded memory). It is safe because Output.get() only reads what the caches
 * hold: cached styled characters are placed into the frame's rows by reference and read by
 * styledCharsToString(), never changed (ink/build/output.js and ansi-tokenize's styledChars.js,
 * ink 6.8). A copy of output.js without these exact lines fails the build, so an upgrade of Ink
 * is looked at rather than silently unpatched.
 *
 * Used by the bundle (scripts/build.mjs) and by `npm run bench` (scripts/ink-output-hook.mjs),
 * so the frame figures are those of the published CLI.
 */
export const inkOutputFile = /[\\/]node_modules[\\/]ink[\\/]build[\\/]output\.js$/;

const perFrame = '    caches = new OutputCaches();';
const classLine = 'export default class Output {';

/** The patched text, or an error message naming what was not found. */
export function patchInkOutput(text) {
	if (!text.includes(perFrame) || !text.includes(classLine)) return {error: `expected "${perFrame.trim()}" and "${classLine}" in ink/build/output.js (see scripts/ink-output-patch.mjs)`};
	const shared = `let sharedCaches;
function framesCaches() {
    if (sharedCaches === undefined || sharedCaches.styledChars.size > 20000 || sharedCaches.widths.size > 20000 || sharedCaches.blockWidths.size > 20000) sharedCaches = new OutputCaches();
    return sharedCaches;
}
${classLine}`;
	return {contents: text.replace(perFrame, '    caches = framesCaches();').replace(classLine, shared)};
}
