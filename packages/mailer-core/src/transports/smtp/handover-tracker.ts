import { PassThrough, type Readable } from 'node:stream';
import type { Stage } from '../../result';

/**
 * Watches the last stream of a message on its way into nodemailer's SMTP session. nodemailer starts
 * reading it only after the server answered DATA with 354, and finishes when all of it went out, so the
 * stream tells what nodemailer's error codes cannot: whether a lost connection may hide a delivery.
 * It is also how an abort reaches the session that carries the message: failing the stream makes
 * nodemailer close that connection before the final dot, so the server discards what it got.
 */
export class HandoverTracker {
  private started = false;
  private finished = false;
  private abortReason: Error | undefined;
  private stream: PassThrough | undefined;

  /** For nodemailer's `processFunc`: wraps the message stream it is about to send. */
  wrap(input: Readable): Readable {
    // A small buffer keeps what was read ahead of the server close to what the server has seen.
    const output = new PassThrough({ highWaterMark: 1024 });
    this.stream = output;
    output.once('resume', () => {
      this.started = true;
    });
    output.once('end', () => {
      this.finished = true;
    });
    input.once('error', (error: Error) => output.destroy(error));
    input.pipe(output);
    if (this.abortReason) output.destroy(this.abortReason);
    return output;
  }

  /** How far the content got: `after_data` when all of it was handed over, `data` while it was on its way. */
  stage(): Stage | undefined {
    if (this.finished) return 'after_data';
    if (this.started) return 'data';
    return undefined;
  }

  /** Stops the message from going out: now if it is being sent, else as soon as nodemailer picks it up. */
  abort(reason: Error): void {
    this.abortReason = reason;
    if (this.stream && !this.finished) this.stream.destroy(reason);
  }
}
