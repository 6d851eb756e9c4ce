import { randomUUID } from 'node:crypto';
import type { ProviderConfig, ProviderStatus, ServiceType, VerifyResult } from '@mail-providers/mailer-core';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Auth } from '../context';
import { isUniqueViolation } from '../database/pg-errors';
import { ProviderEntity } from '../entities/provider.entity';
import type { Locale } from '../entities/user.entity';
import { BadUserInputError, ConflictError, NotFoundError, type FieldError } from '../errors';
import type { ProviderInput } from '../resolvers/types/provider.input';
import type { ServiceContainer } from '../service-container';
import { ConnectionCheckGate } from './connection-check-gate';
import { MailerService, passwordContext, toProviderConfig } from './mailer.service';
import { PROVIDERS_CHANGED_NOTIFICATION } from '../database/change-listener';
import { notVerifiedForActivation, notVerifiedOnActivation, notVerifiedOnSave } from './provider-failure';
import { testEmailTransformer, verificationTransformer, type TestEmailRecord } from './provider-records';
import {
  PASSWORD_BINDING,
  SETTING_FIELDS,
  validProviderSettings,
  type ProviderSettings,
  type SettingField,
} from './provider-validation';
import { VerificationService } from './verification.service';
import { authMethodOfEntity, type AuthMethod } from '../oauth/auth-method';
import { OAuthConnectionService } from '../oauth/oauth-connection.service';
import { webhookSecretColumns } from '../inbound/webhook-secret';
import { eventVendorOf } from '@mail-providers/mailer-core';

/** Who asks, and in which language they read hints. */
export interface Caller {
  auth: Auth;
  locale: Locale;
}

/** A provider's new tier, as reorderProviders takes it. */
export interface TierChange {
  id: string;
  serviceType: ServiceType;
}

/** A provider as a change of the order reads it. */
interface OrderedProvider {
  name: string;
  priority: number;
  serviceType: ServiceType;
}

/** Held (per transaction) by every change of the priority order, so concurrent changes keep it dense. */
const ORDER_LOCK_KEY = 7_163_700_100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A change of any of these makes the stored verification meaningless. */
const CREDENTIAL_FIELDS = [...PASSWORD_BINDING, 'password'] as const;

/** One audited change of a provider, as {@link ProviderService.save} writes it. */
interface ProviderChange {
  id: string;
  /** The name being saved, for the CONFLICT when another provider took it meanwhile. */
  name: string;
  caller: Caller;
  action: string;
  fields: string[];
  /** Whether the engine must forget the provider's health (its destination or identity changed). */
  credentialsChanged: boolean;
}

/**
 * Providers and their rules (docs/reference.md#providers): unique names, a dense priority order with new providers last, the
 * password sealed at rest, verification cleared by a credential change, and ACTIVE only with verified
 * current credentials. Every change is written to the audit log in the same transaction.
 */
export class ProviderService {
  constructor(private readonly services: ServiceContainer) {}

  private get mailer(): MailerService {
    return this.services.get(MailerService);
  }

  private get oauth(): OAuthConnectionService {
    return this.services.get(OAuthConnectionService);
  }

  private get audit(): AuditService {
    return this.services.get(AuditService);
  }

  /** Every provider by priority. */
  list(): Promise<ProviderEntity[]> {
    return this.services.dataSource.getRepository(ProviderEntity).find({ order: { priority: 'ASC' } });
  }

  /** The provider, or null when no provider has this id (including ids that are not UUIDs at all). */
  async find(id: string): Promise<ProviderEntity | null> {
    if (!UUID.test(id)) return null;
    return this.services.dataSource.getRepository(ProviderEntity).findOneBy({ id });
  }

  async get(id: string): Promise<ProviderEntity> {
    const provider = await this.find(id);
    if (!provider)
      throw new NotFoundError('No provider has this id; it may have been deleted. Reload the list.');
    return provider;
  }

  /** The provider as the engine takes it, password opened in memory. */
  configOf(provider: ProviderEntity): ProviderConfig {
    return toProviderConfig(provider, this.services.secretBox);
  }

