/**
 * Small readers for untyped JSON (vendor answers, recorded request bodies): they walk a path and return
 * the value only when it has the expected type, so no cast is needed anywhere a vendor's shape is read.
 */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at `path` (object keys and array indexes), or undefined when any step is missing. */
export function pick(value: unknown, ...path: Array<string | number>): unknown {
  let current: unknown = value;
  for (const step of path) {
    if (typeof step === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[step];
    } else {
      if (!isRecord(current)) return undefined;
      current = current[step];
    }
  }
  return current;
}

/** A string (or a number, as vendors send codes either way) at `path`. */
export function pickString(value: unknown, ...path: Array<string | number>): string | undefined {
  const found = pick(value, ...path);
  if (typeof found === 'string') return found;
  if (typeof found === 'number' && Number.isFinite(found)) return String(found);
  return undefined;
}

/** A finite number at `path`. */
export function pickNumber(value: unknown, ...path: Array<string | number>): number | undefined {
  const found = pick(value, ...path);
  return typeof found === 'number' && Number.isFinite(found) ? found : undefined;
}

/** The array at `path`, or an empty one. */
export function pickArray(value: unknown, ...path: Array<string | number>): unknown[] {
  const found = pick(value, ...path);
  return Array.isArray(found) ? found : [];
}

/** JSON.parse that answers undefined for anything that is not JSON (HTML error pages, plain text). */
export function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
