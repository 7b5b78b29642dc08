/**
 * Text from logs is shown, never obeyed: every control character (C0 but
 * tab, DEL, C1 — and so every escape sequence's ESC / CSI / OSC introducer)
 * becomes a visible `\xNN`, as util-linux dmesg prints them
 * (sys-utils/dmesg.c: safe_fwrite → fwrite_hex). A log line can then never
 * move the cursor, retitle the terminal or write the clipboard (OSC 52).
 * Tabs stay in headless output; the screen turns them into a space (Ink
 * measures a tab as one column).
 */
// eslint-disable-next-line no-control-regex
const controls = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F\u2028\u2029]/g;

function hex(c: string): string {
	const code = c.codePointAt(0)!;
	return code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`;
}

export function escapeControls(text: string, keepTabs = false): string {
	// A fast path: most log lines have nothing to escape.
	let plain = true;
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029) {
			plain = false;
			break;
		}
	}

	if (plain) return text;
	const escaped = text.replace(controls, hex);
	return keepTabs ? escaped : escaped.replaceAll('\t', ' ');
}
