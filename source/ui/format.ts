/** Small formatting helpers shared by the panes. */
export function duration(us: number): string {
	if (us < 1000) return `${Math.round(us)} µs`;
	if (us < 1_000_000) return `${(us / 1000).toFixed(1)} ms`;
	return `${(us / 1_000_000).toFixed(3)} s`;
}

export function fit(text: string, width: number): string {
	if (width <= 0) return '';
	return text.length <= width ? text.padEnd(width, ' ') : `${text.slice(0, Math.max(0, width - 1))}…`;
}

const glyphs: Record<string, [string, string, string]> = {
	'0': ['█▀█', '█ █', '▀▀▀'],
	'1': ['▀█ ', ' █ ', '▀▀▀'],
	'2': ['▀▀█', '█▀▀', '▀▀▀'],
	'3': ['▀▀█', ' ▀█', '▀▀▀'],
	'4': ['█ █', '▀▀█', '  ▀'],
	'5': ['█▀▀', '▀▀█', '▀▀▀'],
	'6': ['█▀▀', '█▀█', '▀▀▀'],
	'7': ['▀▀█', '  █', '  ▀'],
	'8': ['█▀█', '█▀█', '▀▀▀'],
	'9': ['█▀█', '▀▀█', '▀▀▀'],
	' ': ['   ', '   ', '   '],
};

/** A number in a three-row block font, readable from across the room. */
export function bigDigits(value: string): [string, string, string] {
	const rows: [string, string, string] = ['', '', ''];
	for (const c of value) {
		const glyph = glyphs[c] ?? glyphs[' ']!;
		for (let r = 0; r < 3; r++) rows[r] += `${glyph[r]} `;
	}

	return rows;
}

export function bar(fraction: number, width: number): string {
	const filled = Math.max(0, Math.min(width, Math.round(fraction * width)));
	return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}
