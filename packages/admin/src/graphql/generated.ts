/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> =
  T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** CIRCUIT_OPENED: a provider is skipped after failing; CIRCUIT_CLOSED: it delivers again; FALLBACK_USED: mail went out through a later provider because the first one failed; OAUTH_REVOKED: a provider’s OAuth2 sign-in was refused (revoked or expired) and it must be reconnected; WEBHOOK_DISABLED: a webhook endpoint was disabled after failing for too long (providerId and providerName are the endpoint’s). */
export type AlertKind =
  'CIRCUIT_CLOSED' | 'CIRCUIT_OPENED' | 'FALLBACK_USED' | 'OAUTH_REVOKED' | 'WEBHOOK_DISABLED';

/** SEND: send mail; READ: read providers and deliveries; MANAGE: change providers. */
export type ApiTokenScope = 'MANAGE' | 'READ' | 'SEND';

/** A mail service reached through its HTTP API; the password field then holds the API key. */
export type ApiVendor = 'BREVO' | 'MAILGUN' | 'POSTMARK' | 'RESEND' | 'SENDGRID' | 'SPARKPOST' | 'ZEPTOMAIL';

export type AttemptOutcome = 'FAILED' | 'SENT' | 'SKIPPED';

/** PASSWORD: username and password (or API key); OAUTH2: sign in with Microsoft, Google or another OAuth2 server (XOAUTH2, SMTP only); NONE: a relay that needs no login. */
export type AuthMethod = 'NONE' | 'OAUTH2' | 'PASSWORD';

/** HARD: the address does not exist or refuses mail for good; SOFT: a passing refusal. */
export type BounceType = 'HARD' | 'SOFT';

/** CRM_API_SMTP providers serve CRM, the others DEFAULT; CRM mail falls back to the DEFAULT chain. */
export type Channel = 'CRM' | 'DEFAULT';

export type CircuitState = 'CLOSED' | 'HALF_OPEN' | 'OPEN';

export type CreateUserInput = {
  email: string;
  /** en (default) or tr. */
  locale?: string | null | undefined;
  /** At least 8 characters; stored only as an argon2id hash. Leave out to have a one-time password generated, which the user must replace at first sign-in. */
  password?: string | null | undefined;
  role: UserRole;
};

/** QUEUED: accepted, waiting for a worker; SENDING: being handed to providers; RETRYING: every provider failed, the next round is scheduled (nextAttemptAt); SENT; FAILED: see failureReason; SUPPRESSED: every recipient is on the suppression list, so nothing was sent and no provider was tried (see suppressedRecipients). */
export type DeliveryStatus = 'FAILED' | 'QUEUED' | 'RETRYING' | 'SENDING' | 'SENT' | 'SUPPRESSED';

/** SSL_TLS: TLS from the first byte (465); STARTTLS: upgrade required (587); NONE: plain, toward loopback hosts only when a password or API key would cross (a relay with no login may be anywhere). */
export type Encryption = 'NONE' | 'SSL_TLS' | 'STARTTLS';

/** What happened: DELIVERY_QUEUED (accepted), DELIVERY_SENT (a provider accepted it), DELIVERY_FAILED (no provider could), DELIVERY_DELIVERED (the recipient’s server accepted it, as the vendor reports), DELIVERY_BOUNCED, DELIVERY_COMPLAINED (marked as spam), DELIVERY_SUPPRESSED (not sent: the recipient is on the suppression list); PROVIDER_PAUSED (its circuit opened), PROVIDER_RECOVERED, FALLBACK_USED, PROVIDER_OAUTH_REVOKED (its OAuth2 sign-in was refused: connect it again). */
export type EventType =
  | 'DELIVERY_BOUNCED'
  | 'DELIVERY_COMPLAINED'
  | 'DELIVERY_DELIVERED'
  | 'DELIVERY_FAILED'
  | 'DELIVERY_QUEUED'
  | 'DELIVERY_SENT'
  | 'DELIVERY_SUPPRESSED'
  | 'FALLBACK_USED'
  | 'PROVIDER_OAUTH_REVOKED'
  | 'PROVIDER_PAUSED'
  | 'PROVIDER_RECOVERED';

export type FailureCategory =
  | 'AMBIGUOUS'
  | 'AUTH'
  | 'CONFIG'
  | 'CONNECTION'
  | 'MESSAGE_REJECTED'
  | 'PROVIDER_UNAVAILABLE'
  | 'RATE_LIMITED'
  | 'RECIPIENT_REJECTED'
  | 'RELAY_DENIED'
  | 'TIMEOUT'
  | 'TLS'
  | 'UNKNOWN';

/** MICROSOFT: Microsoft 365 (Entra ID, needs the tenant); GOOGLE: Google Workspace or Gmail; GENERIC: any OAuth2 server by its authorize and token URLs. */
export type OAuthFlavour = 'GENERIC' | 'GOOGLE' | 'MICROSOFT';

/** The app registration of a provider that signs in with OAuth2. */
export type OAuthSettingsInput = {
  /** GENERIC: the authorization endpoint (https). */
  authorizeUrl?: string | null | undefined;
  /** The application (client) id of the app registration. */
  clientId: string;
  /** Write-only, stored encrypted. Omitted or empty on update keeps the stored one while the flavour, client id, tenant and URLs stay the same. Required for MICROSOFT and GOOGLE. */
  clientSecret?: string | null | undefined;
  flavour: OAuthFlavour;
  /** Scopes to ask for. Omitted: MICROSOFT https://outlook.office.com/SMTP.Send offline_access openid email; GOOGLE https://mail.google.com/ openid email. Required for GENERIC. */
  scopes?: Array<string> | null | undefined;
  /** MICROSOFT: the directory (tenant) id or its domain, such as contoso.onmicrosoft.com. */
  tenant?: string | null | undefined;
  /** GENERIC: the token endpoint (https). */
  tokenUrl?: string | null | undefined;
};

/** The Add/Edit form of a provider. On update, an omitted or empty password keeps the stored one only while type, apiVendor, host, port, username and encryption stay as stored (an SMTP relay whose username is empty has no login and keeps no password). */
export type ProviderInput = {
  apiVendor?: ApiVendor | null | undefined;
  /** Omitted: OAUTH2 when oauth is given, else (on update) the stored OAUTH2, else PASSWORD with a username and NONE without one. */
  authMethod?: AuthMethod | null | undefined;
  /** True removes the stored webhook secret: the vendor webhook is refused until a new one is set. */
  clearWebhookSecret?: boolean | null | undefined;
  encryption: Encryption;
  fromEmail: string;
  fromName: string;
  host: string;
  name: string;
  /** The app registration; required with authMethod OAUTH2 and refused with the others. */
  oauth?: OAuthSettingsInput | null | undefined;
  /** Required on create, except for an SMTP relay that needs no login: leave username and password both empty. On update, an omitted or empty password keeps the stored one only while type, apiVendor, host, port, username and encryption stay as stored (an SMTP relay whose username is empty has no login and keeps no password); after a change to any of them, enter it again. */
  password?: string | null | undefined;
  port: number;
  serviceType: ServiceType;
  /** Default INACTIVE on create; omitted on update keeps the current status. */
  status?: ProviderStatus | null | undefined;
  type: ProviderType;
  username: string;
  /** Write-only: the secret the vendor's delivery-event webhook is verified with (Mailgun: the HTTP webhook signing key; SendGrid: the signed Event Webhook's verification key; Resend: the whsec_… signing secret; ZeptoMail: the webhook authentication key; Postmark, Brevo, SparkPost: the password of the webhook's Basic credentials or its bearer token). Omitted or empty keeps the stored one. */
  webhookSecret?: string | null | undefined;
};

