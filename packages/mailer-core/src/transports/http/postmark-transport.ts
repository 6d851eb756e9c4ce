import type { Address, Envelope } from '../../message';
import type { HttpAnswer } from './http-client';
import { pickString } from './json-fields';
import { compact, formatAddress, headersWithMessageId } from './mail-fields';
import {
  answerText,
  judgeByStatus,
  idInBody,
  type VendorAdapter,
  type VendorProblem,
} from './vendor-adapter';

/** ErrorCode 400 "sender signature not found", 401 "sender signature not confirmed". */
const SENDER_SIGNATURE_CODES = new Set(['400', '401']);

function list(addresses: Address[]): string | undefined {
  return addresses.length > 0 ? addresses.map(formatAddress).join(', ') : undefined;
}

function body(envelope: Envelope): Record<string, unknown> {
  return compact({
    From: formatAddress(envelope.from),
    To: list(envelope.to),
    Cc: list(envelope.cc),
    Bcc: list(envelope.bcc),
    ReplyTo: envelope.replyTo ? formatAddress(envelope.replyTo) : undefined,
    Subject: envelope.subject,
    TextBody: envelope.text,
    HtmlBody: envelope.html,
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
  return {
    ...(vendorCode !== undefined ? { vendorCode } : {}),
    message: pickString(answer.json, 'Message') ?? answerText(answer),
    ...(vendorCode !== undefined && SENDER_SIGNATURE_CODES.has(vendorCode)
      ? { senderNotVerified: true }
      : {}),
  };
}

/** Postmark: `POST /email` with a server token; errors are 422 with an `ErrorCode`. */
export const postmarkAdapter: VendorAdapter = {
  vendor: 'postmark',
  authHeaders: (apiKey) => ({ 'x-postmark-server-token': apiKey }),
  sendRequest: (envelope) => ({
    method: 'POST',
    path: '/email',
    body: { type: 'json', value: body(envelope) },
  }),
  accepted: idInBody('MessageID'),
  problem,
  // The current server's settings: readable with the same server token that sends.
  verifyRequest: () => ({ method: 'GET', path: '/server' }),
  judgeVerify: judgeByStatus,
};
