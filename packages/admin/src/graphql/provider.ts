import { gql } from '@apollo/client/core';
import { PROVIDER_FIELDS, VERIFICATION_FIELDS } from './fragments';

export const PROVIDERS = gql`
  query Providers {
    providers {
      ...ProviderFields
    }
  }
  ${PROVIDER_FIELDS}
`;

/** One provider for its form, with where its vendor posts delivery events (read on this page only). */
export const PROVIDER = gql`
  query Provider($id: ID!) {
    provider(id: $id) {
      ...ProviderFields
      inboundWebhookUrl
      webhookSecretSet
    }
  }
  ${PROVIDER_FIELDS}
`;

const CHAIN_FIELDS = gql`
  fragment ChainFields on DeliveryChain {
    channel
    providers {
      id
      name
      type
      channel
      serviceType
      status
      host
      port
      priority
      health {
        state
      }
    }
    warnings {
      code
      severity
      providerId
      message
    }
  }
`;

export const DELIVERY_CHAINS = gql`
  query DeliveryChains {
    defaultChain: deliveryChain(channel: DEFAULT) {
      ...ChainFields
    }
    crmChain: deliveryChain(channel: CRM) {
      ...ChainFields
    }
  }
  ${CHAIN_FIELDS}
`;

export const CREATE_PROVIDER = gql`
  mutation CreateProvider($input: ProviderInput!) {
    createProvider(input: $input) {
      ...ProviderFields
    }
  }
  ${PROVIDER_FIELDS}
`;

export const UPDATE_PROVIDER = gql`
  mutation UpdateProvider($id: ID!, $input: ProviderInput!) {
    updateProvider(id: $id, input: $input) {
      ...ProviderFields
    }
  }
  ${PROVIDER_FIELDS}
`;

export const DELETE_PROVIDER = gql`
  mutation DeleteProvider($id: ID!) {
    deleteProvider(id: $id)
  }
`;

export const SET_PROVIDER_STATUS = gql`
  mutation SetProviderStatus($id: ID!, $status: ProviderStatus!) {
    setProviderStatus(id: $id, status: $status) {
      ...ProviderFields
    }
  }
  ${PROVIDER_FIELDS}
`;

export const VERIFY_PROVIDER = gql`
  mutation VerifyProvider($id: ID!) {
    verifyProvider(id: $id) {
      ...VerificationFields
    }
  }
  ${VERIFICATION_FIELDS}
`;

export const VERIFY_PROVIDER_SETTINGS = gql`
  mutation VerifyProviderSettings($input: ProviderInput!, $id: ID) {
    verifyProviderSettings(input: $input, id: $id) {
      ...VerificationFields
    }
  }
  ${VERIFICATION_FIELDS}
`;

export const REORDER_PROVIDERS = gql`
  mutation ReorderProviders($ids: [ID!]!, $serviceTypes: [ProviderServiceTypeInput!]) {
    reorderProviders(ids: $ids, serviceTypes: $serviceTypes) {
      id
      priority
      serviceType
    }
  }
`;

export const START_PROVIDER_OAUTH = gql`
  mutation StartProviderOAuth($id: ID!) {
    startProviderOAuth(id: $id) {
      authorizeUrl
    }
  }
`;

export const DISCONNECT_PROVIDER_OAUTH = gql`
  mutation DisconnectProviderOAuth($id: ID!) {
    disconnectProviderOAuth(id: $id) {
      ...ProviderFields
    }
  }
  ${PROVIDER_FIELDS}
`;