/** A provider’s new tier, saved together with a new order by reorderProviders. */
export type ProviderServiceTypeInput = {
  id: string | number;
  serviceType: ServiceType;
};

export type ProviderStatus = 'ACTIVE' | 'INACTIVE';

/** SMTP: a classic SMTP server; API_SMTP: a mail service; CRM_API_SMTP: a mail service for CRM mail. */
export type ProviderType = 'API_SMTP' | 'CRM_API_SMTP' | 'SMTP';

export type ServiceType = 'FALLBACK' | 'PRIMARY';

/** HARD_BOUNCE: the vendor reported that the address does not exist; COMPLAINT: the recipient marked mail as spam; MANUAL: added by an admin; IMPORT: from a CSV import. */
export type SuppressionSource = 'COMPLAINT' | 'HARD_BOUNCE' | 'IMPORT' | 'MANUAL';

/** ADMIN may do everything; VIEWER may only read. */
export type UserRole = 'ADMIN' | 'VIEWER';

export type WebhookAttemptStatus = 'FAILED' | 'SUCCEEDED';

export type WebhookEndpointInput = {
  description?: string | null | undefined;
  enabled?: boolean | null | undefined;
  eventTypes: Array<EventType>;
  format?: WebhookFormat | null | undefined;
  /** "en" or "tr". */
  language?: string | null | undefined;
  url: string;
};

export type WebhookEndpointUpdateInput = {
  description?: string | null | undefined;
  /** Enabling again clears failingSince and disabledReason. */
  enabled?: boolean | null | undefined;
  eventTypes?: Array<EventType> | null | undefined;
  format?: WebhookFormat | null | undefined;
  language?: string | null | undefined;
  url?: string | null | undefined;
};

/** STANDARD: signed JSON as Standard Webhooks describes it; SLACK: a short message for a Slack- or Mattermost-compatible incoming webhook; EMAIL: an email to the addresses of a "mailto:" URL, sent through the provider chain. */
export type WebhookFormat = 'EMAIL' | 'SLACK' | 'STANDARD';

export type ApiTokenFieldsFragment = {
  id: string;
  name: string;
  prefix: string;
  scopes: Array<ApiTokenScope>;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

export type ApiTokensQueryVariables = Exact<{ [key: string]: never }>;

export type ApiTokensQuery = {
  apiTokens: Array<{
    id: string;
    name: string;
    prefix: string;
    scopes: Array<ApiTokenScope>;
    createdAt: string;
    lastUsedAt: string | null;
    revokedAt: string | null;
  }>;
};

export type CreateApiTokenMutationVariables = Exact<{
  name: string;
  scopes: Array<ApiTokenScope> | ApiTokenScope;
}>;

export type CreateApiTokenMutation = {
  createApiToken: {
    token: string;
    apiToken: {
      id: string;
      name: string;
      prefix: string;
      scopes: Array<ApiTokenScope>;
      createdAt: string;
      lastUsedAt: string | null;
      revokedAt: string | null;
    };
  };
};

export type RevokeApiTokenMutationVariables = Exact<{
  id: string | number;
}>;

export type RevokeApiTokenMutation = {
  revokeApiToken: {
    id: string;
    name: string;
    prefix: string;
    scopes: Array<ApiTokenScope>;
    createdAt: string;
    lastUsedAt: string | null;
    revokedAt: string | null;
  };
};

export type AuditLogQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
  entityId?: string | number | null | undefined;
}>;

export type AuditLogQuery = {
  auditLog: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: Array<{
      id: string;
      at: string;
      actor: string;
      action: string;
      entityType: string;
      entityId: string | null;
      fields: Array<string>;
    }>;
  };
};

export type UserFieldsFragment = {
  id: string;
  email: string;
  role: string;
  locale: string;
  mustChangePassword: boolean;
};

export type PingQueryVariables = Exact<{ [key: string]: never }>;

export type PingQuery = { __typename: 'Query' };

export type MeQueryVariables = Exact<{ [key: string]: never }>;

export type MeQuery = {
  me: { id: string; email: string; role: string; locale: string; mustChangePassword: boolean } | null;
};

export type LoginMutationVariables = Exact<{
  email: string;
  password: string;
}>;

export type LoginMutation = {
  login: { id: string; email: string; role: string; locale: string; mustChangePassword: boolean };
};

export type LogoutMutationVariables = Exact<{ [key: string]: never }>;

export type LogoutMutation = { logout: boolean };

export type SetMyLocaleMutationVariables = Exact<{
  locale: string;
}>;

export type SetMyLocaleMutation = {
  setMyLocale: { id: string; email: string; role: string; locale: string; mustChangePassword: boolean };
};

export type ChangeMyPasswordMutationVariables = Exact<{
  currentPassword: string;
  newPassword: string;
}>;

export type ChangeMyPasswordMutation = {
  changeMyPassword: { id: string; email: string; role: string; locale: string; mustChangePassword: boolean };
};

export type DeliveryFieldsFragment = {
  id: string;
  status: DeliveryStatus;
  channel: Channel;
  to: Array<string>;
  subject: string;
  messageId: string | null;
  rounds: number;
  deliveredByProviderName: string | null;
  failureReason: string | null;
  createdAt: string;
  sentAt: string | null;
  nextAttemptAt: string | null;
  finishedAt: string | null;
  deliveredBy: { id: string; name: string } | null;
  rejectedRecipients: Array<{
    address: string;
    smtpCode: number | null;
    enhancedCode: string | null;
    message: string;
  }>;
  failure: {
    category: FailureCategory;
    smtpCode: number | null;
    enhancedCode: string | null;
    httpStatus: number | null;
    command: string | null;
    vendorCode: string | null;
    possibleDuplicate: boolean | null;
    message: string;
    hint: string;
  } | null;
  attempts: Array<{
    round: number | null;
    providerId: string | null;
    providerName: string;
    startedAt: string;
    durationMs: number;
    outcome: AttemptOutcome;
    skippedReason: string | null;
    failure: {
      category: FailureCategory;
      smtpCode: number | null;
      enhancedCode: string | null;
      httpStatus: number | null;
      command: string | null;
      vendorCode: string | null;
      possibleDuplicate: boolean | null;
      message: string;
      hint: string;
    } | null;
  }>;
};

export type DeliveriesQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
  status?: DeliveryStatus | null | undefined;
  providerId?: string | number | null | undefined;
  search?: string | null | undefined;
  channel?: Channel | null | undefined;
  from?: string | null | undefined;
  to?: string | null | undefined;
}>;