  async create(input: ProviderInput, caller: Caller): Promise<ProviderEntity> {
    const settings = validProviderSettings(input);
    await this.assertNameFree(settings.name, null);
    const id = randomUUID();
    const status: ProviderStatus = input.status ?? 'inactive';
    const oauth = await this.oauth.plan(settings.authMethod, input.oauth, null);

    let verification: VerifyResult | null = null;
    if (status === 'active' && settings.authMethod === 'oauth2') await this.oauth.assertConnected(null);
    if (status === 'active') {
      await this.services.get(ConnectionCheckGate).admit(caller, settings.host, 'input.host');
      verification = await this.mailer.verify({ ...settings, id, priority: 1, status });
      if (!verification.ok) throw notVerifiedOnSave(verification, caller.locale);
    }

    const sealed = this.services.secretBox.seal(settings.password, passwordContext(id));
    const { changed: webhookSecretSet, ...webhookSecret } = webhookSecretColumns(
      input,
      id,
      eventVendorOf(settings),
      null,
      this.services.secretBox,
    );
    const change = {
      id,
      name: settings.name,
      caller,
      action: 'provider.create',
      fields: [
        ...SETTING_FIELDS,
        'status',
        'authMethod',
        ...(oauth.changed ? ['oauth'] : []),
        ...(webhookSecretSet ? ['webhookSecret'] : []),
      ],
      credentialsChanged: true,
    };
    return this.save(change, async (manager) => {
      await lockOrder(manager);
      const next = await nextPriority(manager);
      const repo = manager.getRepository(ProviderEntity);
      await repo.insert(
        repo.create({
          id,
          ...settingColumns(settings),
          passwordCiphertext: sealed.ciphertext,
          passwordKeyId: sealed.keyId,
          ...webhookSecret,
          status,
          priority: next,
          credentialsVersion: 1,
          verifiedAt: verification?.checkedAt ?? null,
          lastVerification: verification,
          lastTestEmail: null,
          settingsChangedAt: new Date(),
          authMethod: storedAuthMethod(input, settings.authMethod),
        }),
      );
      await oauth.apply(manager, id);
    });
  }

  /**
   * Saves new settings. An omitted password keeps the stored one, but only while type, vendor, host, port,
   * username and encryption stay as stored; an omitted status keeps the current one.
   */
  async update(id: string, input: ProviderInput, caller: Caller): Promise<ProviderEntity> {
    const current = await this.get(id);
    const stored = this.configOf(current);
    const storedPassword = stored.password;
    const storedApp = await this.oauth.storedApp(id);
    const storedAuth = { method: current.authMethod, app: storedApp };
    const settings = validProviderSettings(input, { stored, storedAuth });
    // A new password, or none any more (a relay switched to no login).
    const changed: string[] = changedSettings(current, settings, settings.password !== storedPassword);
    if (changed.includes('name')) await this.assertNameFree(settings.name, id);
    const oauth = await this.oauth.plan(settings.authMethod, input.oauth, storedApp);
    if (settings.authMethod !== authMethodOfEntity(current)) changed.push('authMethod');
    if (oauth.changed) changed.push('oauth');

    const status: ProviderStatus = input.status ?? current.status;
    const credentialsChanged = changed.some((field) =>
      ([...CREDENTIAL_FIELDS, 'authMethod', 'oauth'] as readonly string[]).includes(field),
    );
    let verifiedAt = credentialsChanged ? null : current.verifiedAt;
    let lastVerification = credentialsChanged ? null : current.lastVerification;
    let verifiedNow = false;
    if (status === 'active' && verifiedAt === null) {
      if (settings.authMethod === 'oauth2') await this.oauth.assertConnected(id, oauth.dropsTokens);
      // Saving an active provider with unverified credentials verifies them now; a failure changes nothing.
      await this.services.get(ConnectionCheckGate).admit(caller, settings.host, 'input.host');
      const result = await this.mailer.verify({ ...settings, id, priority: current.priority, status });
      if (!result.ok) throw notVerifiedOnSave(result, caller.locale);
      verifiedAt = result.checkedAt;
      lastVerification = result;
      verifiedNow = true;
    }

    const statusChanged = status !== current.status;
    // The webhook secret changes how vendor events are received, not how mail is sent.
    const { changed: webhookSecretChanged, ...webhookSecret } = webhookSecretColumns(
      input,
      id,
      eventVendorOf(settings),
      current,
      this.services.secretBox,
    );
    if (changed.length === 0 && !statusChanged && !verifiedNow && !webhookSecretChanged) return current;

    const values: Partial<ProviderEntity> = {
      ...settingColumns(settings),
      ...webhookSecret,
      status,
      verifiedAt,
      lastVerification,
      authMethod: storedAuthMethod(input, settings.authMethod),
    };
    if (changed.includes('password')) {
      const sealed = this.services.secretBox.seal(settings.password, passwordContext(id));
      values.passwordCiphertext = sealed.ciphertext;
      values.passwordKeyId = sealed.keyId;
    }
    if (credentialsChanged) values.credentialsVersion = current.credentialsVersion + 1;
    if (changed.length > 0) values.settingsChangedAt = new Date();

    const fields: string[] = [...changed];
    if (statusChanged) fields.push('status');
    if (verifiedNow || credentialsChanged) fields.push('verifiedAt');
    if (webhookSecretChanged) fields.push('webhookSecret');
    const change = { id, name: settings.name, caller, action: 'provider.update', fields, credentialsChanged };
    return this.save(change, async (manager) => {
      await updateUnlessChangedMeanwhile(manager, current, values);
      await oauth.apply(manager, id);
    });
  }

