/**
 * Every operation the panel sends is checked against the API's committed contract
 * (packages/api/schema.graphql), so a renamed field or argument fails here rather than in a browser.
 */

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, validate, type DocumentNode } from 'graphql';
import * as apiTokens from '../../src/graphql/api-token';
import * as audit from '../../src/graphql/audit';
import * as auth from '../../src/graphql/auth';
import * as delivery from '../../src/graphql/delivery';
import * as provider from '../../src/graphql/provider';
import * as settings from '../../src/graphql/settings';
import * as testEmail from '../../src/graphql/test-email';
import * as users from '../../src/graphql/users';

const schema = buildSchema(readFileSync(path.resolve(__dirname, '../../../api/schema.graphql'), 'utf8'));

function isDocument(value: unknown): value is DocumentNode {
  return typeof value === 'object' && value !== null && 'kind' in value && value.kind === 'Document';
}

const operations = Object.entries({
  ...apiTokens,
  ...audit,
  ...auth,
  ...delivery,
  ...provider,
  ...settings,
  ...testEmail,
  ...users,
}).filter((entry): entry is [string, DocumentNode] => isDocument(entry[1]));

describe('GraphQL operations of the panel', () => {
  it('covers every exported operation', () => {
    expect(operations.length).toBeGreaterThanOrEqual(20);
  });

  it.each(operations)('%s is valid against the API schema', (_name, document) => {
    expect(validate(schema, document).map((error) => error.message)).toEqual([]);
  });
});
