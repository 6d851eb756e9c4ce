import type { Address, Envelope } from '../../message';
import type { HttpAnswer } from './http-client';
import { pickArray, pickNumber, pickString } from './json-fields';
import { compact, formatAddress, headersWithMessageId, metadataOf, splitAttachments } from './mail-fields';
import type { VendorAdapter, VendorProblem, VerifyVerdict } from './vendor-adapter';
import { answerText, joinMessage, judgeByStatus, postJson, vendorProblem } from './vendor-adapter';

/** 7001 "Invalid domain: Unconfigured Sending Domain <x>" (and unverified ones). */
const SENDING_DOMAIN_CODES = new Set(['7001', '7002']);
const SENDING_DOMAIN = /sending domain/i;

function body(envelope: Envelope): Record<string, unknown> {
  const { files, inline } = splitAttachments(envelope);
  // SparkPost has no cc/bcc fields: every copy is a recipient whose visible To is the real To list,
  // and Cc shows through a header; Bcc recipients simply appear nowhere.
  const headerTo = envelope.to.map(formatAddress).join(', ');
  const copy = (address: Address) => ({
    address: compact({ email: address.address, name: address.name, header_to: headerTo }),
  });
  const headers = headersWithMessageId(envelope);
  if (envelope.cc.length > 0) headers.CC = envelope.cc.map(formatAddress).join(', ');
  return compact({
    // Transmission metadata comes back in every event as `rcpt_meta`.
    metadata: metadataOf(envelope),
    recipients: [
      ...envelope.to.map((address) => ({ address: compact({ email: address.address, name: address.name }) })),
      ...envelope.cc.map(copy),
      ...envelope.bcc.map(copy),
    ],
    content: compact({
      from: compact({ email: envelope.from.address, name: envelope.from.name }),
      subject: envelope.subject,
      text: envelope.text,
      html: envelope.html,
      reply_to: envelope.replyTo ? formatAddress(envelope.replyTo) : undefined,
      headers,
      attachments: files.map((file) => ({
        name: file.filename,
        type: file.contentType,
        data: file.content.toString('base64'),
      })),
      // SparkPost uses an inline image's name as its Content-ID.
      inline_images: inline.map((image) => ({
        name: image.cid,
        type: image.contentType,
        data: image.content.toString('base64'),
      })),
    }),
  });
}

function problem(answer: HttpAnswer): VendorProblem {
  const first = pickArray(answer.json, 'errors')[0];
  const code = pickString(first, 'code');
  const message =
    joinMessage(pickString(first, 'message'), pickString(first, 'description')) ??
    answerText(answer, 'sparkpost');
  const senderProblem =
    (code !== undefined && SENDING_DOMAIN_CODES.has(code)) || SENDING_DOMAIN.test(message);
  return vendorProblem(message, code, senderProblem);
}

/**
 * `GET /api/v1/account` proves the key. A key made for sending only lacks "Account: Read" and gets 403
 * after being recognised (a wrong key gets 401), so it passes with a warning.
 */
function judgeVerify(answer: HttpAnswer): VerifyVerdict {
  if (answer.status === 403) {
    return {
      ok: true,
      warnings: ['The API key may not read account details, so only its validity was checked.'],
    };
  }
  return judgeByStatus(answer);
}

/** SparkPost: `POST /api/v1/transmissions` with the bare key in `Authorization`. */
export const sparkpostAdapter: VendorAdapter = {
  vendor: 'sparkpost',
  authHeaders: (apiKey) => ({ authorization: apiKey }),
  sendRequest: (envelope) => postJson('/api/v1/transmissions', body(envelope)),
  accepted: (answer) => {
    const id = pickString(answer.json, 'results', 'id');
    const refused = pickNumber(answer.json, 'results', 'total_rejected_recipients') ?? 0;
    return {
      ...(id ? { providerMessageId: id } : {}),
      // SparkPost counts refused recipients without naming them.
      ...(refused > 0
        ? {
            rejected: [
              {
                address: '(unnamed)',
                message: `SparkPost rejected ${refused} recipient(s) without naming them.`,
              },
            ],
          }
        : {}),
    };
  },
  problem,
  verifyRequest: () => ({ method: 'GET', path: '/api/v1/account' }),
  judgeVerify,
};
