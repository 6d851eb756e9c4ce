import type { Envelope, PreparedAttachment } from '../../message';
import type { ProviderConfig } from '../../provider';
import type { HttpAnswer } from './http-client';
import { pickString } from './json-fields';
import { domainOf, formatAddress, headersWithMessageId } from './mail-fields';
import type { VendorAdapter, VendorProblem, VerifyVerdict } from './vendor-adapter';
import { answerText, idInBody, vendorProblem } from './vendor-adapter';

// Unknown sending domain (or the other region's account), and sandbox domains limited to authorised
// recipients: both are this account's setup, not the message.
const SENDER_PROBLEM = /domain not found|sandbox|not (?:a )?verified|unverified/i;

function appendFile(
  form: FormData,
  field: 'attachment' | 'inline',
  file: PreparedAttachment,
  filename: string,
): void {
  form.append(field, new Blob([file.content], { type: file.contentType }), filename);
}

function form(envelope: Envelope): FormData {
  const data = new FormData();
  data.append('from', formatAddress(envelope.from));
  for (const address of envelope.to) data.append('to', formatAddress(address));
  for (const address of envelope.cc) data.append('cc', formatAddress(address));
  for (const address of envelope.bcc) data.append('bcc', formatAddress(address));
  data.append('subject', envelope.subject);
  if (envelope.text !== undefined) data.append('text', envelope.text);
  if (envelope.html !== undefined) data.append('html', envelope.html);
  if (envelope.replyTo) data.append('h:Reply-To', formatAddress(envelope.replyTo));
  for (const [name, value] of Object.entries(headersWithMessageId(envelope))) data.append(`h:${name}`, value);
  // `v:` variables come back in every webhook event as `event-data.user-variables`.
  for (const [name, value] of Object.entries(envelope.metadata ?? {})) data.append(`v:${name}`, value);
  for (const attachment of envelope.attachments) {
    // Mailgun names an inline part's Content-ID after its file name, so the cid becomes the name.
    if (attachment.cid) appendFile(data, 'inline', attachment, attachment.cid);
    else appendFile(data, 'attachment', attachment, attachment.filename);
  }
  return data;
}

/** Mailgun answers JSON `{message}` mostly, but a bad key gets a bare "Forbidden" text. */
function bareRefusal(answer: HttpAnswer): string | undefined {
  const text = answer.text.trim();
  return /^(?:Forbidden|Unauthorized)$/i.test(text) ? text : undefined;
}

function problem(answer: HttpAnswer): VendorProblem {
  const message = pickString(answer.json, 'message') ?? bareRefusal(answer) ?? answerText(answer, 'mailgun');
  const senderProblem = (answer.status === 404 || answer.status === 403) && SENDER_PROBLEM.test(message);
  return vendorProblem(message, undefined, senderProblem);
}

function domainPath(fromEmail: string): string {
  return encodeURIComponent(domainOf(fromEmail));
}

/** `GET /v4/domains/{domain}` proves the key and that the From domain belongs to this account and region. */
function judgeVerify(answer: HttpAnswer, provider: ProviderConfig): VerifyVerdict {
  const domain = domainOf(provider.fromEmail);
  if (answer.status === 404) {
    return {
      ok: false,
      problem: {
        message: `Domain ${domain} was not found at this Mailgun account (or in this region).`,
        senderNotVerified: true,
      },
    };
  }
  if (answer.status < 200 || answer.status >= 300) return { ok: false };
  const state = pickString(answer.json, 'domain', 'state');
  if (state === undefined || state === 'active') return { ok: true, warnings: [] };
  return {
    ok: true,
    warnings: [`Mailgun reports the domain ${domain} as ${state}: finish its DNS verification.`],
  };
}

/** Mailgun: `POST /v3/{domain}/messages` (multipart), Basic `api:<key>`; the domain is From Email's. */
export const mailgunAdapter: VendorAdapter = {
  vendor: 'mailgun',
  authHeaders: (apiKey) => ({ authorization: `Basic ${Buffer.from(`api:${apiKey}`).toString('base64')}` }),
  sendRequest: (envelope) => ({
    method: 'POST',
    path: `/v3/${domainPath(envelope.from.address)}/messages`,
    body: { type: 'form', value: form(envelope) },
  }),
  accepted: idInBody('id'),
  problem,
  verifyRequest: (provider) => ({ method: 'GET', path: `/v4/domains/${domainPath(provider.fromEmail)}` }),
  judgeVerify,
};
