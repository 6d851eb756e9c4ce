// Leaves the panel for another site (an OAuth2 sign-in page); a module of its own so tests can stand in for it.

export function leaveFor(url: string): void {
  window.location.assign(url);
}
