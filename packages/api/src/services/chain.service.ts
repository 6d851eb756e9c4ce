import { buildChain, type Channel } from '@mail-providers/mailer-core';
import type { ProviderEntity } from '../entities/provider.entity';
import type { ServiceContainer } from '../service-container';
import { setupWarnings, type SetupWarningView } from './chain-warnings';
import { MailerService } from './mailer.service';
import { ProviderService, type Caller } from './provider.service';

export interface DeliveryChainView {
  channel: Channel;
  providers: ProviderEntity[];
  warnings: SetupWarningView[];
}

/** The chain a send on a channel walks now (docs/reference.md#chains-and-channels), computed from the stored providers, with setup warnings. */
export class ChainService {
  constructor(private readonly services: ServiceContainer) {}

  async deliveryChain(channel: Channel, caller: Pick<Caller, 'locale'>): Promise<DeliveryChainView> {
    const providers = await this.services.get(ProviderService).list();
    const chain = buildChain(providers, channel);
    const health = await this.services.get(MailerService).healthOf(chain.map((provider) => provider.id));
    return {
      channel,
      providers: chain,
      warnings: setupWarnings({ channel, providers, chain, health, locale: caller.locale }),
    };
  }
}
