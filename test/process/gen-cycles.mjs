// Child helper: write a kernel log of N short suspend cycles (lines as a 6.17 kernel prints them,
// journalctl -o short-monotonic like fixture 17), each followed by a line of binary garbage.
import {createWriteStream} from 'node:fs';
const [out, count] = process.argv.slice(2);
const cycle = ['PM: suspend entry (deep)', 'Filesystems sync: 0.021 seconds', 'Freezing user space processes', 'Freezing user space processes completed (elapsed 0.001 seconds)', 'OOM killer disabled.', 'PM: suspend exit'];
const w = createWriteStream(out);
let t = 100_000_000;
for (let r = 0; r < Number(count); r++) {
	let chunk = '';
	for (const m of cycle) {
		t += 1000;
		chunk += `[${String(Math.floor(t / 1e6)).padStart(5)}.${String(t % 1e6).padStart(6, '0')}] host kernel: ${m}\n`;
	}
	chunk += `\u0001garbage ${r}\n`;
	if (!w.write(chunk)) await new Promise(resolve => w.once('drain', resolve));
}
w.end();
