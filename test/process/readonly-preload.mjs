// Preload (node --import): every path-based fs call that could change a file throws unless its
// target is below QUIESCE_ALLOWED_OUT; anything touching QUIESCE_FORBIDDEN_ROOT other than a
// read-only open throws too. At exit it reports how many opens it saw and what it refused.
import fs from 'node:fs';
import {syncBuiltinESMExports} from 'node:module';
import path from 'node:path';
const out = path.resolve(process.env.QUIESCE_ALLOWED_OUT);
const root = path.resolve(process.env.QUIESCE_FORBIDDEN_ROOT);
const below = (p, dir) => p === dir || p.startsWith(dir + path.sep);
const stats = {reads: 0, writes: 0, refused: []};
const original = {writeSync: fs.writeSync};
const target = p => path.resolve(String(p instanceof URL ? p.pathname : p));
function guard(what, p) {
	const t = target(p);
	if (below(t, out) && !below(t, root)) {
		stats.writes++;
		return;
	}

	stats.refused.push(`${what} ${t}`);
	throw Object.assign(new Error(`read-only preload: ${what} ${t} refused`), {code: 'EACCES'});
}

const isWriteFlag = flags => {
	if (flags === undefined || flags === null) return false;
	if (typeof flags === 'number') return (flags & (fs.constants.O_WRONLY | fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_TRUNC | fs.constants.O_APPEND)) !== 0;
	return flags !== 'r' && flags !== 'rs' && flags !== 'sr';
};

const pathWriters = ['writeFile', 'appendFile', 'mkdir', 'mkdtemp', 'rm', 'rmdir', 'unlink', 'truncate', 'chmod', 'chown', 'lchown', 'utimes', 'lutimes', 'symlink', 'link', 'copyFile', 'cp', 'rename', 'mkfifo'];
function wrap(object, name, kind) {
	const fn = object[name];
	if (typeof fn !== 'function') return;
	object[name] = function (...args) {
		if (kind === 'open') {
			const flags = typeof args[1] === 'object' && args[1] !== null ? args[1].flags : args[1];
			if (isWriteFlag(flags)) guard(`open(${flags})`, args[0]);
			else stats.reads++;
		} else if (kind === 'stream') {
			const flags = typeof args[1] === 'object' && args[1] !== null ? args[1].flags : undefined;
			guard(`createWriteStream(${flags ?? 'w'})`, args[0]);
		} else if (name.startsWith('rename') || name.startsWith('copyFile') || name.startsWith('cp') || name.startsWith('link') || name.startsWith('symlink')) {
			guard(name, args[1]);
			if (name.startsWith('rename')) guard(name, args[0]);
		} else guard(name, args[0]);

		return fn.apply(this, args);
	};
}

for (const name of pathWriters) {
	wrap(fs, name, 'path');
	wrap(fs, `${name}Sync`, 'path');
	wrap(fs.promises, name, 'path');
}

for (const name of ['open', 'openSync']) wrap(fs, name, 'open');
wrap(fs.promises, 'open', 'open');
wrap(fs, 'createWriteStream', 'stream');
syncBuiltinESMExports();
process.on('exit', () => {
	original.writeSync(2, `read-only preload: ${stats.reads} read-only opens, ${stats.writes} writes below --out, ${stats.refused.length} refused${stats.refused.length ? `: ${stats.refused.join('; ')}` : ''}\n`);
});
