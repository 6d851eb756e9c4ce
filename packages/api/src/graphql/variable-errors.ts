import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { isSecretName } from './secret-names';
import { secretVariablesOf } from './secret-variables';

/**
 * graphql-js reports a bad variable as `Variable "$in" got invalid value <the value> at "in.type"; <detail>`,
 * and most details echo the value again. The formatter in errors.ts therefore answers every such message
 * with a generic one, which leaves a script that sent `"type": "smtp"` guessing. This module rebuilds the
 * message from the parts that cannot carry the value (the variable, the path, the type and graphql-js's
 * own suggestion) and keeps the generic answer where the value could be a secret.
 */

export interface VariableErrorOptions {
  /** Leave out "Did you mean …?" (production hides schema details, as it does for validation errors). */
  hideSuggestions: boolean;
}

export interface VariableErrorSource {
  /** The message of the error graphql-js built the message from; it ends the message. */
  detail: string;
  /** Variables passed to an argument or input field named for a secret (see secretVariablesOf). */
  secretVariables: ReadonlySet<string>;
}

const NAME = '[_A-Za-z][_0-9A-Za-z]*';
/** A type as graphql-js prints it: `Int`, `String!`, `[ApiTokenScope!]!`. */
const TYPE = '[[\\]_0-9A-Za-z!]+';
/** A suggestion of schema names only: `Did you mean "SMTP"?`, `Did you mean the enum value "A", "B", or "C"?` */
const SUGGESTION = `Did you mean (?:the enum value )?"${NAME}"(?:(?:, | or |, or )"${NAME}")*\\?`;
/** The same suggestion as this module words it (see `tail`). */
const SHOWN_SUGGESTION = `Perhaps you meant (?:the enum value )?"${NAME}"(?:(?:, | or |, or )"${NAME}")*\\.`;
const SUGGESTION_TAIL = `(?: (${SUGGESTION}))?`;

/** What graphql-js puts before the detail: the variable, the value, and where in the value. */
const VARIABLE_PREFIX = new RegExp(
  `^Variable "\\$(${NAME})" got invalid value [\\s\\S]*?(?: at "(${NAME}(?:\\.${NAME}|\\[\\d+\\])*)")?$`,
);

/**
 * The details graphql-js gives, each rewritten without the value. The first group of a pattern that
 * matches is what the client reads; a detail matched by none is not described (the generic answer stays).
 */
const DETAILS: ReadonlyArray<{ pattern: RegExp; describe: (groups: string[]) => string }> = [
  {
    // Value "smtp" does not exist in "ProviderType" enum. Did you mean the enum value "SMTP"?
    pattern: new RegExp(
      `^Value "(?:[^"\\\\]|\\\\.)*" does not exist in "(${NAME})" enum\\.${SUGGESTION_TAIL}$`,
    ),
    describe: ([type, suggestion]) => `the value does not exist in "${type}" enum.${tail(suggestion)}`,
  },
  {
    // Enum "ProviderType" cannot represent non-string value: 5.
    pattern: new RegExp(`^Enum "(${NAME})" cannot represent non-string value: [\\s\\S]*$`),
    describe: ([type]) =>
      `Enum "${type}" cannot represent non-string value; send one of its values as a string.`,
  },
  {
    // Int cannot represent non-integer value: "abc" / String cannot represent a non string value: 5 /
    // DateTime cannot represent an invalid date-time-string 2020-13-45.
    pattern: new RegExp(
      `^(${NAME}) cannot represent ((?:an? )?[- 0-9A-Za-z]*?(?:value|date-time-string|timestamp|Date instance|type))\\b[\\s\\S]*$`,
    ),
    describe: ([type, what]) => `${type} cannot represent ${what}.`,
  },
  {
    pattern: new RegExp(`^Field "(${NAME})" of required type "(${TYPE})" was not provided\\.$`),
    describe: ([field, type]) => `Field "${field}" of required type "${type}" was not provided.`,
  },
  {
    pattern: new RegExp(`^Field "(${NAME})" is not defined by type "(${NAME})"\\.${SUGGESTION_TAIL}$`),
    describe: ([field, type, suggestion]) =>
      `Field "${field}" is not defined by type "${type}".${tail(suggestion)}`,
  },
  {
    pattern: new RegExp(`^Expected non-nullable type "(${TYPE})" not to be null\\.$`),
    describe: ([type]) => `Expected non-nullable type "${type}" not to be null.`,
  },
  {
    pattern: new RegExp(`^Expected type "(${NAME})" to be an object\\.$`),
    describe: ([type]) => `Expected type "${type}" to be an object.`,
  },
  {
    // A scalar that threw something other than a GraphQLError: its words follow and are dropped.
    pattern: new RegExp(`^Expected type "(${NAME})"\\.[\\s\\S]*$`),
    describe: ([type]) => `Expected type "${type}".`,
  },
];

