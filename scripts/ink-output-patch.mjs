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
 * Output.get() also builds every blank cell of the screen as a new object (rows × columns of them per
 * frame), looks up the width of every character in a map (one printable ASCII character is one
 * column: the patch says so without the look-up) and turns every row into a string with styledCharsToString(), a diff of ANSI codes per
 * character. The patch puts one blank cell in every empty place (read only, like the cached
 * characters) and remembers, for each row number, the characters and the string of the last row it
 * converted: a row whose characters are the very same objects, in the same places, is the same
 * string (styledCharsToString() reads nothing else), so it is reused rather than converted again.
 *
 * The same goes for render-node-to-output.js: it measures every Text node's whole text with
 * widest-line on every frame (string-width, with a grapheme segmenter for any line that is not
 * plain ASCII: µs, ·, —, the block digits), although the layout pass has just measured the same
 * squashed text through measure-text.js, which caches it. The patch asks measure-text.js: the same
 * widestLine() of the same string (the branch only runs for a non-empty text), from Ink's own cache.
 *
 * Used by the bundle (scripts/build.mjs) and by `npm run bench` (scripts/ink-output-hook.mjs),
 * so the frame figures are those of the published CLI.
 */
export const inkOutputFile = /[\\/]node_modules[\\/]ink[\\/]build[\\/](?:output|render-node-to-output)\.js$/;

const perFrame = '    caches = new OutputCaches();';
const classLine = 'export default class Output {';
const blankCell = `            const row = [];
            for (let x = 0; x < this.width; x++) {
                row.push({
                    type: 'char',
                    value: ' ',
                    fullWidth: false,
                    styles: [],
                });
            }`;
const placeChars = `                    const characters = this.caches.getStyledChars(line);
                    let offsetX = x;`;
// A line whose every character is one column wide (known once per cached line): its characters go
// in one after another, as the loop below would place them, without asking each one's width.
const narrowPlacement = `                    const characters = this.caches.getStyledChars(line);
                    if (isNarrow(characters, this.caches)) {
                        for (let index = 0; index < characters.length; index++) {
                            currentLine[x + index] = characters[index];
                        }
                        offsetY++;
                        continue;
                    }
                    let offsetX = x;`;
const charWidth = '                        const characterWidth = Math.max(1, this.caches.getStringWidth(character.value));';
const rowsToText = `        const generatedOutput = output
            .map(line => {
            // See https://github.com/vadimdemedes/ink/pull/564#issuecomment-1637022742
            const lineWithoutEmptyItems = line.filter(item => item !== undefined);
            return styledCharsToString(lineWithoutEmptyItems).trimEnd();
        })
            .join('\\n');`;

/** The patched text, or an error message naming what was not found. */
export function patchInkOutput(text) {
	if (text.includes('const renderNodeToOutput = (')) return patchRenderNodeToOutput(text);
	if (!text.includes(perFrame) || !text.includes(classLine)) return {error: `expected "${perFrame.trim()}" and "${classLine}" in ink/build/output.js (see scripts/ink-output-patch.mjs)`};
	const shared = `let sharedCaches;
function framesCaches() {
    if (sharedCaches === undefined || sharedCaches.styledChars.size > 20000 || sharedCaches.widths.size > 20000 || sharedCaches.blockWidths.size > 20000) sharedCaches = new OutputCaches();
    return sharedCaches;
}
${classLine}`;
	if (!text.includes(blankCell) || !text.includes(rowsToText) || !text.includes(charWidth) || !text.includes(placeChars)) return {error: `expected the blank cell and the row conversion of Output.get() in ink/build/output.js (see scripts/ink-output-patch.mjs)`};
	const rows = `const sharedBlankCell = {
    type: 'char',
    value: ' ',
    fullWidth: false,
    styles: [],
};
const lastRows = [];
const narrowLines = new WeakMap();
function isNarrow(characters, caches) {
    let narrow = narrowLines.get(characters);
    if (narrow === undefined) {
        narrow = characters.every(character => Math.max(1, caches.getStringWidth(character.value)) === 1);
        narrowLines.set(characters, narrow);
    }
    return narrow;
}
function rowText(line, y) {
    const last = lastRows[y];
    if (last !== undefined && last.line.length === line.length) {
        let same = true;
        for (let x = 0; x < line.length; x++) {
            if (last.line[x] !== line[x]) {
                same = false;
                break;
            }
        }
        if (same) return last.text;
    }
    const lineWithoutEmptyItems = line.filter(item => item !== undefined);
    const text = styledCharsToString(lineWithoutEmptyItems).trimEnd();
    lastRows[y] = {line, text};
    return text;
}
`;
	return {contents: text.replace(perFrame, '    caches = framesCaches();').replace(placeChars, narrowPlacement).replace(classLine, rows + shared).replace(blankCell, '            const row = new Array(this.width).fill(sharedBlankCell);').replace(charWidth, `                        // One printable ASCII character is one column (string-width's own fast path), without a map look-up.
                        const code = character.value.length === 1 ? character.value.charCodeAt(0) : 0;
                        const characterWidth = code >= 0x20 && code <= 0x7e ? 1 : Math.max(1, this.caches.getStringWidth(character.value));`).replace(rowsToText, `        const generatedOutput = output
            .map((line, y) => rowText(line, y))
            .join('\\n');`)};
}

const measureLine = '                const currentWidth = widestLine(text);';
const widestImport = "import widestLine from 'widest-line';";

function patchRenderNodeToOutput(text) {
	if (!text.includes(measureLine) || !text.includes(widestImport)) return {error: `expected "${measureLine.trim()}" and "${widestImport}" in ink/build/render-node-to-output.js (see scripts/ink-output-patch.mjs)`};
	return {contents: text.replace(widestImport, `${widestImport}\nimport measureText from './measure-text.js';`).replace(measureLine, '                const currentWidth = measureText(text).width;')};
}
