import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The providers table. The value checks repeat the GraphQL enums so that nothing written around the API
 * (a script, a psql session) can store a provider the engine would not understand.
 */
export class Providers1763700100000 implements MigrationInterface {
  name = 'Providers1763700100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE providers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        type text NOT NULL CHECK (type IN ('smtp', 'api_smtp', 'crm_api_smtp')),
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 64),
        api_vendor text CHECK (api_vendor IN ('zeptomail', 'sendgrid', 'mailgun', 'postmark', 'resend', 'brevo', 'sparkpost')),
        host text NOT NULL CHECK (char_length(host) BETWEEN 1 AND 253),
        port integer NOT NULL CHECK (port BETWEEN 1 AND 65535),
        username text NOT NULL CHECK (char_length(username) <= 256),
        password_ciphertext text NOT NULL,
        password_key_id text NOT NULL,
        encryption text NOT NULL CHECK (encryption IN ('none', 'ssl_tls', 'starttls')),
        from_email text NOT NULL CHECK (char_length(from_email) BETWEEN 3 AND 254),
        from_name text NOT NULL CHECK (char_length(from_name) <= 128),
        service_type text NOT NULL CHECK (service_type IN ('primary', 'fallback')),
        status text NOT NULL DEFAULT 'inactive' CHECK (status IN ('active', 'inactive')),
        priority integer NOT NULL CHECK (priority >= 1),
        credentials_version integer NOT NULL DEFAULT 1,
        verified_at timestamptz,
        last_verification jsonb,
        last_test_email jsonb,
        settings_changed_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT providers_api_vendor_only_for_api_types CHECK (api_vendor IS NULL OR type <> 'smtp'),
        CONSTRAINT providers_active_only_when_verified CHECK (status = 'inactive' OR verified_at IS NOT NULL),
        CONSTRAINT providers_priority_unique UNIQUE (priority) DEFERRABLE INITIALLY IMMEDIATE
      )
    `);
    await queryRunner.query(`CREATE UNIQUE INDEX providers_name_lower_unique ON providers (lower(name))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE providers`);
  }
}