  /**
   * INACTIVE always. ACTIVE with verified current credentials; unverified ones are verified first, through
   * the same gate as a save, the result kept on the provider, and a failed check leaves it inactive.
   */
  async setStatus(id: string, status: ProviderStatus, caller: Caller): Promise<ProviderEntity> {
    let current = await this.get(id);
    if (current.status === status) return current;
    if (status === 'active' && authMethodOfEntity(current) === 'oauth2') await this.oauth.assertConnected(id);
    if (status === 'active' && current.verifiedAt === null) {
      const checked = await this.services.get(VerificationService).verifyProvider(id, caller);
      if (!checked.result.ok) throw notVerifiedOnActivation(checked.result, caller.locale);
      current = checked.provider;
      // The credentials changed while they were checked: the check says nothing about the new ones.
      if (current.verifiedAt === null)
        throw notVerifiedForActivation(current.lastVerification, caller.locale);
    }
    const change = {
      id,
      name: current.name,
      caller,
      action: 'provider.status',
      fields: ['status'],
      credentialsChanged: false,
    };
    return this.save(change, (manager) => updateUnlessChangedMeanwhile(manager, current, { status }));
  }

  /** Deletes the provider and closes the gap it leaves in the order. */
  async delete(id: string, caller: Caller): Promise<string> {
    if (!UUID.test(id))
      throw new NotFoundError('No provider has this id; it may have been deleted. Reload the list.');
    await this.services.dataSource.transaction(async (manager) => {
      await lockOrder(manager);
      const deleted: unknown = await manager.query('DELETE FROM providers WHERE id = $1 RETURNING priority', [
        id,
      ]);
      const priority = firstNumber(returnedRows(deleted), 'priority');
      if (priority === undefined) {
        throw new NotFoundError('No provider has this id; it may have been deleted. Reload the list.');
      }
      await manager.query('UPDATE providers SET priority = priority - 1 WHERE priority > $1', [priority]);
      await this.recordChange(manager, caller, 'provider.delete', id, []);
    });
    await this.mailer.providerChanged(id, true);
    return id;
  }

