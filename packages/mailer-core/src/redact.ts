import { MIN_SECRET_LENGTH, secretPattern } from './secret-forms';

const REDACTED = '[redacted]';

interface Redactor {
  /** The entries the redactor was built from, to notice a list changed in place. */
  entries: ReadonlyArray<string | undefined | null>;
  /** Matches any form of any secret: one pass tells whether there is anything to do. */
  any: RegExp | undefined;
  /** One pattern per secret, so that forms of two secrets that overlap are both taken out. */
  each: RegExp[];
}

/**
 * Built once per list of secrets: the engine and each transport hand the same list to every call until a
 * secret changes. Kept no longer than the list itself, so no secret outlives its holder here.
 */
const redactors = new WeakMap<ReadonlyArray<string | undefined | null>, Redactor>();

/**
 * Replaces every occurrence of each secret, in every form a peer may echo it in (see `secretPattern`:
 * as is, JSON-escaped, URL-encoded, quoted-printable, HTML-escaped, base64 alone or inside AUTH PLAIN and
 * HTTP Basic blobs), with `[redacted]`. Secrets shorter than four characters are left alone. Used on
 * every provider message before it reaches a result or a log line.
 */
export function redact(text: string, secrets: ReadonlyArray<string | undefined | null>): string {
  if (text.length === 0 || secrets.length === 0) return text;
  const redactor = redactorFor(secrets);
  if (!redactor.any || !redactor.any.test(text)) return text;

  const spans: Array<[number, number]> = [];
  for (const pattern of redactor.each) {
    for (const match of text.matchAll(pattern)) spans.push([match.index, match.index + match[0].length]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  let out = '';
  let position = 0;
  let open: [number, number] | undefined;
  for (const span of spans) {
    if (open && span[0] <= open[1]) {
      open[1] = Math.max(open[1], span[1]);
      continue;
    }
    if (open) {
      out += text.slice(position, open[0]) + REDACTED;
      position = open[1];
    }
    open = [span[0], span[1]];
  }
  if (open) {
    out += text.slice(position, open[0]) + REDACTED;
    position = open[1];
  }
  return out + text.slice(position);
}

function redactorFor(secrets: ReadonlyArray<string | undefined | null>): Redactor {
  const known = redactors.get(secrets);
  if (known && sameEntries(known.entries, secrets)) return known;
  const sources: string[] = [];
  const distinct = [...new Set(secrets)].filter((secret): secret is string => !!secret);
  for (const secret of distinct) {
    // Every textual form of a secret that contains another contains that one's form: its own base64
    // forms are all it adds, and a textual pattern costs a pass of its own over every logged string.
    const container = distinct.some(
      (other) => other !== secret && other.length >= MIN_SECRET_LENGTH && secret.includes(other),
    );
    const source = secretPattern(secret, container);
    if (source !== undefined) sources.push(source);
  }
  const redactor: Redactor = {
    entries: [...secrets],
    any: sources.length > 0 ? new RegExp(sources.join('|')) : undefined,
    each: sources.map((source) => new RegExp(source, 'g')),
  };
  redactors.set(secrets, redactor);
  return redactor;
}

function sameEntries(
  a: ReadonlyArray<string | undefined | null>,
  b: ReadonlyArray<string | undefined | null>,
): boolean {
  return a.length === b.length && a.every((entry, i) => entry === b[i]);
}
