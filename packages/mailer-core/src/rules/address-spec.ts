import { MAX_ADDRESS_LENGTH, MAX_LOCAL_PART_LENGTH } from './limits';

const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~\\u0080-\\uFFFF-]+";
const DOT_ATOM = new RegExp(`^${ATOM}(?:\\.${ATOM})*$`);
const QUOTED_LOCAL = /^"(?:[^"\\\r\n]|\\[^\r\n])*"$/;
const DOMAIN_LABEL = /^(?!-)[A-Za-z0-9\u0080-\uFFFF-]{1,63}(?<!-)$/;
const DOMAIN_LITERAL = /^\[(?:\d{1,3}(?:\.\d{1,3}){3}|IPv6:[0-9A-Fa-f:.]+)\]$/;

/**
 * True for an addr-spec (`local@domain`) as mail systems accept it: a dot-atom or quoted local part and a
 * host name or address literal. Display names and angle brackets are not part of an addr-spec.
 */
export function isAddrSpec(value: string): boolean {
  if (value.length === 0 || value.length > MAX_ADDRESS_LENGTH) return false;
  // Whitespace is allowed only inside a quoted local part; most addresses have no quotes to strip.
  const unquoted = value.includes('"') ? value.replace(/"(?:[^"\\]|\\.)*"/g, '""') : value;
  if (/\s/.test(unquoted)) return false;
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local.length > MAX_LOCAL_PART_LENGTH) return false;
  if (!DOT_ATOM.test(local) && !QUOTED_LOCAL.test(local)) return false;
  if (DOMAIN_LITERAL.test(domain)) return true;
  return domain.split('.').every((label) => DOMAIN_LABEL.test(label));
}
