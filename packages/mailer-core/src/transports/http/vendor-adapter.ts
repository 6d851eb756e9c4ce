import type { Envelope } from '../../message';
import type { ApiVendor, ProviderConfig } from '../../provider';
import type { RejectedRecipient } from '../../result';
import type { HttpAnswer } from './http-client';
import { pickString } from './json-fields';

/** A body before serialisation: JSON for most vendors, a multipart form for Mailgun. */
export type OutgoingBody = { type: 'json'; value: unknown } | { type: 'form'; value: FormData };

/** One call to a vendor's API, relative to the provider's base URL. */
export interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  body?: OutgoingBody;
  /** Extra headers besides authentication (e.g. Resend's Idempotency-Key). */
  headers?: Record<string, string>;
  /** Things the vendor cannot carry for this message, logged as warnings (e.g. inline images on Brevo). */
  notes?: string[];
}

/** What a vendor's error body says, in the terms of `HttpEvidence`. */
export interface VendorProblem {
  vendorCode?: string;
  message: string;
  senderNotVerified?: boolean;
}

/** What a 2xx answer to a send says. */
export interface AcceptedAnswer {
  providerMessageId?: string;
  /** Recipients the vendor refused while taking the message for the others. */
  rejected?: RejectedRecipient[];
}

/**
 * How a verification answer is judged. Not every 2xx means "ready to send" (a Resend domain still
 * pending), and not every 4xx means the key is wrong (a send-only key refused a read call after
 * authenticating), so each vendor says.
 */
export type VerifyVerdict =
  | { ok: true; warnings: string[] }
  | {
      ok: false;
      /** Replaces the problem read from the answer when the status alone does not tell it. */
      problem?: VendorProblem;
      /** The status a send would have met, when the answer itself was a 2xx (a key lacking the send scope). */
      status?: number;
    };

/**
 * Everything that differs between the HTTP API vendors; the request/answer handling they share lives in
 * vendor-transport.ts. Adding a vendor means writing one of these and listing it in index.ts.
 */
export interface VendorAdapter {
  readonly vendor: ApiVendor;
  /** Headers that authenticate every request with the API key. */
  authHeaders(apiKey: string): Record<string, string>;
  sendRequest(envelope: Envelope): RequestSpec;
  /** Reads a 2xx answer to a send. */
  accepted(answer: HttpAnswer): AcceptedAnswer;
  /** Reads an answer that is not a 2xx. */
  problem(answer: HttpAnswer): VendorProblem;
  /** An authenticated call that sends nothing (or the vendor's documented dry run). */
  verifyRequest(provider: ProviderConfig): RequestSpec;
  judgeVerify(answer: HttpAnswer, provider: ProviderConfig): VerifyVerdict;
}

/** A POST with a JSON body: how every vendor but Mailgun sends. */
export function postJson(path: string, value: unknown): RequestSpec {
  return { method: 'POST', path, body: { type: 'json', value } };
}

/** A problem that names the vendor's code only when it gave one, and flags the sender only when it is at fault. */
export function vendorProblem(
  message: string,
  vendorCode: string | undefined,
  senderNotVerified: boolean,
): VendorProblem {
  return {
    ...(vendorCode ? { vendorCode } : {}),
    message,
    ...(senderNotVerified ? { senderNotVerified: true } : {}),
  };
}

/** The usual verdict: any 2xx is a pass, anything else fails with the problem the answer carries. */
export function judgeByStatus(answer: HttpAnswer): VerifyVerdict {
  return answer.status >= 200 && answer.status < 300 ? { ok: true, warnings: [] } : { ok: false };
}

/** How vendors are named in what operators read. */
export const VENDOR_NAMES: Readonly<Record<ApiVendor, string>> = {
  zeptomail: 'ZeptoMail',
  sendgrid: 'SendGrid',
  mailgun: 'Mailgun',
  postmark: 'Postmark',
  resend: 'Resend',
  brevo: 'Brevo',
  sparkpost: 'SparkPost',
};

/**
 * What to say of an answer whose body has none of the vendor's shapes: its status, and that the body is
 * not the vendor's API. The body itself is never quoted: whatever answers in the vendor's place (a web
 * server, a proxy's error page, another service) is not the vendor, and its page may show what it should
 * not (a token, an internal address).
 */
export function answerText(answer: HttpAnswer, vendor: ApiVendor): string {
  if (answer.text.trim() === '') return `HTTP ${answer.status}`;
  return `Answered HTTP ${answer.status} with a body that is not ${VENDOR_NAMES[vendor]}'s API.`;
}

/** Joins the non-empty parts of a vendor message ("Invalid domain: Unconfigured Sending Domain <x>"). */
export function joinMessage(...parts: Array<string | undefined>): string | undefined {
  const kept = parts.map((part) => part?.trim()).filter((part): part is string => Boolean(part));
  const unique = kept.filter((part, index) => kept.indexOf(part) === index);
  return unique.length > 0 ? unique.join(': ') : undefined;
}

/** Reads a send's message id from one place in the JSON answer (`id`, `MessageID`, `request_id` …). */
export function idInBody(...path: string[]): (answer: HttpAnswer) => AcceptedAnswer {
  return (answer) => {
    const id = pickString(answer.json, ...path);
    return id ? { providerMessageId: id } : {};
  };
}
