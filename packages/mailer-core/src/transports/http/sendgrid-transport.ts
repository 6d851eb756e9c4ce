import type { Envelope } from '../../message';
import type { HttpAnswer } from './http-client';
import { pickArray, pickString } from './json-fields';
import { addressesIn, compact, emailMailbox, headersWithMessageId, metadataOf } from './mail-fields';
import type { VendorAdapter, VendorProblem, VerifyVerdict } from './vendor-adapter';
import { answerText, postJson, vendorProblem } from './vendor-adapter';

const SEND_SCOPE = 'mail.send';
// 403 "The from address does not match a verified Sender Identity" (the other 403 is a temporary block).
const SENDER_IDENTITY = /sender identity|verified sender|from address does not match/i;

function body(envelope: Envelope): Record<string, unknown> {
  // SendGrid wants text/plain before text/html.
  const content = [
    ...(envelope.text !== undefined ? [{ type: 'text/plain', value: envelope.text }] : []),
    ...(envelope.html !== undefined ? [{ type: 'text/html', value: envelope.html }] : []),
  ];
  const { from, to, cc, bcc, replyTo } = addressesIn(envelope, emailMailbox);
  return compact({
    personalizations: [compact({ to, cc, bcc })],
    from,
    reply_to: replyTo,
    subject: envelope.subject,
    content,
    headers: headersWithMessageId(envelope),
    // Echoed in every Event Webhook event of this message.
    custom_args: metadataOf(envelope),
    attachments: envelope.attachments.map((attachment) =>
      compact({
        content: attachment.content.toString('base64'),
        filename: attachment.filename,
        type: attachment.contentType,
        disposition: attachment.cid ? 'inline' : 'attachment',
        content_id: attachment.cid,
      }),
    ),
  });
}

function problem(answer: HttpAnswer): VendorProblem {
  const messages = pickArray(answer.json, 'errors')
    .map((error) => pickString(error, 'message'))
    .filter((message) => message !== undefined);
  const message = messages.length > 0 ? messages.join('; ') : answerText(answer, 'sendgrid');
  return vendorProblem(message, undefined, answer.status === 403 && SENDER_IDENTITY.test(message));
}

/** `GET /v3/scopes` lists what the key may do: a valid key without `mail.send` still cannot send. */
function judgeVerify(answer: HttpAnswer): VerifyVerdict {
  if (answer.status < 200 || answer.status >= 300) return { ok: false };
  const scopes = pickArray(answer.json, 'scopes');
  if (scopes.includes(SEND_SCOPE)) return { ok: true, warnings: [] };
  return {
    ok: false,
    status: 403,
    problem: {
      vendorCode: 'missing_scope',
      message: `The API key is valid but lacks the ${SEND_SCOPE} permission.`,
    },
  };
}

/** Twilio SendGrid v3: `POST /v3/mail/send`, Bearer key, 202 with the id in `X-Message-Id`. */
export const sendgridAdapter: VendorAdapter = {
  vendor: 'sendgrid',
  authHeaders: (apiKey) => ({ authorization: `Bearer ${apiKey}` }),
  sendRequest: (envelope) => postJson('/v3/mail/send', body(envelope)),
  accepted: (answer) => {
    const id = answer.headers.get('x-message-id');
    return id ? { providerMessageId: id } : {};
  },
  problem,
  verifyRequest: () => ({ method: 'GET', path: '/v3/scopes' }),
  judgeVerify,
};
