import type { CodegenConfig } from '@graphql-codegen/cli';

/** The API's committed contract, the panel's operations, and the file the types are written to. */
export const SCHEMA = '../api/schema.graphql';
export const DOCUMENTS = ['src/graphql/*.ts', '!src/graphql/generated.ts', '!src/graphql/types.ts'];
export const GENERATED = 'src/graphql/generated.ts';

/**
 * typescript-operations: each query, mutation and fragment the panel sends, with the enums and inputs they
 * use (since its version 6 it writes those itself, so the separate typescript plugin would declare them twice).
 */
export const OUTPUT: CodegenConfig['generates'][string] = {
  plugins: ['typescript-operations'],
  config: {
    enumType: 'string-literal',
    scalars: { DateTime: 'string' },
    skipTypename: true,
  },
};

const config: CodegenConfig = {
  overwrite: true,
  schema: SCHEMA,
  documents: DOCUMENTS,
  generates: { [GENERATED]: OUTPUT },
};

export default config;
