import { gql } from '@apollo/client/core';

const API_TOKEN_FIELDS = gql`
  fragment ApiTokenFields on ApiToken {
    id
    name
    prefix
    scopes
    createdAt
    lastUsedAt
    revokedAt
  }
`;

export const API_TOKENS = gql`
  query ApiTokens {
    apiTokens {
      ...ApiTokenFields
    }
  }
  ${API_TOKEN_FIELDS}
`;

export const CREATE_API_TOKEN = gql`
  mutation CreateApiToken($name: String!, $scopes: [ApiTokenScope!]!) {
    createApiToken(name: $name, scopes: $scopes) {
      token
      apiToken {
        ...ApiTokenFields
      }
    }
  }
  ${API_TOKEN_FIELDS}
`;

export const REVOKE_API_TOKEN = gql`
  mutation RevokeApiToken($id: ID!) {
    revokeApiToken(id: $id) {
      ...ApiTokenFields
    }
  }
  ${API_TOKEN_FIELDS}
`;
