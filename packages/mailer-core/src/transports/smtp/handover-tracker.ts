import type { Readable } from 'node:stream';
import type { Stage } from '../../result';

/**
 * Watches the last stream of a message on its way into nodemailer's SMTP session. To send it, nodemailer
 * starts reading it only after the server answered DATA with 354, and finishes when all of it went out,
 * so the stream tells what nodemailer's error codes cannot: whether a lost connection may hide a delivery.
 * But nodemailer also drains it, sending nothing, when the envelope fails (a refusal or its own check
 * at MAIL FROM, RCPT TO or the DATA command), so the stage here only counts for a failure nodemailer
 * blames on the connection (see `smtpEvidence`).
 * It is also how an abort reaches the session that carries the message: failing the stream makes
 * nodemailer close that connection before the final dot, so the server discards what it got.
 */
export class HandoverTracker {
  private started = false;
  private finished = false;
  private abortReason: Error | undefined;
  private stream: Readable | undefined;

  /**
   * For nodemailer's `processFunc`: watches the message stream it is about to send and hands the same
   * stream back. Listening costs nothing per chunk, where a stream in between would copy every chunk.
   */
  watch(input: Readable): Readable {
    this.stream = input;
    input.once('resume', () => {
      this.started = true;
    });
    input.once('end', () => {
      this.finished = true;
    });
    if (this.abortReason) input.destroy(this.abortReason);
    return input;
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