export type DeliveriesQuery = {
  deliveries: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: Array<{
      id: string;
      status: DeliveryStatus;
      channel: Channel;
      to: Array<string>;
      subject: string;
      messageId: string | null;
      rounds: number;
      deliveredByProviderName: string | null;
      failureReason: string | null;
      createdAt: string;
      sentAt: string | null;
      nextAttemptAt: string | null;
      finishedAt: string | null;
      deliveredBy: { id: string; name: string } | null;
      rejectedRecipients: Array<{
        address: string;
        smtpCode: number | null;
        enhancedCode: string | null;
        message: string;
      }>;
      failure: {
        category: FailureCategory;
        smtpCode: number | null;
        enhancedCode: string | null;
        httpStatus: number | null;
        command: string | null;
        vendorCode: string | null;
        possibleDuplicate: boolean | null;
        message: string;
        hint: string;
      } | null;
      attempts: Array<{
        round: number | null;
        providerId: string | null;
        providerName: string;
        startedAt: string;
        durationMs: number;
        outcome: AttemptOutcome;
        skippedReason: string | null;
        failure: {
          category: FailureCategory;
          smtpCode: number | null;
          enhancedCode: string | null;
          httpStatus: number | null;
          command: string | null;
          vendorCode: string | null;
          possibleDuplicate: boolean | null;
          message: string;
          hint: string;
        } | null;
      }>;
    }>;
  };
};

export type DeliveryQueryVariables = Exact<{
  id: string | number;
}>;

export type DeliveryQuery = {
  delivery: {
    cc: Array<string>;
    bcc: Array<string>;
    replyTo: string | null;
    text: string | null;
    html: string | null;
    resentFromId: string | null;
    suppressedRecipients: Array<string>;
    id: string;
    status: DeliveryStatus;
    channel: Channel;
    to: Array<string>;
    subject: string;
    messageId: string | null;
    rounds: number;
    deliveredByProviderName: string | null;
    failureReason: string | null;
    createdAt: string;
    sentAt: string | null;
    nextAttemptAt: string | null;
    finishedAt: string | null;
    headers: Array<{ name: string; value: string }>;
    resentFrom: { id: string; subject: string; createdAt: string } | null;
    events: Array<{
      id: string;
      type: EventType;
      occurredAt: string;
      recipient: string | null;
      providerId: string | null;
      providerName: string | null;
      vendor: ApiVendor | null;
      bounceType: BounceType | null;
      reason: string | null;
    }>;
    deliveredBy: { id: string; name: string } | null;
    rejectedRecipients: Array<{
      address: string;
      smtpCode: number | null;
      enhancedCode: string | null;
      message: string;
    }>;
    failure: {
      category: FailureCategory;
      smtpCode: number | null;
      enhancedCode: string | null;
      httpStatus: number | null;
      command: string | null;
      vendorCode: string | null;
      possibleDuplicate: boolean | null;
      message: string;
      hint: string;
    } | null;
    attempts: Array<{
      round: number | null;
      providerId: string | null;
      providerName: string;
      startedAt: string;
      durationMs: number;
      outcome: AttemptOutcome;
      skippedReason: string | null;
      failure: {
        category: FailureCategory;
        smtpCode: number | null;
        enhancedCode: string | null;
        httpStatus: number | null;
        command: string | null;
        vendorCode: string | null;
        possibleDuplicate: boolean | null;
        message: string;
        hint: string;
      } | null;
    }>;
  } | null;
};

export type ResendDeliveryMutationVariables = Exact<{
  id: string | number;
  to?: Array<string> | string | null | undefined;
}>;

export type ResendDeliveryMutation = { resendDelivery: { id: string } };

export type RetryDeliveryMutationVariables = Exact<{
  id: string | number;
}>;

export type RetryDeliveryMutation = {
  retryDelivery: {
    id: string;
    status: DeliveryStatus;
    channel: Channel;
    to: Array<string>;
    subject: string;
    messageId: string | null;
    rounds: number;
    deliveredByProviderName: string | null;
    failureReason: string | null;
    createdAt: string;
    sentAt: string | null;
    nextAttemptAt: string | null;
    finishedAt: string | null;
    deliveredBy: { id: string; name: string } | null;
    rejectedRecipients: Array<{
      address: string;
      smtpCode: number | null;
      enhancedCode: string | null;
      message: string;
    }>;
    failure: {
      category: FailureCategory;
      smtpCode: number | null;
      enhancedCode: string | null;
      httpStatus: number | null;
      command: string | null;
      vendorCode: string | null;
      possibleDuplicate: boolean | null;
      message: string;
      hint: string;
    } | null;
    attempts: Array<{
      round: number | null;
      providerId: string | null;
      providerName: string;
      startedAt: string;
      durationMs: number;
      outcome: AttemptOutcome;
      skippedReason: string | null;
      failure: {
        category: FailureCategory;
        smtpCode: number | null;
        enhancedCode: string | null;
        httpStatus: number | null;
        command: string | null;
        vendorCode: string | null;
        possibleDuplicate: boolean | null;
        message: string;
        hint: string;
      } | null;
    }>;
  };
};

export type DeliveryStatsQueryVariables = Exact<{
  from: string;
  to: string;
}>;

export type DeliveryStatsQuery = {
  deliveryStats: Array<{
    hour: string;
    providerId: string | null;
    providerName: string;
    sent: number;
    failed: number;
  }>;
};

export type AlertsQueryVariables = Exact<{
  first: number;
  openOnly?: boolean | null | undefined;
}>;

export type AlertsQuery = {
  alerts: {
    totalCount: number;
    nodes: Array<{
      id: string;
      kind: AlertKind;
      code: string;
      providerId: string;
      providerName: string;
      message: string;
      occurrences: number;
      createdAt: string;
      lastSeenAt: string;
      resolvedAt: string | null;
      webhookStatus: string | null;
      params: {
        providerName: string;
        deliveredByName: string | null;
        category: FailureCategory | null;
        failures: number | null;
        smtpCode: number | null;
        enhancedCode: string | null;
        httpStatus: number | null;
      };
      failure: {
        category: FailureCategory;
        smtpCode: number | null;
        enhancedCode: string | null;
        httpStatus: number | null;
        command: string | null;
        vendorCode: string | null;
        possibleDuplicate: boolean | null;
        message: string;
        hint: string;
      } | null;
    }>;
  };
};

export type FailureFieldsFragment = {
  category: FailureCategory;
  smtpCode: number | null;
  enhancedCode: string | null;
  httpStatus: number | null;
  command: string | null;
  vendorCode: string | null;
  possibleDuplicate: boolean | null;
  message: string;
  hint: string;
};

export type AttemptFieldsFragment = {
  providerId: string | null;
  providerName: string;
  startedAt: string;
  durationMs: number;
  outcome: AttemptOutcome;
  skippedReason: string | null;
  failure: {
    category: FailureCategory;
    smtpCode: number | null;
    enhancedCode: string | null;
    httpStatus: number | null;
    command: string | null;
    vendorCode: string | null;
    possibleDuplicate: boolean | null;
    message: string;
    hint: string;
  } | null;
};

