import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * OAuth2 sign-in for SMTP providers (XOAUTH2).
 *
 * - `providers.auth_method`: how the provider logs in ('password', 'oauth2', 'none'); null for the rows saved
 *   before, which keep the inferred method (a username logs in with its password, none needs no login).
 * - `oauth_connections`: one per OAuth2 provider: the app registration (client id, the client secret sealed
 *   like passwords, tenant or endpoints, scopes) and the connection (the refresh token and the cached access
 *   token, both sealed, the account signed in, when the access token expires, the last refresh and error).
 *   Refreshes take this row FOR UPDATE, so one refresh serves every process.
 * - `oauth_states`: the single-use `state` of each sign-in started, by its hash, bound to the admin's
 *   session, with the PKCE verifier sealed; expired rows are of no use and are deleted as new ones come.
 * - `alert_events.kind` admits OAUTH_REVOKED: a refresh refused with invalid_grant.
 */
export class OAuthConnections1763702200000 implements MigrationInterface {
  name = 'OAuthConnections1763702200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE providers
        ADD COLUMN auth_method text CHECK (auth_method IN ('password', 'oauth2', 'none'))
    `);
    await queryRunner.query(`
      CREATE TABLE oauth_connections (
        provider_id uuid PRIMARY KEY REFERENCES providers (id) ON DELETE CASCADE,
        flavour text NOT NULL CHECK (flavour IN ('microsoft', 'google', 'generic')),
        client_id text NOT NULL,
        client_secret_ciphertext text,
        client_secret_key_id text,
        tenant text,
        authorize_url text,
        token_url text,
        scopes text[] NOT NULL DEFAULT '{}',
        refresh_token_ciphertext text,
        refresh_token_key_id text,
        access_token_ciphertext text,
        access_token_key_id text,
        access_token_expires_at timestamptz,
        account text,
        connected_at timestamptz,
        last_refresh_at timestamptz,
        last_error text,
        last_error_code text,
        last_error_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )
    `);
    await queryRunner.query(`
      CREATE TABLE oauth_states (
        state_hash text PRIMARY KEY,
        provider_id uuid NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
        session_token_hash text NOT NULL,
        code_verifier_ciphertext text NOT NULL,
        code_verifier_key_id text NOT NULL,
        redirect_uri text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )
    `);
    await queryRunner.query(`CREATE INDEX oauth_states_expires_at_idx ON oauth_states (expires_at)`);
    await queryRunner.query(`ALTER TABLE alert_events DROP CONSTRAINT IF EXISTS alert_events_kind_check`);
    await queryRunner.query(`
      ALTER TABLE alert_events ADD CONSTRAINT alert_events_kind_check
        CHECK (kind IN ('CIRCUIT_OPENED', 'CIRCUIT_CLOSED', 'FALLBACK_USED', 'OAUTH_REVOKED'))
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM alert_events WHERE kind = 'OAUTH_REVOKED'`);
    await queryRunner.query(`ALTER TABLE alert_events DROP CONSTRAINT IF EXISTS alert_events_kind_check`);
    await queryRunner.query(`
      ALTER TABLE alert_events ADD CONSTRAINT alert_events_kind_check
        CHECK (kind IN ('CIRCUIT_OPENED', 'CIRCUIT_CLOSED', 'FALLBACK_USED'))
    `);
    await queryRunner.query(`DROP TABLE oauth_states`);
    await queryRunner.query(`DROP TABLE oauth_connections`);
    await queryRunner.query(`ALTER TABLE providers DROP COLUMN auth_method`);
  }
}
