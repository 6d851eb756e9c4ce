// A message's HTML as the delivery detail shows it: inside `<iframe sandbox="">` (no scripts, no forms, no
// popups, an origin of its own) and under a policy that loads nothing from anywhere, so opening a message
// neither runs its code nor tells its sender (tracking pixels) or anyone else that it was read.

export const PREVIEW_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";

const POLICY_META = `<meta http-equiv="Content-Security-Policy" content="${PREVIEW_POLICY}">`;

/**
 * The iframe's srcdoc: the policy first, so it governs everything after it, but after a doctype so the
 * message keeps the rendering mode it asked for.
 */
export function previewDocument(html: string): string {
  const doctype = /^\s*<!doctype[^>]*>/i.exec(html);
  if (!doctype) return POLICY_META + html;
  return doctype[0] + POLICY_META + html.slice(doctype[0].length);
}