export type VerificationFieldsFragment = {
  ok: boolean;
  checkedAt: string;
  durationMs: number;
  warnings: Array<string>;
  failure: {
    category: FailureCategory;
    smtpCode: number | null;
    enhancedCode: string | null;
    httpStatus: number | null;
    command: string | null;
    vendorCode: string | null;
    possibleDuplicate: boolean | null;
    message: string;
    hint: string;
  } | null;
};

export type TestEmailFieldsFragment = {
  ok: boolean;
  messageId: string | null;
  sentAt: string;
  channel: Channel | null;
  failure: {
    category: FailureCategory;
    smtpCode: number | null;
    enhancedCode: string | null;
    httpStatus: number | null;
    command: string | null;
    vendorCode: string | null;
    possibleDuplicate: boolean | null;
    message: string;
    hint: string;
  } | null;
  deliveredBy: { id: string; name: string } | null;
  attempts: Array<{
    providerId: string | null;
    providerName: string;
    startedAt: string;
    durationMs: number;
    outcome: AttemptOutcome;
    skippedReason: string | null;
    failure: {
      category: FailureCategory;
      smtpCode: number | null;
      enhancedCode: string | null;
      httpStatus: number | null;
      command: string | null;
      vendorCode: string | null;
      possibleDuplicate: boolean | null;
      message: string;
      hint: string;
    } | null;
  }>;
};

export type OAuthConnectionFieldsFragment = {
  flavour: OAuthFlavour;
  clientId: string;
  clientSecretSet: boolean;
  tenant: string | null;
  authorizeUrl: string | null;
  tokenUrl: string | null;
  scopes: Array<string>;
  connected: boolean;
  account: string | null;
  accessTokenExpiresAt: string | null;
  lastRefreshAt: string | null;
  lastError: string | null;
};

export type ProviderFieldsFragment = {
  id: string;
  type: ProviderType;
  name: string;
  apiVendor: ApiVendor | null;
  host: string;
  port: number;
  username: string;
  passwordSet: boolean;
  authMethod: AuthMethod;
  encryption: Encryption;
  fromEmail: string;
  fromName: string;
  serviceType: ServiceType;
  status: ProviderStatus;
  priority: number;
  channel: Channel;
  verifiedAt: string | null;
  createdAt: string;
  updatedAt: string;
  oauth: {
    flavour: OAuthFlavour;
    clientId: string;
    clientSecretSet: boolean;
    tenant: string | null;
    authorizeUrl: string | null;
    tokenUrl: string | null;
    scopes: Array<string>;
    connected: boolean;
    account: string | null;
    accessTokenExpiresAt: string | null;
    lastRefreshAt: string | null;
    lastError: string | null;
  } | null;
  lastVerification: {
    ok: boolean;
    checkedAt: string;
    durationMs: number;
    warnings: Array<string>;
    failure: {
      category: FailureCategory;
      smtpCode: number | null;
      enhancedCode: string | null;
      httpStatus: number | null;
      command: string | null;
      vendorCode: string | null;
      possibleDuplicate: boolean | null;
      message: string;
      hint: string;
    } | null;
  } | null;
  lastTestEmail: {
    ok: boolean;
    messageId: string | null;
    sentAt: string;
    channel: Channel | null;
    failure: {
      category: FailureCategory;
      smtpCode: number | null;
      enhancedCode: string | null;
      httpStatus: number | null;
      command: string | null;
      vendorCode: string | null;
      possibleDuplicate: boolean | null;
      message: string;
      hint: string;
    } | null;
    deliveredBy: { id: string; name: string } | null;
    attempts: Array<{
      providerId: string | null;
      providerName: string;
      startedAt: string;
      durationMs: number;
      outcome: AttemptOutcome;
      skippedReason: string | null;
      failure: {
        category: FailureCategory;
        smtpCode: number | null;
        enhancedCode: string | null;
        httpStatus: number | null;
        command: string | null;
        vendorCode: string | null;
        possibleDuplicate: boolean | null;
        message: string;
        hint: string;
      } | null;
    }>;
  } | null;
  health: {
    state: CircuitState;
    consecutiveFailures: number;
    lastFailureAt: string | null;
    openUntil: string | null;
    cooldownUntil: string | null;
    lastFailure: {
      category: FailureCategory;
      smtpCode: number | null;
      enhancedCode: string | null;
      httpStatus: number | null;
      command: string | null;
      vendorCode: string | null;
      possibleDuplicate: boolean | null;
      message: string;
      hint: string;
    } | null;
  };
};

export type ProvidersQueryVariables = Exact<{ [key: string]: never }>;

export type ProvidersQuery = {
  providers: Array<{
    id: string;
    type: ProviderType;
    name: string;
    apiVendor: ApiVendor | null;
    host: string;
    port: number;
    username: string;
    passwordSet: boolean;
    authMethod: AuthMethod;
    encryption: Encryption;
    fromEmail: string;
    fromName: string;
    serviceType: ServiceType;
    status: ProviderStatus;
    priority: number;
    channel: Channel;
    verifiedAt: string | null;
    createdAt: string;
    updatedAt: string;
    oauth: {
      flavour: OAuthFlavour;
      clientId: string;
      clientSecretSet: boolean;
      tenant: string | null;
      authorizeUrl: string | null;
      tokenUrl: string | null;
      scopes: Array<string>;
      connected: boolean;
      account: string | null;
      accessTokenExpiresAt: string | null;
      lastRefreshAt: string | null;
      lastError: string | null;
    } | null;
    lastVerification: {
      ok: boolean;
      checkedAt: string;
      durationMs: number;
      warnings: Array<string>;
      failure: {
        category: FailureCategory;
        smtpCode: number | null;
        enhancedCode: string | null;
        httpStatus: number | null;
        command: string | null;
        vendorCode: string | null;
        possibleDuplicate: boolean | null;
        message: string;
        hint: string;
      } | null;
    } | null;
    lastTestEmail: {
      ok: boolean;
      messageId: string | null;
      sentAt: string;
      channel: Channel | null;
      failure: {
        category: FailureCategory;
        smtpCode: number | null;
        enhancedCode: string | null;
        httpStatus: number | null;
        command: string | null;
        vendorCode: string | null;
        possibleDuplicate: boolean | null;
        message: string;
        hint: string;
      } | null;
      deliveredBy: { id: string; name: string } | null;
      attempts: Array<{
        providerId: string | null;
        providerName: string;
        startedAt: string;
        durationMs: number;
        outcome: AttemptOutcome;
        skippedReason: string | null;
        failure: {
          category: FailureCategory;
          smtpCode: number | null;
          enhancedCode: string | null;
          httpStatus: number | null;
          command: string | null;
          vendorCode: string | null;
          possibleDuplicate: boolean | null;
          message: string;
          hint: string;
        } | null;
      }>;
    } | null;
    health: {
      state: CircuitState;
      consecutiveFailures: number;
      lastFailureAt: string | null;
      openUntil: string | null;
      cooldownUntil: string | null;
      lastFailure: {
        category: FailureCategory;
        smtpCode: number | null;
        enhancedCode: string | null;
        httpStatus: number | null;
        command: string | null;
        vendorCode: string | null;
        possibleDuplicate: boolean | null;
        message: string;
        hint: string;
      } | null;
    };
  }>;
};

