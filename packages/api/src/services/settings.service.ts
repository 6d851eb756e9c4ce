import { AuditService } from '../audit/audit.service';
import { BadUserInputError } from '../errors';
import { DEFAULT_DURABLE_CONFIG } from '../queue/durable-config';
import { dataSourceExecutor, type SqlExecutor } from '../queue/sql-executor';
import type { ServiceContainer } from '../service-container';
import type { Caller } from './provider.service';

/** The log's retention an administrator may choose, in days (the same range DELIVERY_RETENTION_DAYS takes). */
export const RETENTION_DAYS = { min: 1, max: 3650 } as const;

const RETENTION_KEY = 'deliveryRetentionDays';

export interface SettingsView {
  deliveryRetentionDays: number;
  defaultDeliveryRetentionDays: number;
}

/**
 * Settings kept in the database, changed at run time from the panel or the API. Each has its default in the
 * environment, which holds until an administrator sets a value; every process reads the stored value when
 * it needs it, so a change reaches all of them without a restart.
 */
export class SettingsService {
  private readonly sql: SqlExecutor;

  constructor(private readonly services: ServiceContainer) {
    this.sql = dataSourceExecutor(services.dataSource);
  }

  /** DELIVERY_RETENTION_DAYS, or 30 when it is not set. */
  get defaultDeliveryRetentionDays(): number {
    return (this.services.config.durable ?? DEFAULT_DURABLE_CONFIG).retentionDays;
  }

  async get(): Promise<SettingsView> {
    return {
      deliveryRetentionDays: await this.deliveryRetentionDays(),
      defaultDeliveryRetentionDays: this.defaultDeliveryRetentionDays,
    };
  }

  /** How many days finished deliveries and resolved alerts are kept: the stored value, or the default. */
  async deliveryRetentionDays(): Promise<number> {
    const { rows } = await this.sql.executeSql<{ value: unknown }>(
      `SELECT value FROM settings WHERE key = $1`,
      [RETENTION_KEY],
    );
    const value = rows[0]?.value;
    return isRetention(value) ? value : this.defaultDeliveryRetentionDays;
  }

  async setDeliveryRetentionDays(days: number, caller: Caller): Promise<SettingsView> {
    if (!isRetention(days)) {
      throw new BadUserInputError([
        {
          field: 'days',
          message: `Keep the log for ${RETENTION_DAYS.min} to ${RETENTION_DAYS.max} days (whole days).`,
        },
      ]);
    }
    await this.services.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO settings (key, value) VALUES ($1, $2::jsonb)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
        [RETENTION_KEY, JSON.stringify(days)],
      );
      await this.services.get(AuditService).record(
        {
          actor: caller.auth,
          action: 'settings.update',
          entityType: 'settings',
          entityId: null,
          fields: [RETENTION_KEY],
        },
        manager,
      );
    });
    return this.get();
  }
}

function isRetention(value: unknown): value is number {
  return (
    Number.isInteger(value) &&
    (value as number) >= RETENTION_DAYS.min &&
    (value as number) <= RETENTION_DAYS.max
  );
}
