import type { Address, Envelope } from '../../message';
import type { ProviderConfig } from '../../provider';
import type { HttpAnswer } from './http-client';
import { pickArray, pickString } from './json-fields';
import { compact, headersWithMessageId, metadataText, splitAttachments } from './mail-fields';
import type { VendorAdapter, VendorProblem, VerifyVerdict } from './vendor-adapter';
import { answerText, joinMessage, idInBody, postJson, vendorProblem } from './vendor-adapter';
import { ZEPTOMAIL_MISSING_FIELD_CODES, ZEPTOMAIL_SENDER_NOT_VERIFIED } from './zeptomail-codes';

const SEND_PATH = '/v1.1/email';
const TOKEN_SCHEME = 'Zoho-enczapikey';

function mailbox(address: Address): { address: string; name?: string } {
  return address.name ? { address: address.address, name: address.name } : { address: address.address };
}

function recipients(list: Address[]): Array<{ email_address: { address: string; name?: string } }> {
  return list.map((address) => ({ email_address: mailbox(address) }));
}

function body(envelope: Envelope): Record<string, unknown> {
  const { files, inline } = splitAttachments(envelope);
  return compact({
    from: mailbox(envelope.from),
    to: recipients(envelope.to),
    cc: recipients(envelope.cc),
    bcc: recipients(envelope.bcc),
    reply_to: envelope.replyTo ? [mailbox(envelope.replyTo)] : undefined,
    subject: envelope.subject,
    textbody: envelope.text,
    htmlbody: envelope.html,
    mime_headers: headersWithMessageId(envelope),
    // Returned in webhook events as `email_info.client_reference`.
    client_reference: metadataText(envelope),
    attachments: files.map((file) => ({
      content: file.content.toString('base64'),
      mime_type: file.contentType,
      name: file.filename,
    })),
    inline_images: inline.map((image) => ({
      content: image.content.toString('base64'),
      mime_type: image.contentType,
      cid: image.cid,
    })),
  });
}

function problem(answer: HttpAnswer): VendorProblem {
  const error = answer.json;
  const details = pickArray(error, 'error', 'details');
  const detailCodes = details
    .map((detail) => pickString(detail, 'code'))
    .filter((code) => code !== undefined);
  const topCode = pickString(error, 'error', 'code');
  const message = joinMessage(pickString(error, 'error', 'message'), pickString(details[0], 'message'));
  return vendorProblem(
    message ?? answerText(answer, 'zeptomail'),
    // The detail code (SM_111, SERR_156 …) says more than the family code (TM_4001, TM_3601 …).
    detailCodes[0] ?? topCode,
    detailCodes.includes(ZEPTOMAIL_SENDER_NOT_VERIFIED),
  );
}

/**
 * ZeptoMail's Send Mail token can do nothing but send, so there is no read-only call to authenticate
 * with. The dry run posts a message without any recipient: it cannot be delivered, the API answers 401
 * for a bad token and otherwise a "mandatory field missing" error (or SM_111 when the From domain is
 * not verified in the Mail Agent), which tells the token was accepted.
 */
function judgeVerify(answer: HttpAnswer): VerifyVerdict {
  if (answer.status >= 200 && answer.status < 300) return { ok: true, warnings: [] };
  const found = problem(answer);
  if (
    answer.status === 400 &&
    !found.senderNotVerified &&
    found.vendorCode &&
    ZEPTOMAIL_MISSING_FIELD_CODES.has(found.vendorCode)
  ) {
    return {
      ok: true,
      warnings: [
        'ZeptoMail has no call that only checks a token: a recipient-less request was refused after the token was accepted.',
      ],
    };
  }
  return { ok: false, problem: found };
}

/** ZeptoMail (Zoho): `POST /v1.1/email` with a Send Mail token. */
export const zeptomailAdapter: VendorAdapter = {
  vendor: 'zeptomail',
  authHeaders(apiKey: string) {
    // The console shows the token with its scheme in front; both forms are accepted.
    const token = apiKey.trim();
    return {
      authorization: token.toLowerCase().startsWith(TOKEN_SCHEME.toLowerCase())
        ? token
        : `${TOKEN_SCHEME} ${token}`,
    };
  },
  sendRequest: (envelope) => postJson(SEND_PATH, body(envelope)),
  accepted: idInBody('request_id'),
  problem,
  verifyRequest: (provider: ProviderConfig) =>
    postJson(SEND_PATH, {
      from: mailbox({ address: provider.fromEmail, name: provider.fromName }),
      subject: 'Verification',
      textbody: 'Verification without recipients.',
    }),
  judgeVerify,
};
