import {readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';

/**
 * The shape of a kernel message: what stays when the variable parts are
 * abstracted — numbers, hex, PCI/ACPI device names, symbol offsets, PM verbs,
 * task names, sleep states. Two lines with one shape come from one printk.
 */
export function shape(message: string): string {
	return message
		.replace(/^[\w.-]+ [\w.:/-]+: (?=PM: )/, '<dev>: ')
		// dev_printk prefix of a pm_print_times line, with or without "PM: " (driver names may hold spaces: "i8042 kbd 00:00").
		.replace(/^(?!<dev>)[^:]*?\S+: (?=(?:PM: )?(?:calling \S+ @ |\S+ returned -?\d+ after ))/, '<dev>: ')
		.replace(/\b(?:user space processes|remaining freezable tasks)\b/g, '<what>')
		.replace(/\bpci_pm_[a-z_]+\(\)/g, 'pci_pm_<cb>()')
		.replace(/\b[\da-f]{4}:[\da-f]{2}:[\da-f]{2}\.\d\b/g, '<pci>')
		.replace(/\b(?:\w+\+)?0x[\da-f]+\/0x[\da-f]+(?: \[\w+\])?/g, '<sym>')
		.replace(/\b[a-z_\d]+\+<sym>/g, '<sym>')
		.replace(/0x[\da-f]+/gi, '<hex>')
		// register values of an x86 register dump: 16 bare hex digits
		.replace(/\b[\da-f]{16}\b/g, '<hex>')
		.replace(/\b(freeze|suspend|thaw|resume|recover|quiesce|hibernate|restore|poweroff)\b/g, '<verb>')
		.replace(/\bS[0-5]\b/g, '<state>')
		.replace(/^task:\S+\s+/, 'task:<comm> ')
		.replace(/\d+/g, '#')
		.replace(/ {2,}/g, ' ');
}

const stampPrefix = /^\s*(?:<\d>)?\[\s*\d+\.\d+\](?:\[\s*[TC]\d+\])?\s?/;
const journalPrefix = /^(?:[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ )?kernel: /;

/** Messages of every real kernel log in a directory tree (prefixes stripped). */
export function realMessages(dir: string): Set<string> {
	const out = new Set<string>();
	const walk = (d: string) => {
		for (const name of readdirSync(d)) {
			const file = path.join(d, name);
			if (statSync(file).isDirectory()) walk(file);
			else if (/\.(log|txt)$/.test(name)) readOne(file);
		}
	};

	function readOne(file: string): void {
				for (const raw of readFileSync(file, 'utf8').split(/\r?\n/)) {
					let line = raw.replace(/^[>\s]+/, '').replace(/^\[[A-Z][a-z]+ [A-Z][a-z]+ [ \d]\d [\d:]+ \d{4}\] /, '');
					line = line.replace(journalPrefix, '');
					line = line.replace(stampPrefix, '');
					line = line.replace(/^\d,\d+,\d+,[-c+]*;/, '');
					line = line.replace(journalPrefix, '');
					out.add(line.trimEnd());
				}
	}

	if (statSync(dir).isDirectory()) walk(dir);
	else readOne(dir);
	return out;
}