/** graphql-js's question, said as a statement: every message of the API ends with a period. */
function tail(suggestion: string | undefined): string {
  return suggestion
    ? ` ${suggestion.replace(/^Did you mean /, 'Perhaps you meant ').replace(/\?$/, '.')}`
    : '';
}

/** The names in a variable path: `in.tls.secret` → in, tls, secret (list indexes are not names). */
function namesIn(path: string): string[] {
  return path.split(/[.[\]]/).filter((part) => part !== '' && !/^\d+$/.test(part));
}

/**
 * A graphql-js variable message rewritten with its detail and without the value, or undefined when the
 * message is not one, when its detail is not one this module knows, or when the value may be a secret:
 * the variable feeds a secret, or a field on the path is named for one (then the generic answer stays,
 * so nothing about a secret comes back). Knowing the detail exactly, the value before it is never
 * mistaken for part of it.
 */
export function describeVariableError(
  message: string,
  { detail, secretVariables }: VariableErrorSource,
  options: VariableErrorOptions,
): string | undefined {
  if (!message.endsWith(`; ${detail}`)) return undefined;
  const parts = VARIABLE_PREFIX.exec(message.slice(0, message.length - detail.length - 2));
  if (!parts) return undefined;
  const [, variable = '', path] = parts;
  if (secretVariables.has(variable) || [variable, ...namesIn(path ?? '')].some(isSecretName))
    return undefined;
  for (const { pattern, describe } of DETAILS) {
    const match = pattern.exec(detail);
    if (!match) continue;
    const groups = match.slice(1).map((group) => group ?? '');
    let described = describe(groups);
    if (options.hideSuggestions) described = described.replace(new RegExp(` ${SHOWN_SUGGESTION}$`), '');
    return `Variable "$${variable}" got an invalid value${path ? ` at "${path}"` : ''}; ${described}`;
  }
  return undefined;
}

type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/** What graphql-js's error for a variable holds besides its message: the inner error and the operation. */
function sourceOf(error: unknown): VariableErrorSource | undefined {
  if (!(error instanceof GraphQLError) || !error.originalError || !error.source) return undefined;
  const secretVariables = secretVariablesOf(error.source.body);
  return secretVariables && { detail: error.originalError.message, secretVariables };
}

/**
 * Wraps the API's formatter: a client error that graphql-js raised for a variable gets the described
 * message instead of the generic one; everything else is answered as `format` answers it.
 */
export function withVariableDetail(format: FormatError, options: VariableErrorOptions): FormatError {
  return (formatted, error) => {
    const answer = format(formatted, error);
    if (answer.extensions?.code !== 'BAD_USER_INPUT' || answer.path) return answer;
    if (!formatted.message.startsWith('Variable "$')) return answer;
    const source = sourceOf(error);
    const described = source && describeVariableError(formatted.message, source, options);
    return described === undefined ? answer : { ...answer, message: described };
  };
}
