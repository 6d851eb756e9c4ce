import { randomUUID } from 'node:crypto';
import type { Channel, Message } from '@mail-providers/mailer-core';
import { CLAIM_ROUNDS } from './claim-statements';
import type { MessageColumns } from './message-columns';
import type { MessageIdDomainSource } from './message-id-domains';
import type { ClaimedRound } from './outcome-writer';
import { ambiguousFailure } from './round-verdict';
import type { SqlExecutor } from './sql-executor';

/** A delivery a worker holds for one round, with the message to send. */
export interface ClaimedDelivery extends ClaimedRound {
  channel: Channel;
  message: Message;
}

export interface RoundClaimerSettings {
  /** The worker the claimed deliveries are SENDING by, as the log names it. */
  workerId: string;
  /** How long a claim holds a delivery before another worker may take it over. */
  leaseSeconds: number;
  /** Leases that may expire in a row before the delivery is left to the lease sweep to give up. */
  crashRetryLimit: number;
}

/** A row of {@link CLAIM_ROUNDS}. */
interface ClaimRow extends MessageColumns {
  id: string;
  channel: Channel;
  /** Including the round being claimed. */
  rounds: number;
  message_id: string | null;
  window_started_at: Date;
}

/** The failure of a cut round without its message, which the claim writes itself (naming worker and round). */
const { message: _message, ...CUT_ROUND_FAILURE } = ambiguousFailure('');
const CUT_ROUND_FAILURE_JSON = JSON.stringify(CUT_ROUND_FAILURE);

/** Claims due deliveries for one worker (see {@link CLAIM_ROUNDS}). */
export class RoundClaimer {
  constructor(
    private readonly sql: SqlExecutor,
    private readonly domains: MessageIdDomainSource,
    private readonly settings: RoundClaimerSettings,
  ) {}

  /** Claims up to `max` due deliveries; fewer (or none) when fewer are due. */
  async claim(max: number): Promise<ClaimedDelivery[]> {
    const defaultDomain = await this.domains.domainFor('DEFAULT');
    const crmDomain = await this.domains.domainFor('CRM');
    const { rows } = await this.sql.executeSql<ClaimRow>(CLAIM_ROUNDS, [
      max,
      this.settings.workerId,
      defaultDomain,
      crmDomain,
      CUT_ROUND_FAILURE_JSON,
      this.settings.leaseSeconds,
      this.settings.crashRetryLimit,
    ]);
    return rows.map((row) => ({
      id: row.id,
      round: row.rounds,
      channel: row.channel,
      windowStartedAt: new Date(row.window_started_at),
      message: messageOf(row, row.message_id ?? `<${randomUUID()}@${defaultDomain}>`),
    }));
  }
}

function messageOf(row: ClaimRow, messageId: string): Message {
  // The delivery id travels as vendor metadata, so the vendor's delivery events find this delivery.
  const message: Message = {
    to: row.to_addresses,
    subject: row.subject,
    messageId,
    metadata: { deliveryId: row.id },
  };
  if (row.cc_addresses.length > 0) message.cc = row.cc_addresses;
  if (row.bcc_addresses.length > 0) message.bcc = row.bcc_addresses;
  if (row.reply_to !== null) message.replyTo = row.reply_to;
  if (row.text_body !== null) message.text = row.text_body;
  if (row.html_body !== null) message.html = row.html_body;
  return message;
}
