import { randomUUID } from 'node:crypto';
import type { ApiVendor } from '../provider';

/** What a sample event says happened, in the vocabulary shared by every vendor. */
export type SampleKind = 'delivered' | 'hard_bounce' | 'soft_bounce' | 'complaint' | 'open';

export interface SampleEvent {
  kind: SampleKind;
  recipient: string;
  /** The vendor's message id as its send answer gave it (X-Message-Id, `id`, `MessageID` …). */
  vendorMessageId?: string;
  /** Our Message-ID header, for the vendors that report it. */
  messageIdHeader?: string;
  /** What the transport attached at send (Message.metadata). */
  metadata?: Record<string, string>;
  /** The vendor's event id; a fresh one when absent (give the same one to model a vendor's retry). */
  eventId?: string;
  reason?: string;
  /** When it happened; now when absent. */
  at?: Date;
}

/** Which sample kinds a vendor can report at all (ZeptoMail reports bounces, opens and clicks only). */
export function vendorReports(vendor: ApiVendor, kind: SampleKind): boolean {
  return vendor !== 'zeptomail' || (kind !== 'delivered' && kind !== 'complaint');
}

const seconds = (event: SampleEvent) => Math.floor((event.at ?? new Date()).getTime() / 1000);
const iso = (event: SampleEvent) => (event.at ?? new Date()).toISOString();
const idOf = (event: SampleEvent) => event.eventId ?? randomUUID();
const reasonOf = (event: SampleEvent) => event.reason ?? '550 5.1.1 The email account does not exist.';

function mailgun(event: SampleEvent): unknown {
  const [type, severity] = (
    {
      delivered: ['delivered', undefined],
      hard_bounce: ['failed', 'permanent'],
      soft_bounce: ['failed', 'temporary'],
      complaint: ['complained', undefined],
      open: ['opened', undefined],
    } as const
  )[event.kind];
  return {
    'event-data': {
      id: idOf(event),
      event: type,
      ...(severity ? { severity, 'delivery-status': { code: 550, description: reasonOf(event) } } : {}),
      timestamp: seconds(event),
      recipient: event.recipient,
      message: { headers: { 'message-id': event.vendorMessageId ?? event.messageIdHeader ?? '' } },
      'user-variables': event.metadata ?? {},
    },
  };
}

function sendgrid(event: SampleEvent): Record<string, unknown> {
  const fields = {
    delivered: { event: 'delivered', response: '250 OK' },
    hard_bounce: { event: 'bounce', type: 'bounce', reason: reasonOf(event), status: '5.1.1' },
    soft_bounce: { event: 'bounce', type: 'blocked', reason: reasonOf(event), status: '4.0.0' },
    complaint: { event: 'spamreport' },
    open: { event: 'open', useragent: 'Mozilla/5.0' },
  }[event.kind];
  return {
    email: event.recipient,
    timestamp: seconds(event),
    'smtp-id': event.messageIdHeader,
    sg_event_id: idOf(event),
    sg_message_id: event.vendorMessageId ? `${event.vendorMessageId}.filterdrecv-1.2.3.0` : undefined,
    ...fields,
    ...event.metadata,
  };
}

function postmark(event: SampleEvent): unknown {
  const common = { MessageID: event.vendorMessageId, Metadata: event.metadata ?? {}, ServerID: 23 };
  const bounce = (type: string, typeCode: number) => ({
    RecordType: 'Bounce',
    ID: event.eventId ?? Math.floor(Math.random() * 1e9),
    Type: type,
    TypeCode: typeCode,
    Email: event.recipient,
    Details: reasonOf(event),
    BouncedAt: iso(event),
    ...common,
  });
  switch (event.kind) {
    case 'delivered':
      return {
        RecordType: 'Delivery',
        Recipient: event.recipient,
        DeliveredAt: iso(event),
        Details: 'OK',
        ...common,
      };
    case 'hard_bounce':
      return bounce('HardBounce', 1);
    case 'soft_bounce':
      return bounce('SoftBounce', 4096);
    case 'complaint':
      return { ...bounce('SpamComplaint', 512), RecordType: 'SpamComplaint' };
    case 'open':
      return { RecordType: 'Open', Recipient: event.recipient, ReceivedAt: iso(event), ...common };
  }
}

