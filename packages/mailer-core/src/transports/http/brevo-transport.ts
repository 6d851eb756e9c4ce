import type { Envelope } from '../../message';
import type { HttpAnswer } from './http-client';
import { pickString } from './json-fields';
import { addressesIn, compact, emailMailbox, headersWithMessageId, metadataText } from './mail-fields';
import type { VendorAdapter, VendorProblem } from './vendor-adapter';
import { answerText, judgeByStatus, idInBody, postJson, vendorProblem } from './vendor-adapter';

// "… the sender you used x is not valid. Validate your sender or authenticate your domain".
const SENDER_NOT_VALID =
  /sender .*(?:not valid|invalid|not verified|inactive)|validate your sender|authenticate your domain/i;

function headers(envelope: Envelope): Record<string, string> {
  const all = headersWithMessageId(envelope);
  // Brevo echoes this header's value in its webhook events as `X-Mailin-custom`.
  const custom = metadataText(envelope);
  if (custom) all['X-Mailin-custom'] = custom;
  return all;
}

function body(envelope: Envelope): Record<string, unknown> {
  const { from, ...recipients } = addressesIn(envelope, emailMailbox);
  return compact({
    sender: from,
    ...recipients,
    subject: envelope.subject,
    textContent: envelope.text,
    htmlContent: envelope.html,
    headers: headers(envelope),
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
  const message = pickString(answer.json, 'message') ?? answerText(answer, 'brevo');
  return vendorProblem(
    message,
    pickString(answer.json, 'code'),
    answer.status === 400 && SENDER_NOT_VALID.test(message),
  );
}

/** Brevo (Sendinblue): `POST /v3/smtp/email` with an `api-key` header; 201 with `messageId`. */
export const brevoAdapter: VendorAdapter = {
  vendor: 'brevo',
  authHeaders: (apiKey) => ({ 'api-key': apiKey }),
  sendRequest: (envelope) => ({ ...postJson('/v3/smtp/email', body(envelope)), notes: notes(envelope) }),
  accepted: idInBody('messageId'),
  problem,
  verifyRequest: () => ({ method: 'GET', path: '/v3/account' }),
  judgeVerify: judgeByStatus,
};
