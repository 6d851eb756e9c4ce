import type { ApiVendor } from '../src/provider';
import type { RecordedRequest } from '../src/test-support/vendor-emulator';
import { isRecord, pick, pickArray, pickString } from '../src/transports/http/json-fields';

/** An attachment as a vendor received it: what every vendor can carry, plus what only some do. */
export interface SeenAttachment {
  filename?: string;
  contentType?: string;
  /** base64 of the bytes */
  content: string;
  cid?: string;
}

/** A vendor request read back into one shape, so one expectation checks all seven mappings. */
export interface SeenMessage {
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo?: string;
  subject?: string;
  text?: string;
  html?: string;
  headers: Record<string, string>;
  attachments: SeenAttachment[];
}

/** `Name <addr>` or `addr`, the display form these views compare. */
export function show(address: string | undefined, name?: string): string {
  return name ? `${name} <${address ?? ''}>` : (address ?? '');
}

/** Reads `"Carol, CC" <c@x>` as `Carol, CC <c@x>`. */
function unquote(formatted: string): string {
  const match = formatted.trim().match(/^"((?:[^"\\]|\\.)*)"\s*(<[^>]+>)$/);
  return match ? `${(match[1] ?? '').replace(/\\(.)/g, '$1')} ${match[2] ?? ''}` : formatted.trim();
}

/** Splits a comma-separated address list, leaving commas inside quotes alone. */
export function splitList(list: string | undefined): string[] {
  if (!list) return [];
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < list.length; i += 1) {
    const char = list[i] ?? '';
    if (char === '\\' && quoted) {
      current += char + (list[i + 1] ?? '');
      i += 1;
      continue;
    }
    if (char === '"') quoted = !quoted;
    if (char === ',' && !quoted) {
      parts.push(unquote(current));
      current = '';
    } else {
      current += char;
    }
  }
  if (current.trim()) parts.push(unquote(current));
  return parts;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isRecord(value))
    for (const [key, item] of Object.entries(value)) if (typeof item === 'string') out[key] = item;
  return out;
}

function mailboxes(list: unknown[], emailKey: string, nameKey = 'name'): string[] {
  return list.map((item) => show(pickString(item, emailKey), pickString(item, nameKey)));
}

function defined(fields: SeenAttachment): SeenAttachment {
  const out: SeenAttachment = { content: fields.content };
  if (fields.filename !== undefined) out.filename = fields.filename;
  if (fields.contentType !== undefined) out.contentType = fields.contentType;
  if (fields.cid !== undefined) out.cid = fields.cid;
  return out;
}

function zeptomail(json: unknown): SeenMessage {
  const who = (list: unknown[]) =>
    list.map((item) =>
      show(pickString(item, 'email_address', 'address'), pickString(item, 'email_address', 'name')),
    );
  return {
    from: show(pickString(json, 'from', 'address'), pickString(json, 'from', 'name')),
    to: who(pickArray(json, 'to')),
    cc: who(pickArray(json, 'cc')),
    bcc: who(pickArray(json, 'bcc')),
    replyTo: show(pickString(json, 'reply_to', 0, 'address'), pickString(json, 'reply_to', 0, 'name')),
    subject: pickString(json, 'subject'),
    text: pickString(json, 'textbody'),
    html: pickString(json, 'htmlbody'),
    headers: stringRecord(pick(json, 'mime_headers')),
    attachments: [
      ...pickArray(json, 'attachments').map((a) =>
        defined({
          filename: pickString(a, 'name'),
          contentType: pickString(a, 'mime_type'),
          content: pickString(a, 'content') ?? '',
        }),
      ),
      ...pickArray(json, 'inline_images').map((a) =>
        defined({
          cid: pickString(a, 'cid'),
          contentType: pickString(a, 'mime_type'),
          content: pickString(a, 'content') ?? '',
        }),
      ),
    ],
  };
}

function sendgrid(json: unknown): SeenMessage {
  const content = pickArray(json, 'content');
  const part = (type: string) =>
    pickString(
      content.find((item) => pickString(item, 'type') === type),
      'value',
    );
  return {
    from: show(pickString(json, 'from', 'email'), pickString(json, 'from', 'name')),
    to: mailboxes(pickArray(json, 'personalizations', 0, 'to'), 'email'),
    cc: mailboxes(pickArray(json, 'personalizations', 0, 'cc'), 'email'),
    bcc: mailboxes(pickArray(json, 'personalizations', 0, 'bcc'), 'email'),
    replyTo: show(pickString(json, 'reply_to', 'email'), pickString(json, 'reply_to', 'name')),
    subject: pickString(json, 'subject'),
    text: part('text/plain'),
    html: part('text/html'),
    headers: stringRecord(pick(json, 'headers')),
    attachments: pickArray(json, 'attachments').map((a) => {
      const inline = pickString(a, 'disposition') === 'inline';
      return defined({
        filename: inline ? undefined : pickString(a, 'filename'),
        contentType: pickString(a, 'type'),
        content: pickString(a, 'content') ?? '',
        cid: inline ? pickString(a, 'content_id') : undefined,
      });
    }),
  };
}

