import { errorCode, type GqlResponse } from './support/test-agent';
import { startTestServer, type TestServer } from './support/test-server';

const CREATE_PROVIDER = 'mutation ($input: ProviderInput!) { createProvider(input: $input) { id } }';
const LOGIN = 'mutation ($email: String!, $p: String!) { login(email: $email, password: $p) { id } }';

/** A value for the secret rows, made at run time so that finding it in a response means it was echoed. */
const secretNumber = 700_000_000 + Math.floor(Math.random() * 99_999_999);

function providerInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'SMTP',
    name: 'relay',
    host: '127.0.0.1',
    port: 2525,
    username: 'app',
    password: `pw-${secretNumber}`,
    encryption: 'NONE',
    fromEmail: 'noreply@example.test',
    fromName: 'Example',
    serviceType: 'PRIMARY',
    ...overrides,
  };
}

function withoutField(field: string): Record<string, unknown> {
  const { [field]: _omitted, ...rest } = providerInput();
  return rest;
}

interface Row {
  name: string;
  query: string;
  variables: Record<string, unknown>;
  /** The first error's message, exactly. */
  message: string;
}

/** Mistakes made in variables, the way scripts send input, and what the API answers. */
const ROWS: Row[] = [
  {
    name: 'an enum typo names the field and suggests the value',
    query: CREATE_PROVIDER,
    variables: { input: providerInput({ type: 'smtp' }) },
    message:
      'Variable "$input" got an invalid value at "input.type"; the value does not exist in "ProviderType" enum. Perhaps you meant the enum value "SMTP".',
  },
  {
    name: 'a missing required field is named with its type',
    query: CREATE_PROVIDER,
    variables: { input: withoutField('host') },
    message:
      'Variable "$input" got an invalid value; Field "host" of required type "String!" was not provided.',
  },
  {
    name: 'a wrong scalar type names the field and the type',
    query: CREATE_PROVIDER,
    variables: { input: providerInput({ port: 'twenty-five' }) },
    message:
      'Variable "$input" got an invalid value at "input.port"; Int cannot represent non-integer value.',
  },
  {
    name: 'a password field of the wrong type gets the generic message',
    query: CREATE_PROVIDER,
    variables: { input: providerInput({ password: secretNumber }) },
    message:
      'Variable "$input" has a value of the wrong type at "input.password"; check it against the schema.',
  },
  {
    name: 'a variable passed as a password gets the generic message, whatever its name',
    query: LOGIN,
    variables: { email: 'someone@example.test', p: secretNumber },
    message: 'Variable "$p" has a value of the wrong type; check it against the schema.',
  },
];

function firstError(response: GqlResponse<unknown>): string | undefined {
  return response.body.errors?.[0]?.message;
}

describe('mistakes in variables', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it.each(ROWS)('$name', async ({ query, variables, message }) => {
    const response = await server.gql(query, variables);
    expect(response.status).toBe(400);
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(firstError(response)).toBe(message);
    expect(response.text).not.toContain(String(secretNumber));
  });

  it('names each value it refuses in a list', async () => {
    const response = await server.gql(
      'mutation ($scopes: [ApiTokenScope!]!) { createApiToken(name: "ci", scopes: $scopes) { token } }',
      { scopes: ['SEND', 'raed'] },
    );
    expect(firstError(response)).toBe(
      'Variable "$scopes" got an invalid value at "scopes[1]"; the value does not exist in "ApiTokenScope" enum. Perhaps you meant the enum value "READ".',
    );
  });
});

describe('mistakes in variables in production', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { NODE_ENV: 'production' } });
  });
  afterAll(() => server?.close());

  it('names the field and the type but suggests nothing from the schema', async () => {
    const response = await server.gql(CREATE_PROVIDER, { input: providerInput({ type: 'smtp' }) });
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(firstError(response)).toBe(
      'Variable "$input" got an invalid value at "input.type"; the value does not exist in "ProviderType" enum.',
    );
  });
});