export type ProviderQueryVariables = Exact<{
  id: string | number;
}>;

export type ProviderQuery = {
  provider: {
    inboundWebhookUrl: string | null;
    webhookSecretSet: boolean;
    id: string;
    type: ProviderType;
    name: string;
    apiVendor: ApiVendor | null;
    host: string;
    port: number;
    username: string;
    passwordSet: boolean;
    authMethod: AuthMethod;
    encryption: Encryption;
    fromEmail: string;
    fromName: string;
    serviceType: ServiceType;
    status: ProviderStatus;
    priority: number;
    channel: Channel;
    verifiedAt: string | null;
    createdAt: string;
    updatedAt: string;
    oauth: {
      flavour: OAuthFlavour;
      clientId: string;
      clientSecretSet: boolean;
      tenant: string | null;
      authorizeUrl: string | null;
      tokenUrl: string | null;
      scopes: Array<string>;
      connected: boolean;
      account: string | null;
      accessTokenExpiresAt: string | null;
      lastRefreshAt: string | null;
      lastError: string | null;
    } | null;
    lastVerification: {
      ok: boolean;
      checkedAt: string;
      durationMs: number;
      warnings: Array<string>;
      failure: {
        category: FailureCategory;
        smtpCode: number | null;
        enhancedCode: string | null;
        httpStatus: number | null;
        command: string | null;
        vendorCode: string | null;
        possibleDuplicate: boolean | null;
        message: string;
        hint: string;
      } | null;
    } | null;
    lastTestEmail: {
      ok: boolean;
      messageId: string | null;
      sentAt: string;
      channel: Channel | null;
      failure: {
        category: FailureCategory;
        smtpCode: number | null;
        enhancedCode: string | null;
        httpStatus: number | null;
        command: string | null;
        vendorCode: string | null;
        possibleDuplicate: boolean | null;
        message: string;
        hint: string;
      } | null;
      deliveredBy: { id: string; name: string } | null;
      attempts: Array<{
        providerId: string | null;
        providerName: string;
        startedAt: string;
        durationMs: number;
        outcome: AttemptOutcome;
        skippedReason: string | null;
        failure: {
          category: FailureCategory;
          smtpCode: number | null;
          enhancedCode: string | null;
          httpStatus: number | null;
          command: string | null;
          vendorCode: string | null;
          possibleDuplicate: boolean | null;
          message: string;
          hint: string;
        } | null;
      }>;
    } | null;
    health: {
      state: CircuitState;
      consecutiveFailures: number;
      lastFailureAt: string | null;
      openUntil: string | null;
      cooldownUntil: string | null;
      lastFailure: {
        category: FailureCategory;
        smtpCode: number | null;
        enhancedCode: string | null;
        httpStatus: number | null;
        command: string | null;
        vendorCode: string | null;
        possibleDuplicate: boolean | null;
        message: string;
        hint: string;
      } | null;
    };
  } | null;
};

export type ChainFieldsFragment = {
  channel: Channel;
  providers: Array<{
    id: string;
    name: string;
    type: ProviderType;
    channel: Channel;
    serviceType: ServiceType;
    status: ProviderStatus;
    host: string;
    port: number;
    priority: number;
    health: { state: CircuitState };
  }>;
  warnings: Array<{ code: string; severity: string; providerId: string | null; message: string }>;
};

export type DeliveryChainsQueryVariables = Exact<{ [key: string]: never }>;

export type DeliveryChainsQuery = {
  defaultChain: {
    channel: Channel;
    providers: Array<{
      id: string;
      name: string;
      type: ProviderType;
      channel: Channel;
      serviceType: ServiceType;
      status: ProviderStatus;
      host: string;
      port: number;
      priority: number;
      health: { state: CircuitState };
    }>;
    warnings: Array<{ code: string; severity: string; providerId: string | null; message: string }>;
  };
  crmChain: {
    channel: Channel;
    providers: Array<{
      id: string;
      name: string;
      type: ProviderType;
      channel: Channel;
      serviceType: ServiceType;
      status: ProviderStatus;
      host: string;
      port: number;
      priority: number;
      health: { state: CircuitState };
    }>;
    warnings: Array<{ code: string; severity: string; providerId: string | null; message: string }>;
  };
};

export type CreateProviderMutationVariables = Exact<{
  input: ProviderInput;
}>;

export type CreateProviderMutation = {
  createProvider: {
    id: string;
    type: ProviderType;
    name: string;
    apiVendor: ApiVendor | null;
    host: string;
    port: number;
    username: string;
    passwordSet: boolean;
    authMethod: AuthMethod;
    encryption: Encryption;
    fromEmail: string;
    fromName: string;
    serviceType: ServiceType;
    status: ProviderStatus;
    priority: number;
    channel: Channel;
    verifiedAt: string | null;
    createdAt: string;
    updatedAt: string;
    oauth: {
      flavour: OAuthFlavour;
      clientId: string;
      clientSecretSet: boolean;
      tenant: string | null;
      authorizeUrl: string | null;
      tokenUrl: string | null;
      scopes: Array<string>;
      connected: boolean;
      account: string | null;
      accessTokenExpiresAt: string | null;
      lastRefreshAt: string | null;
      lastError: string | null;
    } | null;
    lastVerification: {
      ok: boolean;
      checkedAt: string;
      durationMs: number;
      warnings: Array<string>;
      failure: {
        category: FailureCategory;
        smtpCode: number | null;
        enhancedCode: string | null;
        httpStatus: number | null;
        command: string | null;
        vendorCode: string | null;
        possibleDuplicate: boolean | null;
        message: string;
        hint: string;
      } | null;
    } | null;
    lastTestEmail: {
      ok: boolean;
      messageId: string | null;
      sentAt: string;
      channel: Channel | null;
      failure: {
        category: FailureCategory;
        smtpCode: number | null;
        enhancedCode: string | null;
        httpStatus: number | null;
        command: string | null;
        vendorCode: string | null;
        possibleDuplicate: boolean | null;
        message: string;
        hint: string;
      } | null;
      deliveredBy: { id: string; name: string } | null;
      attempts: Array<{
        providerId: string | null;
        providerName: string;
        startedAt: string;
        durationMs: number;
        outcome: AttemptOutcome;
        skippedReason: string | null;
        failure: {
          category: FailureCategory;
          smtpCode: number | null;
          enhancedCode: string | null;
          httpStatus: number | null;
          command: string | null;
          vendorCode: string | null;
          possibleDuplicate: boolean | null;
          message: string;
          hint: string;
        } | null;
      }>;
    } | null;
    health: {
      state: CircuitState;
      consecutiveFailures: number;
      lastFailureAt: string | null;
      openUntil: string | null;
      cooldownUntil: string | null;
      lastFailure: {
        category: FailureCategory;
        smtpCode: number | null;
        enhancedCode: string | null;
        httpStatus: number | null;
        command: string | null;
        vendorCode: string | null;
        possibleDuplicate: boolean | null;
        message: string;
        hint: string;
      } | null;
    };
  };
};

export type UpdateProviderMutationVariables = Exact<{
  id: string | number;
  input: ProviderInput;
}>;