function mailgun(_json: unknown, request: RecordedRequest): SeenMessage {
  const form = request.form ?? {};
  const one = (name: string) => form[name]?.[0];
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(form)) {
    if (name.startsWith('h:') && name !== 'h:Reply-To' && values[0] !== undefined)
      headers[name.slice(2)] = values[0];
  }
  return {
    from: unquote(one('from') ?? ''),
    to: (form.to ?? []).map(unquote),
    cc: (form.cc ?? []).map(unquote),
    bcc: (form.bcc ?? []).map(unquote),
    replyTo: unquote(one('h:Reply-To') ?? ''),
    subject: one('subject'),
    text: one('text'),
    html: one('html'),
    headers,
    attachments: request.files.map((file) =>
      defined({
        filename: file.field === 'attachment' ? file.filename : undefined,
        cid: file.field === 'inline' ? file.filename : undefined,
        contentType: file.contentType,
        content: file.content.toString('base64'),
      }),
    ),
  };
}

function postmark(json: unknown): SeenMessage {
  const headers: Record<string, string> = {};
  for (const item of pickArray(json, 'Headers')) {
    const name = pickString(item, 'Name');
    const value = pickString(item, 'Value');
    if (name !== undefined && value !== undefined) headers[name] = value;
  }
  return {
    from: unquote(pickString(json, 'From') ?? ''),
    to: splitList(pickString(json, 'To')),
    cc: splitList(pickString(json, 'Cc')),
    bcc: splitList(pickString(json, 'Bcc')),
    replyTo: unquote(pickString(json, 'ReplyTo') ?? ''),
    subject: pickString(json, 'Subject'),
    text: pickString(json, 'TextBody'),
    html: pickString(json, 'HtmlBody'),
    headers,
    attachments: pickArray(json, 'Attachments').map((a) => {
      const cid = pickString(a, 'ContentID')?.replace(/^cid:/, '');
      return defined({
        filename: cid ? undefined : pickString(a, 'Name'),
        contentType: pickString(a, 'ContentType'),
        content: pickString(a, 'Content') ?? '',
        cid,
      });
    }),
  };
}

function resend(json: unknown): SeenMessage {
  return {
    from: unquote(pickString(json, 'from') ?? ''),
    to: strings(pick(json, 'to')).map(unquote),
    cc: strings(pick(json, 'cc')).map(unquote),
    bcc: strings(pick(json, 'bcc')).map(unquote),
    replyTo: unquote(pickString(json, 'reply_to') ?? ''),
    subject: pickString(json, 'subject'),
    text: pickString(json, 'text'),
    html: pickString(json, 'html'),
    headers: stringRecord(pick(json, 'headers')),
    attachments: pickArray(json, 'attachments').map((a) => {
      const cid = pickString(a, 'content_id');
      return defined({
        filename: cid ? undefined : pickString(a, 'filename'),
        contentType: pickString(a, 'content_type'),
        content: pickString(a, 'content') ?? '',
        cid,
      });
    }),
  };
}

function brevo(json: unknown): SeenMessage {
  return {
    from: show(pickString(json, 'sender', 'email'), pickString(json, 'sender', 'name')),
    to: mailboxes(pickArray(json, 'to'), 'email'),
    cc: mailboxes(pickArray(json, 'cc'), 'email'),
    bcc: mailboxes(pickArray(json, 'bcc'), 'email'),
    replyTo: show(pickString(json, 'replyTo', 'email'), pickString(json, 'replyTo', 'name')),
    subject: pickString(json, 'subject'),
    text: pickString(json, 'textContent'),
    html: pickString(json, 'htmlContent'),
    headers: stringRecord(pick(json, 'headers')),
    attachments: pickArray(json, 'attachment').map((a) =>
      defined({ filename: pickString(a, 'name'), content: pickString(a, 'content') ?? '' }),
    ),
  };
}

function sparkpost(json: unknown): SeenMessage {
  const headers = stringRecord(pick(json, 'content', 'headers'));
  const cc = splitList(headers.CC);
  delete headers.CC;
  const recipients = pickArray(json, 'recipients');
  const visible = recipients.filter((r) => pick(r, 'address', 'header_to') === undefined);
  const copies = recipients.filter((r) => pick(r, 'address', 'header_to') !== undefined);
  const ccAddresses = new Set(cc.map((entry) => entry.replace(/^.*<([^>]+)>$/, '$1')));
  return {
    from: show(pickString(json, 'content', 'from', 'email'), pickString(json, 'content', 'from', 'name')),
    to: visible.map((r) => show(pickString(r, 'address', 'email'), pickString(r, 'address', 'name'))),
    cc,
    bcc: copies
      .filter((r) => !ccAddresses.has(pickString(r, 'address', 'email') ?? ''))
      .map((r) => show(pickString(r, 'address', 'email'), pickString(r, 'address', 'name'))),
    replyTo: unquote(pickString(json, 'content', 'reply_to') ?? ''),
    subject: pickString(json, 'content', 'subject'),
    text: pickString(json, 'content', 'text'),
    html: pickString(json, 'content', 'html'),
    headers,
    attachments: [
      ...pickArray(json, 'content', 'attachments').map((a) =>
        defined({
          filename: pickString(a, 'name'),
          contentType: pickString(a, 'type'),
          content: pickString(a, 'data') ?? '',
        }),
      ),
      ...pickArray(json, 'content', 'inline_images').map((a) =>
        defined({
          cid: pickString(a, 'name'),
          contentType: pickString(a, 'type'),
          content: pickString(a, 'data') ?? '',
        }),
      ),
    ],
  };
}

const READERS: Record<ApiVendor, (json: unknown, request: RecordedRequest) => SeenMessage> = {
  zeptomail,
  sendgrid,
  mailgun,
  postmark,
  resend,
  brevo,
  sparkpost,
};

/** The message a vendor received, read back from its own request shape. */
export function seenMessage(request: RecordedRequest): SeenMessage {
  return READERS[request.vendor](request.json, request);
}
