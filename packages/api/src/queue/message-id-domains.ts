import { hostname } from 'node:os';
import { isAddrSpec, type Channel, type Mailer } from '@mail-providers/mailer-core';

/** The domain of the Message-IDs a claim fixes for the deliveries of a channel. */
export interface MessageIdDomainSource {
  domainFor(channel: Channel): Promise<string>;
}

/** How long a looked-up domain is used before the chain is read again. */
const CACHE_MS = 10_000;

/**
 * The Message-ID domain of each channel: the From domain of the first provider of its chain, else this
 * host's name. Looked up at most every ten seconds, and again at once after a provider changed.
 */
export class MessageIdDomains implements MessageIdDomainSource {
  private readonly cache = new Map<Channel, { domain: string; at: number }>();

  constructor(private readonly mailer: () => Mailer) {}

  /** A provider was added, changed or removed: the domains are looked up again. */
  forget(): void {
    this.cache.clear();
  }

  async domainFor(channel: Channel): Promise<string> {
    const cached = this.cache.get(channel);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.domain;
    const domain = orHostName(await this.firstFromDomain(channel));
    this.cache.set(channel, { domain, at: Date.now() });
    return domain;
  }

  private async firstFromDomain(channel: Channel): Promise<string | undefined> {
    try {
      const chain = await this.mailer().chain(channel);
      const fromEmail = chain[0]?.fromEmail;
      return fromEmail && isAddrSpec(fromEmail) ? fromEmail.slice(fromEmail.lastIndexOf('@') + 1) : undefined;
    } catch {
      return undefined;
    }
  }
}

/** A domain fit for a Message-ID, or this host's name. */
export function orHostName(domain: string | undefined): string {
  if (domain && /^[A-Za-z0-9.-]+$/.test(domain)) return domain;
  return hostname().replace(/[^A-Za-z0-9.-]/g, '') || 'localhost';
}
