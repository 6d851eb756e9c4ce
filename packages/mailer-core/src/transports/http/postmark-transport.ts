import type { Envelope } from '../../message';
import type { HttpAnswer } from './http-client';
import { pickString } from './json-fields';
import { addressesIn, compact, formatAddress, headersWithMessageId, metadataOf } from './mail-fields';
import type { VendorAdapter, VendorProblem } from './vendor-adapter';
import { POSTMARK_SENDER_SIGNATURE_CODES } from './postmark-codes';
import { answerText, judgeByStatus, idInBody, postJson, vendorProblem } from './vendor-adapter';

function joined(addresses: string[]): string | undefined {
  return addresses.length > 0 ? addresses.join(', ') : undefined;
}

function body(envelope: Envelope): Record<string, unknown> {
  const { from, to, cc, bcc, replyTo } = addressesIn(envelope, formatAddress);
  return compact({
    From: from,
    To: joined(to),
    Cc: joined(cc),
    Bcc: joined(bcc),
    ReplyTo: replyTo,
    Subject: envelope.subject,
    TextBody: envelope.text,
    HtmlBody: envelope.html,
    Metadata: metadataOf(envelope),
    Headers: Object.entries(headersWithMessageId(envelope)).map(([Name, Value]) => ({ Name, Value })),
    Attachments: envelope.attachments.map((attachment) =>
      compact({
        Name: attachment.filename,
        Content: attachment.content.toString('base64'),
        ContentType: attachment.contentType,
        ContentID: attachment.cid ? `cid:${attachment.cid}` : undefined,
      }),
    ),
  });
}

function problem(answer: HttpAnswer): VendorProblem {
  const vendorCode = pickString(answer.json, 'ErrorCode');
  return vendorProblem(
    pickString(answer.json, 'Message') ?? answerText(answer, 'postmark'),
    vendorCode,
    vendorCode !== undefined && POSTMARK_SENDER_SIGNATURE_CODES.has(vendorCode),
  );
}

/** Postmark: `POST /email` with a server token; errors are 422 with an `ErrorCode`. */
export const postmarkAdapter: VendorAdapter = {
  vendor: 'postmark',
  authHeaders: (apiKey) => ({ 'x-postmark-server-token': apiKey }),
  sendRequest: (envelope) => postJson('/email', body(envelope)),
  accepted: idInBody('MessageID'),
  problem,
  // The current server's settings: readable with the same server token that sends.
  verifyRequest: () => ({ method: 'GET', path: '/server' }),
  judgeVerify: judgeByStatus,
};
