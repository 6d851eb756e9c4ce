// English texts of the delivery log and a delivery's detail, loaded with those pages rather than with the
// panel's first screen (see log-messages.ts). vue-i18n syntax as in en.ts.

const logEn = {
  deliveryRange: {
    legend: 'Accepted',
    quick: {
      '24h': 'Last 24 h',
      '7d': 'Last 7 days',
      '30d': 'Last 30 days',
    },
    from: 'From',
    to: 'To',
    reversed: 'To: choose a day on or after the From day; until then the dates are not applied.',
  },
  deliveryChart: {
    summary: 'Sent and failed attempts per provider, {range}: {totals}.',
    totals: '{name} {sent} sent, {failed} failed',
    showData: 'Show the chart as a table',
    hideData: 'Hide the table',
  },
  deliveryDetail: {
    title: 'Delivery',
    intro: 'What happened to this message, and the message itself as it went out.',
    back: 'Delivery log',
    notFound: 'This delivery is not in the log (it may have been removed after the retention period).',
    summary: 'Summary',
    to: 'To',
    cc: 'Cc',
    bcc: 'Bcc',
    replyTo: 'Reply to',
    channel: 'Channel',
    createdAt: 'Accepted',
    finishedAt: 'Finished',
    deliveredBy: 'Delivered by',
    messageId: 'Message-ID',
    resentFrom: 'Resent from',
    resentFromLink: '“{subject}”, accepted {when}',
    resentFromGone: 'Resent from a delivery that is no longer in the log.',
    attempts: 'Attempts',
    headers: 'Headers',
    headersEmpty: 'No headers were recorded for this message.',
    headerName: 'Header',
    headerValue: 'Value',
    body: 'Message',
    text: 'Text version',
    textEmpty: 'This message has no text version.',
    html: 'HTML version',
    htmlEmpty: 'This message has no HTML version.',
    htmlNote: 'Shown without running its scripts and without loading remote images, fonts or styles.',
    htmlFrameTitle: 'HTML version of “{subject}”',
  },
  resend: {
    title: 'Resend',
    intro: 'Sends the same message again as a new delivery, linked to this one.',
    target: 'Send to',
    same: 'The same recipients ({to})',
    other: 'Another address',
    address: 'Recipient address',
    addressPlaceholder: "e.g. name{'@'}example.com",
    addressInvalid: "Recipient address: enter one address such as name{'@'}example.com.",
    fieldError: 'Recipient address: {message}',
    submit: 'Resend',
    sending: 'Resending…',
    done: 'Resent as a new delivery.',
    open: 'Open the new delivery',
  },
  retention: {
    title: 'Log retention',
    current:
      'Deliveries are kept for {count} day, then removed from the log. | Deliveries are kept for {count} days, then removed from the log.',
    default: '(default: {count} day) | (default: {count} days)',
    days: 'Days to keep',
    help: 'A whole number of days from {min} to {max}.',
    invalid: '{field}: enter a whole number from {min} to {max}.',
    fieldError: '{field}: {message}',
    saved: 'Deliveries are now kept for {count} day. | Deliveries are now kept for {count} days.',
    adminsOnly: 'Only administrators can change this.',
  },
  eventTimeline: {
    title: 'Events',
    empty: 'No event recorded yet.',
    bounced: {
      HARD: 'Bounced (hard: the address does not exist or refuses mail)',
      SOFT: 'Bounced (soft: temporary, such as a full mailbox)',
    },
    recipient: 'Recipient: {recipient}',
    reportedBy: 'reported by {name}',
    reason: 'Reason: {reason}',
    suppressedTitle: 'Not sent to these recipients',
    suppressedIntro: 'They are on the suppression list, so they were dropped when the message was accepted.',
    openList: 'Open the suppression list',
  },
  alertText: {
    failures: '{count} failure | {count} failures in a row',
    repeatedFailures: 'repeated failures',
    quoted: '“{name}”',
    anotherProvider: 'another provider',
    CIRCUIT_OPENED: {
      withLast:
        '“{provider}” is skipped for now after {failures} (last: {last}); it is tried again after a pause.',
      plain: '“{provider}” is skipped for now after {failures}; it is tried again after a pause.',
    },
    CIRCUIT_CLOSED: '“{provider}” delivers again and is back in the chain.',
    HEALTH_RESET:
      '“{provider}” had its settings changed, so its earlier failures were forgotten; it is tried again.',
    OAUTH_REVOKED:
      '“{provider}” cannot send: its Microsoft, Google or other OAuth2 sign-in was revoked or has expired. Open the provider under Security > Mail Providers and choose Reconnect.',
    WEBHOOK_DISABLED:
      'The webhook endpoint “{endpoint}” was disabled after failing for too long. Fix the receiver, then enable the endpoint again under Settings > Notifications.',
    FALLBACK_USED: {
      afterFailure: 'Mail went out through {deliveredBy} because “{provider}” failed ({last}).',
      whileSkipped:
        'Mail went out through {deliveredBy} because “{provider}” is skipped after repeated failures.',
    },
  },
};

export type LogMessages = typeof logEn;
export default logEn;
