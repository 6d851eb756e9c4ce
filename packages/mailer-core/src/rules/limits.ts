/**
 * The limits of a provider's settings and of a message's header fields, in one place for the engine, the
 * API and the panel.
 */
export const PROVIDER_LIMITS = {
  nameMax: 64,
  /** A DNS name's longest text form (RFC 1035). */
  hostMax: 253,
  usernameMax: 256,
  fromNameMax: 128,
  portMin: 1,
  portMax: 65535,
} as const;

/** RFC 5321: 64 octets of local part. */
export const MAX_LOCAL_PART_LENGTH = 64;

/** The longest address a forward path can carry (RFC 5321 §4.5.3.1.3 minus the angle brackets). */
export const MAX_ADDRESS_LENGTH = 254;

/** RFC 5322 keeps a header line under 998 characters; a longer subject would be folded or cut by relays. */
export const MAX_SUBJECT_LENGTH = 998;
