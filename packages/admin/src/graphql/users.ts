import { gql } from '@apollo/client/core';

const MANAGED_USER_FIELDS = gql`
  fragment ManagedUserFields on User {
    id
    email
    role
    locale
    mustChangePassword
    lastLoginAt
    createdAt
  }
`;

export const USERS = gql`
  query Users {
    users {
      ...ManagedUserFields
    }
  }
  ${MANAGED_USER_FIELDS}
`;

export const CREATE_USER = gql`
  mutation CreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      oneTimePassword
      user {
        ...ManagedUserFields
      }
    }
  }
  ${MANAGED_USER_FIELDS}
`;

export const SET_USER_ROLE = gql`
  mutation SetUserRole($id: ID!, $role: UserRole!) {
    setUserRole(id: $id, role: $role) {
      ...ManagedUserFields
    }
  }
  ${MANAGED_USER_FIELDS}
`;

export const RESET_USER_PASSWORD = gql`
  mutation ResetUserPassword($id: ID!) {
    resetUserPassword(id: $id) {
      oneTimePassword
      sessionsEnded
      user {
        ...ManagedUserFields
      }
    }
  }
  ${MANAGED_USER_FIELDS}
`;

export const END_USER_SESSIONS = gql`
  mutation EndUserSessions($id: ID!) {
    endUserSessions(id: $id)
  }
`;

export const REMOVE_USER = gql`
  mutation RemoveUser($id: ID!) {
    removeUser(id: $id) {
      id
      email
      sessionsEnded
      apiTokensRevoked
    }
  }
`;
