import type { Envelope } from '../../message';
import type { ProviderConfig } from '../../provider';
import type { HttpAnswer } from './http-client';
import { pickArray, pickString } from './json-fields';
import { addressesIn, compact, domainOf, formatAddress, headersWithMessageId } from './mail-fields';
import type { VendorAdapter, VendorProblem, VerifyVerdict } from './vendor-adapter';
import { answerText, idInBody, postJson, vendorProblem } from './vendor-adapter';

// 403 "The example.com domain is not verified" and the testing-only answer "… please verify a domain".
const DOMAIN_NOT_VERIFIED = /domain is not verified|verify a domain|not verified/i;
const RESTRICTED_KEY = 'restricted_api_key';
const MAX_IDEMPOTENCY_KEY = 256;

function body(envelope: Envelope): Record<string, unknown> {
  const { replyTo, ...addresses } = addressesIn(envelope, formatAddress);
  return compact({
    ...addresses,
    reply_to: replyTo,
    subject: envelope.subject,
    text: envelope.text,
    html: envelope.html,
    headers: headersWithMessageId(envelope),
    // Tags come back in every webhook event as `data.tags`.
    tags: Object.entries(envelope.metadata ?? {}).map(([name, value]) => ({ name, value })),
    attachments: envelope.attachments.map((attachment) =>
      compact({
        filename: attachment.filename,
        content: attachment.content.toString('base64'),
        content_type: attachment.contentType,
        content_id: attachment.cid,
      }),
    ),
  });
}

function problem(answer: HttpAnswer): VendorProblem {
  const name = pickString(answer.json, 'name');
  const message = pickString(answer.json, 'message') ?? answerText(answer, 'resend');
  return vendorProblem(
    message,
    name,
    answer.status === 403 && name !== 'invalid_api_key' && DOMAIN_NOT_VERIFIED.test(message),
  );
}

/**
 * `GET /domains` proves the key and shows whether From Email's domain is verified. A sending-only key
 * is refused that call with 401 `restricted_api_key` after being recognised: it can send, so it passes
 * with a warning that the domain could not be checked.
 */
function judgeVerify(answer: HttpAnswer, provider: ProviderConfig): VerifyVerdict {
  const domain = domainOf(provider.fromEmail);
  if (answer.status === 401 && pickString(answer.json, 'name') === RESTRICTED_KEY) {
    return {
      ok: true,
      warnings: [`This sending-only API key cannot list domains, so ${domain} was not checked.`],
    };
  }
  if (answer.status < 200 || answer.status >= 300) return { ok: false };
  const entry = pickArray(answer.json, 'data').find(
    (item) => pickString(item, 'name')?.toLowerCase() === domain,
  );
  const status = pickString(entry, 'status');
  if (status === 'verified') return { ok: true, warnings: [] };
  return {
    ok: false,
    status: 403,
    problem: {
      message: entry
        ? `The ${domain} domain is not verified at Resend (status: ${status ?? 'unknown'}).`
        : `The ${domain} domain is not verified: it is not registered at this Resend account.`,
      senderNotVerified: true,
    },
  };
}

/** Resend: `POST /emails`, Bearer key; the Message-ID doubles as the Idempotency-Key so a retry never duplicates. */
export const resendAdapter: VendorAdapter = {
  vendor: 'resend',
  authHeaders: (apiKey) => ({ authorization: `Bearer ${apiKey}` }),
  sendRequest: (envelope) => ({
    ...postJson('/emails', body(envelope)),
    ...(envelope.messageId.length <= MAX_IDEMPOTENCY_KEY
      ? { headers: { 'idempotency-key': envelope.messageId } }
      : {}),
  }),
  accepted: idInBody('id'),
  problem,
  verifyRequest: () => ({ method: 'GET', path: '/domains' }),
  judgeVerify,
};