  /**
   * Takes the complete new order (every provider exactly once) and, optionally, new tiers for some of the
   * providers, applied together in one transaction. Anything else is refused with a field per problem
   * (unknown id, duplicate, missing provider) and nothing changes. A tier change is a place in the chain,
   * like the order: it leaves `settingsChangedAt` (and so the last test email) standing.
   */
  async reorder(
    ids: readonly string[],
    caller: Caller,
    tiers: readonly TierChange[] = [],
  ): Promise<ProviderEntity[]> {
    await this.services.dataSource.transaction(async (manager) => {
      await lockOrder(manager);
      const rows: unknown = await manager.query(
        'SELECT id::text AS id, name, priority, service_type FROM providers ORDER BY priority',
      );
      const known = new Map<string, OrderedProvider>();
      for (const row of rowsOf(rows)) {
        if (
          typeof row.id === 'string' &&
          typeof row.name === 'string' &&
          typeof row.priority === 'number' &&
          (row.service_type === 'primary' || row.service_type === 'fallback')
        ) {
          known.set(row.id.toLowerCase(), {
            name: row.name,
            priority: row.priority,
            serviceType: row.service_type,
          });
        }
      }
      const order = ids.map((id) => id.toLowerCase());
      const wanted = tiers.map((tier) => ({ id: tier.id.toLowerCase(), serviceType: tier.serviceType }));
      const issues = [...orderIssues(order, known), ...tierIssues(wanted, known)];
      if (issues.length > 0) {
        throw new BadUserInputError(
          issues,
          'The new order must list every provider exactly once, and each tier change name a provider once; correct the fields listed and try again.',
        );
      }
      const retiered = wanted.filter((tier) => known.get(tier.id)?.serviceType !== tier.serviceType);
      if (retiered.length > 0) {
        await manager.query(
          `UPDATE providers p SET service_type = t.service_type, updated_at = now()
             FROM unnest($1::uuid[], $2::text[]) AS t(id, service_type)
            WHERE p.id = t.id`,
          [retiered.map((tier) => tier.id), retiered.map((tier) => tier.serviceType)],
        );
        for (const tier of retiered) {
          await this.recordChange(manager, caller, 'provider.update', tier.id, ['serviceType']);
        }
      }
      const moved = order.filter((id, index) => known.get(id)?.priority !== index + 1);
      if (moved.length === 0) return;
      // One statement: the deferrable unique constraint on priority is checked when it ends, so places can swap.
      await manager.query(
        `UPDATE providers p SET priority = o.ord, updated_at = now()
           FROM unnest($1::uuid[]) WITH ORDINALITY AS o(id, ord)
          WHERE p.id = o.id AND p.priority <> o.ord`,
        [order],
      );
      await this.recordChange(manager, caller, 'provider.reorder', null, ['priority']);
    });
    this.mailer.invalidate();
    return this.list();
  }

  /**
   * Keeps a verification's outcome, but only while the credentials it checked are still the current ones:
   * a check that raced with a credential change says nothing about the new credentials. A failed check
   * leaves `verifiedAt` alone: it still records when these credentials last passed.
   */
  async recordVerification(
    provider: ProviderEntity,
    result: VerifyResult,
    caller: Caller,
  ): Promise<ProviderEntity> {
    await this.services.dataSource.transaction(async (manager) => {
      const updated: unknown = await manager.query(
        `UPDATE providers
            SET last_verification = $1::jsonb,
                verified_at = CASE WHEN $2::boolean THEN $3::timestamptz ELSE verified_at END
          WHERE id = $4 AND credentials_version = $5
          RETURNING id`,
        [
          JSON.stringify(verificationTransformer.to(result)),
          result.ok,
          result.checkedAt.toISOString(),
          provider.id,
          provider.credentialsVersion,
        ],
      );
      if (returnedRows(updated).length === 0) return;
      const fields = result.ok ? ['lastVerification', 'verifiedAt'] : ['lastVerification'];
      await this.recordChange(manager, caller, 'provider.verify', provider.id, fields);
    });
    return this.get(provider.id);
  }

  /** Keeps the outcome of a test email sent through this provider alone. */
  async recordTestEmail(providerId: string, record: TestEmailRecord, caller: Caller): Promise<void> {
    await this.recordTestEmails([{ providerId, record }], caller);
  }