/** The event names of the vendors whose payloads name the event in one field, by sample kind. */
const EVENT_NAMES: Record<SampleKind, { resend: string; brevo: string; zeptomail?: string }> = {
  delivered: { resend: 'email.delivered', brevo: 'delivered' },
  hard_bounce: { resend: 'email.bounced', brevo: 'hard_bounce', zeptomail: 'hardbounce' },
  soft_bounce: { resend: 'email.bounced', brevo: 'soft_bounce', zeptomail: 'softbounce' },
  complaint: { resend: 'email.complained', brevo: 'spam' },
  open: { resend: 'email.opened', brevo: 'opened', zeptomail: 'email_open' },
};

const RESEND_BOUNCE_TYPES: Partial<Record<SampleKind, string>> = {
  hard_bounce: 'Permanent',
  soft_bounce: 'Transient',
};

function resend(event: SampleEvent): unknown {
  const type = EVENT_NAMES[event.kind].resend;
  const bounceType = RESEND_BOUNCE_TYPES[event.kind];
  return {
    type,
    created_at: iso(event),
    data: {
      email_id: event.vendorMessageId,
      to: [event.recipient],
      subject: 'Sample',
      tags: event.metadata ?? {},
      ...(bounceType ? { bounce: { type: bounceType, subType: 'General', message: reasonOf(event) } } : {}),
    },
  };
}

function brevo(event: SampleEvent): unknown {
  const type = EVENT_NAMES[event.kind].brevo;
  return {
    event: type,
    email: event.recipient,
    id: 123456,
    date: iso(event),
    ts_event: seconds(event),
    'message-id': event.vendorMessageId ?? event.messageIdHeader,
    reason: event.kind.endsWith('bounce') ? reasonOf(event) : undefined,
    ...(event.metadata ? { 'X-Mailin-custom': new URLSearchParams(event.metadata).toString() } : {}),
  };
}

function sparkpost(event: SampleEvent): unknown {
  const fields = {
    delivery: { type: 'delivery' },
    hard_bounce: { type: 'bounce', bounce_class: '10', raw_reason: reasonOf(event) },
    soft_bounce: { type: 'bounce', bounce_class: '21', raw_reason: reasonOf(event) },
    complaint: { type: 'spam_complaint', fbtype: 'abuse' },
    open: { type: 'open' },
  }[event.kind === 'delivered' ? 'delivery' : event.kind];
  const group = event.kind === 'open' ? 'track_event' : 'message_event';
  return {
    msys: {
      [group]: {
        ...fields,
        event_id: idOf(event),
        rcpt_to: event.recipient,
        transmission_id: event.vendorMessageId,
        rcpt_meta: event.metadata ?? {},
        timestamp: String(seconds(event)),
      },
    },
  };
}

function zeptomail(event: SampleEvent): unknown {
  const type = EVENT_NAMES[event.kind].zeptomail;
  if (!type) throw new Error(`ZeptoMail reports no ${event.kind} events.`);
  return {
    event_name: [type],
    event_message: [
      {
        email_info: {
          to: [{ email_address: { address: event.recipient, name: '' } }],
          client_reference: event.metadata ? new URLSearchParams(event.metadata).toString() : undefined,
          subject: 'Sample',
          processed_time: iso(event),
        },
        event_data: [
          {
            object: type,
            details: [
              {
                bounced_recipient: event.recipient,
                time: iso(event),
                reason: 'Mailbox not found',
                diagnostic_message: reasonOf(event),
              },
            ],
          },
        ],
        request_id: event.vendorMessageId,
      },
    ],
    webhook_request_id: randomUUID(),
  };
}

const SINGLE: Record<Exclude<ApiVendor, 'sendgrid' | 'sparkpost'>, (event: SampleEvent) => unknown> = {
  mailgun,
  postmark,
  resend,
  brevo,
  zeptomail,
};

/**
 * A webhook payload in the vendor's documented shape: SendGrid and SparkPost batch every event given in
 * one array; the other vendors post one event per request, so only the first is used.
 */
export function sampleVendorPayload(vendor: ApiVendor, events: SampleEvent[]): unknown {
  if (vendor === 'sendgrid') return events.map(sendgrid);
  if (vendor === 'sparkpost') return events.map(sparkpost);
  const [first] = events;
  if (!first) throw new Error('Give at least one event.');
  return SINGLE[vendor](first);
}
