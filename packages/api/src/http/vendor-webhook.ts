import express, { type Express, type Request } from 'express';
import type { WebhookRequest } from '@mail-providers/mailer-core';
import { VENDOR_WEBHOOK_PREFIX, type InboundWebhookService } from '../inbound/inbound-webhook.service';

/** Vendors post small JSON documents (SendGrid and SparkPost batch up to about a thousand events). */
const BODY_LIMIT = '2mb';

function requestOf(req: Request, body: unknown): WebhookRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { headers, body: Buffer.isBuffer(body) ? body : Buffer.alloc(0) };
}

/**
 * POST /webhooks/:vendor/:providerId. The body is read raw (every signature covers the exact bytes), with
 * a size limit, whatever its content type; no session, no CSRF check: only the vendor's signature or
 * credentials count. Answers carry no detail: 404 for an unknown vendor or provider (or one of another
 * vendor), 401 for a refused request (the log says why), 400 for a body that is not the vendor's format,
 * 200 when the events were stored (duplicates included, so the vendor stops retrying).
 */
export function serveVendorWebhooks(app: Express, inbound: () => InboundWebhookService): void {
  app.post(
    `${VENDOR_WEBHOOK_PREFIX}/:vendor/:providerId`,
    express.raw({ type: () => true, limit: BODY_LIMIT }),
    async (req, res, next) => {
      try {
        const { vendor, providerId } = req.params;
        const body: unknown = req.body;
        const outcome = await inbound().receive(vendor ?? '', providerId ?? '', requestOf(req, body));
        res.set('Cache-Control', 'no-store');
        switch (outcome.status) {
          case 'not_found':
            res.status(404).type('text').send('Not found.');
            return;
          case 'refused':
            res.status(401).type('text').send('Unauthorized.');
            return;
          case 'malformed':
            res.status(400).type('text').send('The body is not this vendor’s webhook format.');
            return;
          case 'accepted': {
            const { events, applied, duplicates, unmatched } = outcome;
            res.status(200).json({ events, applied, duplicates, unmatched });
            return;
          }
        }
      } catch (error) {
        next(error);
      }
    },
  );
}
