import { describeVariableError } from './variable-errors';

const shown = { hideSuggestions: false };
const hidden = { hideSuggestions: true };

const noSecrets = new Set<string>();

/** graphql-js's message for a bad variable is what comes before the detail, then the detail. */
function described(before: string, detail: string, options = shown, secretVariables = noSecrets) {
  return describeVariableError(`${before}; ${detail}`, { detail, secretVariables }, options);
}

describe('describeVariableError: graphql-js variable messages without the value', () => {
  it.each([
    [
      'an enum typo, with the suggestion',
      'Variable "$in" got invalid value "smtp" at "in.type"',
      'Value "smtp" does not exist in "ProviderType" enum. Did you mean the enum value "SMTP"?',
      'Variable "$in" got an invalid value at "in.type"; the value does not exist in "ProviderType" enum. Perhaps you meant the enum value "SMTP".',
    ],
    [
      'an enum typo in a list, several suggestions',
      'Variable "$s" got invalid value "sen" at "s[0]"',
      'Value "sen" does not exist in "ApiTokenScope" enum. Did you mean the enum value "SEND", "READ", or "MANAGE"?',
      'Variable "$s" got an invalid value at "s[0]"; the value does not exist in "ApiTokenScope" enum. Perhaps you meant the enum value "SEND", "READ", or "MANAGE".',
    ],
    [
      'an enum given a number',
      'Variable "$in" got invalid value 5 at "in.type"',
      'Enum "ProviderType" cannot represent non-string value: 5.',
      'Variable "$in" got an invalid value at "in.type"; Enum "ProviderType" cannot represent non-string value; send one of its values as a string.',
    ],
    [
      'a word for a number',
      'Variable "$in" got invalid value "abc" at "in.port"',
      'Int cannot represent non-integer value: "abc"',
      'Variable "$in" got an invalid value at "in.port"; Int cannot represent non-integer value.',
    ],
    [
      'a number too large',
      'Variable "$in" got invalid value 99999999999 at "in.port"',
      'Int cannot represent non 32-bit signed integer value: 99999999999',
      'Variable "$in" got an invalid value at "in.port"; Int cannot represent non 32-bit signed integer value.',
    ],
    [
      'a number for a string',
      'Variable "$in" got invalid value 12 at "in.subject"',
      'String cannot represent a non string value: 12',
      'Variable "$in" got an invalid value at "in.subject"; String cannot represent a non string value.',
    ],
    [
      'a bad date',
      'Variable "$from" got invalid value "2020-13-45"',
      'DateTime cannot represent an invalid date-time-string 2020-13-45.',
      'Variable "$from" got an invalid value; DateTime cannot represent an invalid date-time-string.',
    ],
    [
      'a missing required field',
      'Variable "$in" got invalid value { name: "x" }',
      'Field "host" of required type "String!" was not provided.',
      'Variable "$in" got an invalid value; Field "host" of required type "String!" was not provided.',
    ],
    [
      'an unknown field, with the suggestion',
      'Variable "$in" got invalid value { hots: "relay" }',
      'Field "hots" is not defined by type "ProviderInput". Did you mean "host"?',
      'Variable "$in" got an invalid value; Field "hots" is not defined by type "ProviderInput". Perhaps you meant "host".',
    ],
    [
      'null for a required field',
      'Variable "$in" got invalid value null at "in.name"',
      'Expected non-nullable type "String!" not to be null.',
      'Variable "$in" got an invalid value at "in.name"; Expected non-nullable type "String!" not to be null.',
    ],
    [
      'a list for an object',
      'Variable "$in" got invalid value []',
      'Expected type "EmailInput" to be an object.',
      'Variable "$in" got an invalid value; Expected type "EmailInput" to be an object.',
    ],
    [
      'a scalar that threw words of its own',
      'Variable "$in" got invalid value "x" at "in.when"',
      'Expected type "Moment". could not read "x"',
      'Variable "$in" got an invalid value at "in.when"; Expected type "Moment".',
    ],
  ])('%s', (_case, before, detail, expected) => {
    expect(described(before, detail)).toBe(expected);
  });

  it.each([
    [
      'a password of the wrong type',
      'Variable "$in" got invalid value 12345 at "in.password"',
      'String cannot represent a non string value: 12345',
    ],
    [
      'a secret deeper down',
      'Variable "$in" got invalid value 7 at "in.tls.clientSecret"',
      'String cannot represent a non string value: 7',
    ],
    [
      'a variable named for a secret',
      'Variable "$newPassword" got invalid value 7',
      'String cannot represent a non string value: 7',
    ],
    [
      'an API key',
      'Variable "$in" got invalid value 7 at "in.apiKey"',
      'String cannot represent a non string value: 7',
    ],
    [
      'a detail it does not know',
      'Variable "$in" got invalid value "x" at "in.name"',
      'Something new about "x" happened.',
    ],
  ])('leaves %s to the generic answer', (_case, before, detail) => {
    expect(described(before, detail)).toBeUndefined();
  });

  it('leaves a variable that feeds a secret to the generic answer, whatever its name', () => {
    const before = 'Variable "$p" got invalid value 12345';
    const detail = 'String cannot represent a non string value: 12345';
    expect(described(before, detail, shown, new Set(['p']))).toBeUndefined();
    expect(described(before, detail, shown, new Set(['other']))).toBe(
      'Variable "$p" got an invalid value; String cannot represent a non string value.',
    );
  });

  it('leaves other messages, and a detail that does not end the message, to the generic answer', () => {
    expect(
      describeVariableError(
        'Cannot query field "nope" on type "Query".',
        { detail: 'on type "Query".', secretVariables: noSecrets },
        shown,
      ),
    ).toBeUndefined();
    expect(
      describeVariableError(
        'Variable "$in" got invalid value 5 at "in.port"; Int cannot represent non-integer value: 5',
        { detail: 'Field "x" of required type "String!" was not provided.', secretVariables: noSecrets },
        shown,
      ),
    ).toBeUndefined();
  });

  it('leaves the suggestions out when schema details are hidden', () => {
    expect(
      described(
        'Variable "$in" got invalid value "smtp" at "in.type"',
        'Value "smtp" does not exist in "ProviderType" enum. Did you mean the enum value "SMTP"?',
        hidden,
      ),
    ).toBe(
      'Variable "$in" got an invalid value at "in.type"; the value does not exist in "ProviderType" enum.',
    );
  });

  it('never repeats the value, even one shaped like a message of its own', () => {
    const value = JSON.stringify(
      'hunter2"; Field "x" of required type "String!" was not provided. at "in.port"',
    );
    const password = described(
      `Variable "$in" got invalid value { note: ${value} } at "in.password"`,
      `String cannot represent a non string value: { note: ${value} }`,
    );
    expect(password).toBeUndefined();
    const port = described(
      `Variable "$in" got invalid value { note: ${value} } at "in.port"`,
      `Int cannot represent non-integer value: { note: ${value} }`,
    );
    expect(port).toBe(
      'Variable "$in" got an invalid value at "in.port"; Int cannot represent non-integer value.',
    );
  });
});
