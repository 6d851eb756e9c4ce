// Which controls a keyboard user can reach inside a part of the page, in the order Tab visits them.

const FOCUSABLE = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  '[tabindex]:not([tabindex="-1"])',
].join(', ');

function isShown(element: HTMLElement): boolean {
  if (element.closest('[hidden]')) return false;
  // Browsers say whether CSS hides it (display:none here or on an ancestor); without that, assume shown.
  return typeof element.checkVisibility === 'function' ? element.checkVisibility() : true;
}

export function focusableIn(root: HTMLElement): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(isShown);
}

/** The control marked autofocus, else the first focusable one. */
export function firstFocusable(root: HTMLElement): HTMLElement | null {
  const marked = root.querySelector<HTMLElement>('[autofocus]');
  if (marked && isShown(marked)) return marked;
  return focusableIn(root)[0] ?? null;
}
