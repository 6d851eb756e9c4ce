import { gql } from '@apollo/client/core';

const USER_FIELDS = gql`
  fragment UserFields on User {
    id
    email
    role
    locale
    mustChangePassword
  }
`;

/** The cheapest question the API answers, with or without a session: is it there? */
export const PING = gql`
  query Ping {
    __typename
  }
`;

export const ME = gql`
  query Me {
    me {
      ...UserFields
    }
  }
  ${USER_FIELDS}
`;

export const LOGIN = gql`
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) {
      ...UserFields
    }
  }
  ${USER_FIELDS}
`;

export const LOGOUT = gql`
  mutation Logout {
    logout
  }
`;

export const SET_MY_LOCALE = gql`
  mutation SetMyLocale($locale: String!) {
    setMyLocale(locale: $locale) {
      ...UserFields
    }
  }
  ${USER_FIELDS}
`;

export const CHANGE_MY_PASSWORD = gql`
  mutation ChangeMyPassword($currentPassword: String!, $newPassword: String!) {
    changeMyPassword(currentPassword: $currentPassword, newPassword: $newPassword) {
      ...UserFields
    }
  }
  ${USER_FIELDS}
`;
