// Part of the public API, so kept apart from the nodemailer options they feed: the package's declarations
// then name no nodemailer type, which consumers have no typings for.

/** Enough parallel sessions for throughput, few enough that a provider's per-account connection limit holds. */
export const SMTP_MAX_CONNECTIONS = 5;
/** A session is recycled after this many messages, as most providers expect. */
export const SMTP_MAX_MESSAGES_PER_CONNECTION = 100;