export type UpdateProviderMutation = {
  updateProvider: {
    id: string;
    type: ProviderType;
    name: string;
    apiVendor: ApiVendor | null;
    host: string;
    port: number;
    username: string;
    passwordSet: boolean;
    authMethod: AuthMethod;
    encryption: Encryption;
    fromEmail: string;
    fromName: string;
    serviceType: ServiceType;
    status: ProviderStatus;
    priority: number;
    channel: Channel;
    verifiedAt: string | null;
    createdAt: string;
    updatedAt: string;
    oauth: {
      flavour: OAuthFlavour;
      clientId: string;
      clientSecretSet: boolean;
      tenant: string | null;
      authorizeUrl: string | null;
      tokenUrl: string | null;
      scopes: Array<string>;
      connected: boolean;
      account: string | null;
      accessTokenExpiresAt: string | null;
      lastRefreshAt: string | null;
      lastError: string | null;
    } | null;
    lastVerification: {
      ok: boolean;
      checkedAt: string;
      durationMs: number;
      warnings: Array<string>;
      failure: {
        category: FailureCategory;
        smtpCode: number | null;
        enhancedCode: string | null;
        httpStatus: number | null;
        command: string | null;
        vendorCode: string | null;
        possibleDuplicate: boolean | null;
        message: string;
        hint: string;
      } | null;
    } | null;
    lastTestEmail: {
      ok: boolean;
      messageId: string | null;
      sentAt: string;
      channel: Channel | null;
      failure: {
        category: FailureCategory;
        smtpCode: number | null;
        enhancedCode: string | null;
        httpStatus: number | null;
        command: string | null;
        vendorCode: string | null;
        possibleDuplicate: boolean | null;
        message: string;
        hint: string;
      } | null;
      deliveredBy: { id: string; name: string } | null;
      attempts: Array<{
        providerId: string | null;
        providerName: string;
        startedAt: string;
        durationMs: number;
        outcome: AttemptOutcome;
        skippedReason: string | null;
        failure: {
          category: FailureCategory;
          smtpCode: number | null;
          enhancedCode: string | null;
          httpStatus: number | null;
          command: string | null;
          vendorCode: string | null;
          possibleDuplicate: boolean | null;
          message: string;
          hint: string;
        } | null;
      }>;
    } | null;
    health: {
      state: CircuitState;
      consecutiveFailures: number;
      lastFailureAt: string | null;
      openUntil: string | null;
      cooldownUntil: string | null;
      lastFailure: {
        category: FailureCategory;
        smtpCode: number | null;
        enhancedCode: string | null;
        httpStatus: number | null;
        command: string | null;
        vendorCode: string | null;
        possibleDuplicate: boolean | null;
        message: string;
        hint: string;
      } | null;
    };
  };
};

export type DeleteProviderMutationVariables = Exact<{
  id: string | number;
}>;

export type DeleteProviderMutation = { deleteProvider: string };

export type SetProviderStatusMutationVariables = Exact<{
  id: string | number;
  status: ProviderStatus;
}>;

export type SetProviderStatusMutation = {
  setProviderStatus: {
    id: string;
    type: ProviderType;
    name: string;
    apiVendor: ApiVendor | null;
    host: string;
    port: number;
    username: string;
    passwordSet: boolean;
    authMethod: AuthMethod;
    encryption: Encryption;
    fromEmail: string;
    fromName: string;
    serviceType: ServiceType;
    status: ProviderStatus;
    priority: number;
    channel: Channel;
    verifiedAt: string | null;
    createdAt: string;
    updatedAt: string;
    oauth: {
      flavour: OAuthFlavour;
      clientId: string;
      clientSecretSet: boolean;
      tenant: string | null;
      authorizeUrl: string | null;
      tokenUrl: string | null;
      scopes: Array<string>;
      connected: boolean;
      account: string | null;
      accessTokenExpiresAt: string | null;
      lastRefreshAt: string | null;
      lastError: string | null;
    } | null;
    lastVerification: {
      ok: boolean;
      checkedAt: string;
      durationMs: number;
      warnings: Array<string>;
      failure: {
        category: FailureCategory;
        smtpCode: number | null;
        enhancedCode: string | null;
        httpStatus: number | null;
        command: string | null;
        vendorCode: string | null;
        possibleDuplicate: boolean | null;
        message: string;
        hint: string;
      } | null;
    } | null;
    lastTestEmail: {
      ok: boolean;
      messageId: string | null;
      sentAt: string;
      channel: Channel | null;
      failure: {
        category: FailureCategory;
        smtpCode: number | null;
        enhancedCode: string | null;
        httpStatus: number | null;
        command: string | null;
        vendorCode: string | null;
        possibleDuplicate: boolean | null;
        message: string;
        hint: string;
      } | null;
      deliveredBy: { id: string; name: string } | null;
      attempts: Array<{
        providerId: string | null;
        providerName: string;
        startedAt: string;
        durationMs: number;
        outcome: AttemptOutcome;
        skippedReason: string | null;
        failure: {
          category: FailureCategory;
          smtpCode: number | null;
          enhancedCode: string | null;
          httpStatus: number | null;
          command: string | null;
          vendorCode: string | null;
          possibleDuplicate: boolean | null;
          message: string;
          hint: string;
        } | null;
      }>;
    } | null;
    health: {
      state: CircuitState;
      consecutiveFailures: number;
      lastFailureAt: string | null;
      openUntil: string | null;
      cooldownUntil: string | null;
      lastFailure: {
        category: FailureCategory;
        smtpCode: number | null;
        enhancedCode: string | null;
        httpStatus: number | null;
        command: string | null;
        vendorCode: string | null;
        possibleDuplicate: boolean | null;
        message: string;
        hint: string;
      } | null;
    };
  };
};

export type VerifyProviderMutationVariables = Exact<{
  id: string | number;
}>;

export type VerifyProviderMutation = {
  verifyProvider: {
    ok: boolean;
    checkedAt: string;
    durationMs: number;
    warnings: Array<string>;
    failure: {
      category: FailureCategory;
      smtpCode: number | null;
      enhancedCode: string | null;
      httpStatus: number | null;
      command: string | null;
      vendorCode: string | null;
      possibleDuplicate: boolean | null;
      message: string;
      hint: string;
    } | null;
  };
};

export type VerifyProviderSettingsMutationVariables = Exact<{
  input: ProviderInput;
  id?: string | number | null | undefined;
}>;

export type VerifyProviderSettingsMutation = {
  verifyProviderSettings: {
    ok: boolean;
    checkedAt: string;
    durationMs: number;
    warnings: Array<string>;
    failure: {
      category: FailureCategory;
      smtpCode: number | null;
      enhancedCode: string | null;
      httpStatus: number | null;
      command: string | null;
      vendorCode: string | null;
      possibleDuplicate: boolean | null;
      message: string;
      hint: string;
    } | null;
  };
};

export type ReorderProvidersMutationVariables = Exact<{
  ids: Array<string | number> | string | number;
  serviceTypes?: Array<ProviderServiceTypeInput> | ProviderServiceTypeInput | null | undefined;
}>;

