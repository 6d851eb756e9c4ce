/** A GraphQL error as the server sends it. */
export interface GqlError {
  message: string;
  path?: Array<string | number>;
  extensions?: {
    code?: string;
    fields?: Array<{ field: string; message: string }>;
    [key: string]: unknown;
  };
}

export interface GqlBody<TData> {
  data?: TData | null;
  errors?: GqlError[];
}

export interface GqlResponse<TData> {
  status: number;
  headers: Headers;
  body: GqlBody<TData>;
  /** The response body as received, for leak checks. */
  text: string;
}

/** Loose default for tests that only look at a few fields. */
export type AnyData = Record<string, unknown>;

export interface RequestOptions {
  headers?: Record<string, string>;
}

/**
 * An HTTP client for one caller: keeps its own cookies (like a browser) and optionally an API
 * token. Every call goes over real HTTP to the server under test.
 */
export class TestAgent {
  readonly cookies = new Map<string, string>();
  /** Set-Cookie headers of the last response, for checking cookie flags. */
  lastSetCookies: string[] = [];
  bearer: string | undefined;

  constructor(readonly baseUrl: string) {}

  withToken(token: string): this {
    this.bearer = token;
    return this;
  }

  private cookieHeader(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private remember(headers: Headers): void {
    this.lastSetCookies = headers.getSetCookie();
    for (const line of this.lastSetCookies) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((attribute) => {
        const [key = '', date = ''] = attribute.split('=');
        return key.trim().toLowerCase() === 'expires' && new Date(date).getTime() <= Date.now();
      });
      if (value === '' || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** A raw request with this agent's cookies and token. */
  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = this.cookieHeader();
    if (cookie && !headers.has('cookie')) headers.set('cookie', cookie);
    if (this.bearer && !headers.has('authorization')) headers.set('authorization', `Bearer ${this.bearer}`);
    const response = await fetch(new URL(path, this.baseUrl), { ...init, headers });
    this.remember(response.headers);
    return response;
  }

  async gql<TData = AnyData>(
    query: string,
    variables?: Record<string, unknown>,
    options: RequestOptions = {},
  ): Promise<GqlResponse<TData>> {
    const response = await this.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...options.headers },
      body: JSON.stringify(variables ? { query, variables } : { query }),
    });
    const text = await response.text();
    let body: GqlBody<TData>;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`Expected JSON from /graphql, got ${response.status}: ${text.slice(0, 500)}`);
    }
    return { status: response.status, headers: response.headers, body, text };
  }

  /** Logs in through the `login` mutation; the session cookie lands in this agent's jar. */
  login(
    email: string,
    password: string,
  ): Promise<GqlResponse<{ login: { id: string; email: string; role: string } }>> {
    return this.gql(
      `mutation Login($email: String!, $password: String!) {
        login(email: $email, password: $password) { id email role }
      }`,
      { email, password },
    );
  }
}

/** The data of a response that must have succeeded; fails the test with the errors otherwise. */
export function dataOf<TData>(response: GqlResponse<TData>): TData {
  if (response.body.errors?.length || !response.body.data) {
    throw new Error(
      `GraphQL call failed (${response.status}): ${JSON.stringify(response.body.errors ?? response.body)}`,
    );
  }
  return response.body.data;
}

/** The first error's code, or undefined. */
export function errorCode(response: GqlResponse<unknown>): string | undefined {
  return response.body.errors?.[0]?.extensions?.code;
}
