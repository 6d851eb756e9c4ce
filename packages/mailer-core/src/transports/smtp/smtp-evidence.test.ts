import { classifyFailure } from '../../classify';
import type { FailureCategory, Stage } from '../../result';
import { smtpEvidence } from './smtp-evidence';

/** An error in the shape nodemailer gives: its words, its code, the command, and the reply if any. */
function nodemailerError(
  message: string,
  fields: { code: string; command: string; response?: string },
): Error & { code: string; command: string; response?: string; responseCode?: number } {
  const responseCode = fields.response !== undefined ? Number(fields.response.slice(0, 3)) : undefined;
  return Object.assign(new Error(message), fields, responseCode !== undefined ? { responseCode } : {});
}

describe('smtpEvidence: how far the content got', () => {
  const rows: Array<[string, Error, Stage | undefined, Stage | undefined, FailureCategory]> = [
    [
      'connection closed while the content was going out',
      nodemailerError('Connection closed unexpectedly', { code: 'ECONNECTION', command: 'CONN' }),
      'data',
      'data',
      'AMBIGUOUS',
    ],
    [
      'timeout waiting for the reply to the content',
      nodemailerError('Timeout', { code: 'ETIMEDOUT', command: 'CONN' }),
      'after_data',
      'after_data',
      'AMBIGUOUS',
    ],
    [
      'connection closed before the content',
      nodemailerError('Connection closed unexpectedly', { code: 'ECONNECTION', command: 'CONN' }),
      undefined,
      undefined,
      'CONNECTION',
    ],
    // nodemailer drains the message stream when the envelope fails, so the stream may say `data` or more.
    [
      "nodemailer's own envelope check, stream drained",
      nodemailerError('No recipients defined', { code: 'EENVELOPE', command: 'API' }),
      'after_data',
      undefined,
      'MESSAGE_REJECTED',
    ],
    [
      'a MAIL FROM check without a reply, stream drained',
      nodemailerError('Server does not support REQUIRETLS extension (RFC 8689)', {
        code: 'EREQUIRETLS',
        command: 'MAIL FROM',
      }),
      'data',
      'mail_from',
      'TLS',
    ],
    [
      'RCPT TO answered with no reply code, stream drained',
      nodemailerError('Recipient command failed: unexpected', {
        code: 'EENVELOPE',
        command: 'RCPT TO',
        response: 'unexpected',
      }),
      'data',
      'rcpt',
      'UNKNOWN',
    ],
    [
      'a reply to RCPT TO, stream drained',
      nodemailerError('Recipient command failed: 451 4.3.0 try later', {
        code: 'EENVELOPE',
        command: 'RCPT TO',
        response: '451 4.3.0 try later',
      }),
      'after_data',
      'rcpt',
      'PROVIDER_UNAVAILABLE',
    ],
  ];

  it.each(rows)('%s', (_name, error, handover, stage, category) => {
    const evidence = smtpEvidence(error, handover);
    const failure = classifyFailure(evidence, []);

    expect(failure.stage).toBe(stage);
    expect(failure.category).toBe(category);
    expect(failure.possibleDuplicate === true).toBe(category === 'AMBIGUOUS');
  });
});
