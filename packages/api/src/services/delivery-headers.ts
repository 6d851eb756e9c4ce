import { formatAddress } from '@mail-providers/mailer-core';

export interface MessageHeaderView {
  name: string;
  value: string;
}

/** What the headers of a delivery are made of: its stored fields and the delivering provider's From. */
export interface HeaderSource {
  to: readonly string[];
  cc: readonly string[];
  replyTo: string | null;
  subject: string;
  messageId: string | null;
  sentAt: Date | null;
  /** The From of the provider that delivered it, when it was delivered and that provider still exists. */
  from: { fromEmail: string; fromName: string } | null;
}

/**
 * The headers the product sets on a message, in the order it sends them: From (the delivering provider's),
 * To, Cc, Reply-To, Subject, Message-ID and Date (when it was sent). Bcc is never a header. A header with
 * nothing to say is left out.
 */
export function deliveryHeaders(source: HeaderSource): MessageHeaderView[] {
  const headers: MessageHeaderView[] = [];
  const add = (name: string, value: string | null) => {
    if (value !== null && value !== '') headers.push({ name, value });
  };
  if (source.from) {
    const { fromEmail, fromName } = source.from;
    add('From', formatAddress(fromName ? { address: fromEmail, name: fromName } : { address: fromEmail }));
  }
  add('To', source.to.join(', '));
  add('Cc', source.cc.join(', '));
  add('Reply-To', source.replyTo);
  add('Subject', source.subject);
  add('Message-ID', source.messageId);
  add('Date', source.sentAt ? rfc5322Date(source.sentAt) : null);
  return headers;
}

/** `Mon, 07 Dec 2026 14:48:15 +0000`: the date as a Date header writes it, in UTC. */
export function rfc5322Date(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}