export type ReorderProvidersMutation = {
  reorderProviders: Array<{ id: string; priority: number; serviceType: ServiceType }>;
};

export type StartProviderOAuthMutationVariables = Exact<{
  id: string | number;
}>;

export type StartProviderOAuthMutation = { startProviderOAuth: { authorizeUrl: string } };

export type DisconnectProviderOAuthMutationVariables = Exact<{
  id: string | number;
}>;

export type DisconnectProviderOAuthMutation = {
  disconnectProviderOAuth: {
    id: string;
    type: ProviderType;
    name: string;
    apiVendor: ApiVendor | null;
    host: string;
    port: number;
    username: string;
    passwordSet: boolean;
    authMethod: AuthMethod;
    encryption: Encryption;
    fromEmail: string;
    fromName: string;
    serviceType: ServiceType;
    status: ProviderStatus;
    priority: number;
    channel: Channel;
    verifiedAt: string | null;
    createdAt: string;
    updatedAt: string;
    oauth: {
      flavour: OAuthFlavour;
      clientId: string;
      clientSecretSet: boolean;
      tenant: string | null;
      authorizeUrl: string | null;
      tokenUrl: string | null;
      scopes: Array<string>;
      connected: boolean;
      account: string | null;
      accessTokenExpiresAt: string | null;
      lastRefreshAt: string | null;
      lastError: string | null;
    } | null;
    lastVerification: {
      ok: boolean;
      checkedAt: string;
      durationMs: number;
      warnings: Array<string>;
      failure: {
        category: FailureCategory;
        smtpCode: number | null;
        enhancedCode: string | null;
        httpStatus: number | null;
        command: string | null;
        vendorCode: string | null;
        possibleDuplicate: boolean | null;
        message: string;
        hint: string;
      } | null;
    } | null;
    lastTestEmail: {
      ok: boolean;
      messageId: string | null;
      sentAt: string;
      channel: Channel | null;
      failure: {
        category: FailureCategory;
        smtpCode: number | null;
        enhancedCode: string | null;
        httpStatus: number | null;
        command: string | null;
        vendorCode: string | null;
        possibleDuplicate: boolean | null;
        message: string;
        hint: string;
      } | null;
      deliveredBy: { id: string; name: string } | null;
      attempts: Array<{
        providerId: string | null;
        providerName: string;
        startedAt: string;
        durationMs: number;
        outcome: AttemptOutcome;
        skippedReason: string | null;
        failure: {
          category: FailureCategory;
          smtpCode: number | null;
          enhancedCode: string | null;
          httpStatus: number | null;
          command: string | null;
          vendorCode: string | null;
          possibleDuplicate: boolean | null;
          message: string;
          hint: string;
        } | null;
      }>;
    } | null;
    health: {
      state: CircuitState;
      consecutiveFailures: number;
      lastFailureAt: string | null;
      openUntil: string | null;
      cooldownUntil: string | null;
      lastFailure: {
        category: FailureCategory;
        smtpCode: number | null;
        enhancedCode: string | null;
        httpStatus: number | null;
        command: string | null;
        vendorCode: string | null;
        possibleDuplicate: boolean | null;
        message: string;
        hint: string;
      } | null;
    };
  };
};

export type SettingsFieldsFragment = { deliveryRetentionDays: number; defaultDeliveryRetentionDays: number };

export type SettingsQueryVariables = Exact<{ [key: string]: never }>;

export type SettingsQuery = {
  settings: { deliveryRetentionDays: number; defaultDeliveryRetentionDays: number };
};

export type SetDeliveryRetentionMutationVariables = Exact<{
  days: number;
}>;

export type SetDeliveryRetentionMutation = {
  setDeliveryRetention: { deliveryRetentionDays: number; defaultDeliveryRetentionDays: number };
};

export type SuppressionFieldsFragment = {
  email: string;
  channel: Channel | null;
  source: SuppressionSource;
  reason: string | null;
  deliveryId: string | null;
  createdBy: string | null;
  createdAt: string;
};

export type SuppressionsQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
  search?: string | null | undefined;
}>;

export type SuppressionsQuery = {
  suppressions: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: Array<{
      email: string;
      channel: Channel | null;
      source: SuppressionSource;
      reason: string | null;
      deliveryId: string | null;
      createdBy: string | null;
      createdAt: string;
    }>;
  };
};

export type ExportSuppressionsQueryVariables = Exact<{ [key: string]: never }>;

export type ExportSuppressionsQuery = { exportSuppressions: string };

export type AddSuppressionMutationVariables = Exact<{
  email: string;
  reason?: string | null | undefined;
  channel?: Channel | null | undefined;
}>;

export type AddSuppressionMutation = {
  addSuppression: {
    email: string;
    channel: Channel | null;
    source: SuppressionSource;
    reason: string | null;
    deliveryId: string | null;
    createdBy: string | null;
    createdAt: string;
  };
};

export type RemoveSuppressionMutationVariables = Exact<{
  email: string;
  channel?: Channel | null | undefined;
}>;

export type RemoveSuppressionMutation = { removeSuppression: number };

export type ImportSuppressionsMutationVariables = Exact<{
  csv: string;
}>;

export type ImportSuppressionsMutation = {
  importSuppressions: {
    added: number;
    alreadyListed: number;
    errors: Array<{ line: number; message: string }>;
  };
};

export type UnmatchedVendorEventsQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
}>;

export type UnmatchedVendorEventsQuery = {
  unmatchedVendorEvents: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: Array<{
      id: string;
      vendor: ApiVendor;
      providerId: string;
      providerName: string | null;
      receivedAt: string;
      vendorEventType: string;
      eventType: EventType | null;
      recipient: string | null;
      vendorMessageId: string | null;
      reason: string | null;
    }>;
  };
};

export type SendTestEmailMutationVariables = Exact<{
  to: string;
  providerId?: string | number | null | undefined;
  channel?: Channel | null | undefined;
}>;

export type SendTestEmailMutation = {
  sendTestEmail: {
    ok: boolean;
    messageId: string | null;
    sentAt: string;
    channel: Channel | null;
    failure: {
      category: FailureCategory;
      smtpCode: number | null;
      enhancedCode: string | null;
      httpStatus: number | null;
      command: string | null;
      vendorCode: string | null;
      possibleDuplicate: boolean | null;
      message: string;
      hint: string;
    } | null;
    deliveredBy: { id: string; name: string } | null;
    attempts: Array<{
      providerId: string | null;
      providerName: string;
      startedAt: string;
      durationMs: number;
      outcome: AttemptOutcome;
      skippedReason: string | null;
      failure: {
        category: FailureCategory;
        smtpCode: number | null;
        enhancedCode: string | null;
        httpStatus: number | null;
        command: string | null;
        vendorCode: string | null;
        possibleDuplicate: boolean | null;
        message: string;
        hint: string;
      } | null;
    }>;
  };
};

export type ManagedUserFieldsFragment = {
  id: string;
  email: string;
  role: string;
  locale: string;
  mustChangePassword: boolean;
  lastLoginAt: string | null;
  createdAt: string;
};

export type UsersQueryVariables = Exact<{ [key: string]: never }>;

