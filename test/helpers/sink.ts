import {Writable} from 'node:stream';

/** A Writable that keeps what is written. */
export class Sink extends Writable {
	text = '';
	override _write(chunk: Buffer | string, _encoding: string, done: () => void): void {
		this.text += chunk.toString();
		done();
	}
}