  /**
   * Keeps each provider's part of one test email (a chain test tries several), all in one transaction.
   * Providers deleted meanwhile are passed over.
   */
  async recordTestEmails(
    outcomes: ReadonlyArray<{ providerId: string; record: TestEmailRecord }>,
    caller: Caller,
  ): Promise<void> {
    if (outcomes.length === 0) return;
    await this.services.dataSource.transaction(async (manager) => {
      for (const { providerId, record } of outcomes) {
        const updated: unknown = await manager.query(
          'UPDATE providers SET last_test_email = $1::jsonb WHERE id = $2 RETURNING id',
          [JSON.stringify(testEmailTransformer.to(record)), providerId],
        );
        if (returnedRows(updated).length === 0) continue;
        await this.recordChange(manager, caller, 'provider.testEmail', providerId, ['lastTestEmail']);
      }
    });
  }

  /**
   * Writes a change and its audit entry in one transaction (a name another provider took meanwhile
   * becomes CONFLICT), tells the mailer, and returns the provider as saved.
   */
  private async save(
    change: ProviderChange,
    write: (manager: EntityManager) => Promise<void>,
  ): Promise<ProviderEntity> {
    try {
      await this.services.dataSource.transaction(async (manager) => {
        await write(manager);
        await this.recordChange(manager, change.caller, change.action, change.id, change.fields);
      });
    } catch (error) {
      throw this.translateWriteError(error, change.name);
    }
    await this.mailer.providerChanged(change.id, change.credentialsChanged);
    return this.get(change.id);
  }

  /**
   * The audit entry of a change to one provider (or, with a null id, to all of them), inside its transaction,
   * and its announcement to the workers of other processes and threads.
   */
  private async recordChange(
    manager: EntityManager,
    caller: Caller,
    action: string,
    entityId: string | null,
    fields: string[],
  ): Promise<void> {
    const entry = { actor: caller.auth, action, entityType: 'provider', entityId, fields };
    await this.audit.record(entry, manager);
    // Delivered at commit (never for a rollback).
    await manager.query(`SELECT ${PROVIDERS_CHANGED_NOTIFICATION}`);
  }

  private async assertNameFree(name: string, exceptId: string | null): Promise<void> {
    const rows: unknown = await this.services.dataSource.query(
      'SELECT id FROM providers WHERE lower(name) = lower($1) AND ($2::uuid IS NULL OR id <> $2::uuid) LIMIT 1',
      [name, exceptId],
    );
    if (rowsOf(rows).length > 0) throw nameTaken(name);
  }

  private translateWriteError(error: unknown, name: string): unknown {
    if (isUniqueViolation(error, 'providers_name_lower_unique')) return nameTaken(name);
    return error;
  }
}

function nameTaken(name: string): ConflictError {
  const message = `A provider named "${name}" already exists (names are compared without case); choose another name.`;
  return new ConflictError(message, [{ field: 'input.name', message }]);
}

/**
 * Updates the provider only if its credentials are still the ones `current` was read with: a change that
 * raced with a credential change would otherwise undo it or keep a verification of other credentials.
 */
async function updateUnlessChangedMeanwhile(
  manager: EntityManager,
  current: ProviderEntity,
  values: Partial<ProviderEntity>,
): Promise<void> {
  const result = await manager
    .createQueryBuilder()
    .update(ProviderEntity)
    .set(values)
    .where('id = :id AND credentials_version = :version', {
      id: current.id,
      version: current.credentialsVersion,
    })
    .execute();
  if (result.affected === 0) {
    throw new ConflictError('This provider was changed by someone else meanwhile; reload it and save again.');
  }
}

/**
 * The method kept on the row: the one asked for, or OAuth2 (inferred from the OAuth2 settings given or
 * kept); null otherwise, so the method stays inferred from the username as for providers saved before.
 */
function storedAuthMethod(input: ProviderInput, resolved: AuthMethod): AuthMethod | null {
  return input.authMethod ?? (resolved === 'oauth2' ? resolved : null);
}

/** The columns that hold a provider's settings, password and status aside. */
function settingColumns(settings: ProviderSettings): Pick<ProviderEntity, Exclude<SettingField, 'password'>> {
  return {
    type: settings.type,
    name: settings.name,
    apiVendor: settings.apiVendor ?? null,
    host: settings.host,
    port: settings.port,
    username: settings.username,
    encryption: settings.encryption,
    fromEmail: settings.fromEmail,
    fromName: settings.fromName,
    serviceType: settings.serviceType,
  };
}