export type UsersQuery = {
  users: Array<{
    id: string;
    email: string;
    role: string;
    locale: string;
    mustChangePassword: boolean;
    lastLoginAt: string | null;
    createdAt: string;
  }>;
};

export type CreateUserMutationVariables = Exact<{
  input: CreateUserInput;
}>;

export type CreateUserMutation = {
  createUser: {
    oneTimePassword: string | null;
    user: {
      id: string;
      email: string;
      role: string;
      locale: string;
      mustChangePassword: boolean;
      lastLoginAt: string | null;
      createdAt: string;
    };
  };
};

export type SetUserRoleMutationVariables = Exact<{
  id: string | number;
  role: UserRole;
}>;

export type SetUserRoleMutation = {
  setUserRole: {
    id: string;
    email: string;
    role: string;
    locale: string;
    mustChangePassword: boolean;
    lastLoginAt: string | null;
    createdAt: string;
  };
};

export type ResetUserPasswordMutationVariables = Exact<{
  id: string | number;
}>;

export type ResetUserPasswordMutation = {
  resetUserPassword: {
    oneTimePassword: string;
    sessionsEnded: number;
    user: {
      id: string;
      email: string;
      role: string;
      locale: string;
      mustChangePassword: boolean;
      lastLoginAt: string | null;
      createdAt: string;
    };
  };
};

export type EndUserSessionsMutationVariables = Exact<{
  id: string | number;
}>;

export type EndUserSessionsMutation = { endUserSessions: number };

export type RemoveUserMutationVariables = Exact<{
  id: string | number;
}>;

export type RemoveUserMutation = {
  removeUser: { id: string; email: string; sessionsEnded: number; apiTokensRevoked: number };
};

export type WebhookDeliveryFieldsFragment = {
  id: string;
  endpointId: string;
  eventId: string | null;
  eventType: string;
  attempt: number;
  status: WebhookAttemptStatus;
  attemptedAt: string;
  durationMs: number;
  responseStatus: number | null;
  responseBody: string | null;
  error: string | null;
  nextAttemptAt: string | null;
};

export type WebhookEndpointFieldsFragment = {
  id: string;
  url: string;
  description: string | null;
  eventTypes: Array<EventType>;
  format: WebhookFormat;
  enabled: boolean;
  language: string;
  createdAt: string;
  failingSince: string | null;
  disabledReason: string | null;
  lastDelivery: {
    id: string;
    endpointId: string;
    eventId: string | null;
    eventType: string;
    attempt: number;
    status: WebhookAttemptStatus;
    attemptedAt: string;
    durationMs: number;
    responseStatus: number | null;
    responseBody: string | null;
    error: string | null;
    nextAttemptAt: string | null;
  } | null;
};

export type WebhookEndpointsQueryVariables = Exact<{ [key: string]: never }>;

export type WebhookEndpointsQuery = {
  webhookEndpoints: Array<{
    id: string;
    url: string;
    description: string | null;
    eventTypes: Array<EventType>;
    format: WebhookFormat;
    enabled: boolean;
    language: string;
    createdAt: string;
    failingSince: string | null;
    disabledReason: string | null;
    lastDelivery: {
      id: string;
      endpointId: string;
      eventId: string | null;
      eventType: string;
      attempt: number;
      status: WebhookAttemptStatus;
      attemptedAt: string;
      durationMs: number;
      responseStatus: number | null;
      responseBody: string | null;
      error: string | null;
      nextAttemptAt: string | null;
    } | null;
  }>;
};

export type WebhookDeliveriesQueryVariables = Exact<{
  endpointId: string | number;
  first: number;
  after?: string | null | undefined;
}>;

export type WebhookDeliveriesQuery = {
  webhookDeliveries: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: Array<{
      id: string;
      endpointId: string;
      eventId: string | null;
      eventType: string;
      attempt: number;
      status: WebhookAttemptStatus;
      attemptedAt: string;
      durationMs: number;
      responseStatus: number | null;
      responseBody: string | null;
      error: string | null;
      nextAttemptAt: string | null;
    }>;
  };
};

export type CreateWebhookEndpointMutationVariables = Exact<{
  input: WebhookEndpointInput;
}>;

export type CreateWebhookEndpointMutation = {
  createWebhookEndpoint: {
    signingSecret: string;
    endpoint: {
      id: string;
      url: string;
      description: string | null;
      eventTypes: Array<EventType>;
      format: WebhookFormat;
      enabled: boolean;
      language: string;
      createdAt: string;
      failingSince: string | null;
      disabledReason: string | null;
      lastDelivery: {
        id: string;
        endpointId: string;
        eventId: string | null;
        eventType: string;
        attempt: number;
        status: WebhookAttemptStatus;
        attemptedAt: string;
        durationMs: number;
        responseStatus: number | null;
        responseBody: string | null;
        error: string | null;
        nextAttemptAt: string | null;
      } | null;
    };
  };
};

export type UpdateWebhookEndpointMutationVariables = Exact<{
  id: string | number;
  input: WebhookEndpointUpdateInput;
}>;

export type UpdateWebhookEndpointMutation = {
  updateWebhookEndpoint: {
    id: string;
    url: string;
    description: string | null;
    eventTypes: Array<EventType>;
    format: WebhookFormat;
    enabled: boolean;
    language: string;
    createdAt: string;
    failingSince: string | null;
    disabledReason: string | null;
    lastDelivery: {
      id: string;
      endpointId: string;
      eventId: string | null;
      eventType: string;
      attempt: number;
      status: WebhookAttemptStatus;
      attemptedAt: string;
      durationMs: number;
      responseStatus: number | null;
      responseBody: string | null;
      error: string | null;
      nextAttemptAt: string | null;
    } | null;
  };
};

export type DeleteWebhookEndpointMutationVariables = Exact<{
  id: string | number;
}>;

export type DeleteWebhookEndpointMutation = { deleteWebhookEndpoint: boolean };

export type RotateWebhookSecretMutationVariables = Exact<{
  id: string | number;
}>;

export type RotateWebhookSecretMutation = {
  rotateWebhookSecret: {
    signingSecret: string;
    endpoint: {
      id: string;
      url: string;
      description: string | null;
      eventTypes: Array<EventType>;
      format: WebhookFormat;
      enabled: boolean;
      language: string;
      createdAt: string;
      failingSince: string | null;
      disabledReason: string | null;
      lastDelivery: {
        id: string;
        endpointId: string;
        eventId: string | null;
        eventType: string;
        attempt: number;
        status: WebhookAttemptStatus;
        attemptedAt: string;
        durationMs: number;
        responseStatus: number | null;
        responseBody: string | null;
        error: string | null;
        nextAttemptAt: string | null;
      } | null;
    };
  };
};

export type SendTestWebhookMutationVariables = Exact<{
  id: string | number;
}>;

export type SendTestWebhookMutation = {
  sendTestWebhook: {
    id: string;
    endpointId: string;
    eventId: string | null;
    eventType: string;
    attempt: number;
    status: WebhookAttemptStatus;
    attemptedAt: string;
    durationMs: number;
    responseStatus: number | null;
    responseBody: string | null;
    error: string | null;
    nextAttemptAt: string | null;
  };
};
