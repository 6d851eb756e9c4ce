// What the browser tests do with a page again and again: call the API as the panel does, wait for the
// page to catch up, sign in, and keep a screenshot when asked to.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import en from '../../src/i18n/en';

/** The API's whole answer to a GraphQL call made from the page, with the page's own session cookie. */
export function graphqlInPage<T = unknown>(
  page: Page,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ data?: T; errors?: { message: string; extensions?: { code?: string } }[] }> {
  return page.evaluate(
    async ({ query, variables }) => {
      const response = await fetch('/graphql', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true' },
        body: JSON.stringify({ query, variables }),
      });
      return response.json();
    },
    { query, variables },
  );
}

/** The data of a GraphQL call made from the page; the API's messages are thrown when it refuses. */
export async function graphqlDataInPage<T>(
  page: Page,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const answer = await graphqlInPage<T>(page, query, variables);
  if (answer.errors) throw new Error(`The API refused: ${JSON.stringify(answer.errors)}`);
  return answer.data as T;
}

/** Waits until `read` gives what `check` accepts (the page updates after the API answers). */
export async function waitUntil<T>(
  page: Page,
  read: () => Promise<T>,
  check: (value: T) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!check(value)) {
    if (Date.now() > deadline)
      throw new Error(`Timed out waiting for ${what}; last seen: ${JSON.stringify(value)}`);
    await page.waitForTimeout(100);
    value = await read();
  }
  return value;
}

/** Reads a locator's text, for waitUntil. */
export const textOf = (locator: Locator) => () => locator.textContent().then((value) => value ?? '');

/** Fills in the sign-in form and sends it. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel(en.login.email, { exact: true }).fill(email);
  await page.getByLabel(en.login.password, { exact: true }).fill(password);
  await page.getByRole('button', { name: en.login.submit }).click();
}

/** Keeps a full-page screenshot in the folder E2E_SCREENSHOTS names, when it is set. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.E2E_SCREENSHOTS;
  if (!dir) return;
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}