/** The settings that differ from what is stored, by field name. */
function changedSettings(
  current: ProviderEntity,
  next: ProviderSettings,
  passwordChanged: boolean,
): SettingField[] {
  const differs: Record<SettingField, boolean> = {
    type: current.type !== next.type,
    name: current.name !== next.name,
    apiVendor: (current.apiVendor ?? null) !== (next.apiVendor ?? null),
    host: current.host !== next.host,
    port: current.port !== next.port,
    username: current.username !== next.username,
    password: passwordChanged,
    encryption: current.encryption !== next.encryption,
    fromEmail: current.fromEmail !== next.fromEmail,
    fromName: current.fromName !== next.fromName,
    serviceType: current.serviceType !== next.serviceType,
  };
  return SETTING_FIELDS.filter((field) => differs[field]);
}

/** What is wrong with proposed tier changes, one field error per problem. */
export function tierIssues(
  tiers: readonly TierChange[],
  known: ReadonlyMap<string, { name: string }>,
): FieldError[] {
  const issues: FieldError[] = [];
  const firstSeen = new Map<string, number>();
  tiers.forEach((tier, index) => {
    const field = `serviceTypes[${index}].id`;
    const provider = known.get(tier.id);
    if (!provider) {
      issues.push({
        field,
        message: `"${shorten(tier.id)}" is not the id of a provider (it may have been deleted); reload the list and send its ids.`,
      });
      return;
    }
    const earlier = firstSeen.get(tier.id);
    if (earlier !== undefined) {
      issues.push({
        field,
        message: `"${provider.name}" is given a tier twice (also at serviceTypes[${earlier}]); give each provider at most one.`,
      });
      return;
    }
    firstSeen.set(tier.id, index);
  });
  return issues;
}

/** What is wrong with a proposed order, one field error per problem. */
export function orderIssues(
  order: readonly string[],
  known: ReadonlyMap<string, { name: string }>,
): FieldError[] {
  const issues: FieldError[] = [];
  const firstSeen = new Map<string, number>();
  order.forEach((id, index) => {
    const field = `ids[${index}]`;
    const provider = known.get(id);
    if (!provider) {
      issues.push({
        field,
        message: `"${shorten(id)}" is not the id of a provider (it may have been deleted); reload the list and send its ids.`,
      });
      return;
    }
    const earlier = firstSeen.get(id);
    if (earlier !== undefined) {
      issues.push({
        field,
        message: `"${provider.name}" is listed twice (also at ids[${earlier}]); list every provider exactly once.`,
      });
      return;
    }
    firstSeen.set(id, index);
  });
  const missing = [...known].filter(([id]) => !firstSeen.has(id)).map(([, provider]) => `"${provider.name}"`);
  if (missing.length > 0) {
    issues.push({
      field: 'ids',
      message: `The order leaves out ${missing.join(', ')}; list every provider exactly once.`,
    });
  }
  return issues;
}

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

async function lockOrder(manager: EntityManager): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock($1)', [ORDER_LOCK_KEY]);
}

async function nextPriority(manager: EntityManager): Promise<number> {
  const rows: unknown = await manager.query(
    'SELECT (coalesce(max(priority), 0) + 1)::int AS next FROM providers',
  );
  const next = firstNumber(rowsOf(rows), 'next');
  if (next === undefined) throw new Error('Could not read the next priority.');
  return next;
}

/** Rows of a raw SELECT as plain records (TypeORM types them as any). */
function rowsOf(result: unknown): Array<Record<string, unknown>> {
  return Array.isArray(result) ? result.filter(isRecord) : [];
}

/** Rows of UPDATE/DELETE … RETURNING, which TypeORM's postgres driver gives as [rows, affectedCount]. */
function returnedRows(result: unknown): Array<Record<string, unknown>> {
  return Array.isArray(result) && Array.isArray(result[0]) ? result[0].filter(isRecord) : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function firstNumber(rows: Array<Record<string, unknown>>, column: string): number | undefined {
  const value = rows[0]?.[column];
  return typeof value === 'number' ? value : undefined;
}
