import type { Envelope } from '../../message';
import type { HttpAnswer } from './http-client';
import { pickString } from './json-fields';
import { compact, emailMailbox, headersWithMessageId } from './mail-fields';
import {
  answerText,
  judgeByStatus,
  idInBody,
  type VendorAdapter,
  type VendorProblem,
} from './vendor-adapter';

// "… the sender you used x is not valid. Validate your sender or authenticate your domain".
const SENDER_NOT_VALID =
  /sender .*(?:not valid|invalid|not verified|inactive)|validate your sender|authenticate your domain/i;

function body(envelope: Envelope): Record<string, unknown> {
  return compact({
    sender: emailMailbox(envelope.from),
    to: envelope.to.map(emailMailbox),
    cc: envelope.cc.map(emailMailbox),
    bcc: envelope.bcc.map(emailMailbox),
    replyTo: envelope.replyTo ? emailMailbox(envelope.replyTo) : undefined,
    subject: envelope.subject,
    textContent: envelope.text,
    htmlContent: envelope.html,
    headers: headersWithMessageId(envelope),
    // Brevo's attachment list has no Content-ID: inline images travel as plain attachments.
    attachment: envelope.attachments.map((attachment) => ({
      content: attachment.content.toString('base64'),
      name: attachment.filename,
    })),
  });
}

function notes(envelope: Envelope): string[] {
  const inline = envelope.attachments.filter((attachment) => attachment.cid).length;
  return inline > 0
    ? [`Brevo's API cannot mark attachments inline: ${inline} inline image(s) sent as ordinary attachments.`]
    : [];
}

function problem(answer: HttpAnswer): VendorProblem {
  const code = pickString(answer.json, 'code');
  const message = pickString(answer.json, 'message') ?? answerText(answer);
  return {
    ...(code ? { vendorCode: code } : {}),
    message,
    ...(answer.status === 400 && SENDER_NOT_VALID.test(message) ? { senderNotVerified: true } : {}),
  };
}

/** Brevo (Sendinblue): `POST /v3/smtp/email` with an `api-key` header; 201 with `messageId`. */
export const brevoAdapter: VendorAdapter = {
  vendor: 'brevo',
  authHeaders: (apiKey) => ({ 'api-key': apiKey }),
  sendRequest: (envelope) => ({
    method: 'POST',
    path: '/v3/smtp/email',
    body: { type: 'json', value: body(envelope) },
    notes: notes(envelope),
  }),
  accepted: idInBody('messageId'),
  problem,
  verifyRequest: () => ({ method: 'GET', path: '/v3/account' }),
  judgeVerify: judgeByStatus,
};
