import { API_VENDORS, type ApiVendor } from '../../src/graphql/types';
import en from '../../src/i18n/en';
import tr from '../../src/i18n/tr';
import {
  inboundSecretInput,
  urlForVendor,
  VENDOR_WEBHOOK_SETUP,
  type InboundVerification,
} from '../../src/lib/vendor-webhook-setup';

const INBOUND = 'https://mail.example.com/webhooks/postmark/7f1c';

describe('how each vendor proves its posts', () => {
  it.each<[ApiVendor, InboundVerification, string]>([
    ['MAILGUN', 'signingKey', INBOUND],
    ['SENDGRID', 'signingKey', INBOUND],
    ['RESEND', 'signingKey', INBOUND],
    ['ZEPTOMAIL', 'signingKey', INBOUND],
    ['POSTMARK', 'basicAuth', 'https://mail-providers:<password>@mail.example.com/webhooks/postmark/7f1c'],
    ['BREVO', 'basicAuth', 'https://mail-providers:<password>@mail.example.com/webhooks/postmark/7f1c'],
    ['SPARKPOST', 'basicAuth', 'https://mail-providers:<password>@mail.example.com/webhooks/postmark/7f1c'],
  ])('%s: %s, posts to %s', (vendor, verification, url) => {
    expect(VENDOR_WEBHOOK_SETUP[vendor].verification).toBe(verification);
    expect(urlForVendor(vendor, INBOUND)).toBe(url);
  });

  it('has a row and instructions in both languages for every vendor', () => {
    expect(Object.keys(VENDOR_WEBHOOK_SETUP).sort()).toEqual([...API_VENDORS].sort());
    for (const vendor of API_VENDORS) {
      for (const texts of [en, tr]) {
        expect(texts.inboundWebhook.vendors[vendor].where).not.toBe('');
        expect(texts.inboundWebhook.vendors[vendor].secret).not.toBe('');
      }
    }
  });

  it('leaves a URL it cannot read as it is', () => {
    expect(urlForVendor('BREVO', 'not a url')).toBe('not a url');
  });

  it.each([
    [{ secret: '', clear: false }, {}],
    [{ secret: 'typed-secret', clear: false }, { webhookSecret: 'typed-secret' }],
    [{ secret: '', clear: true }, { clearWebhookSecret: true }],
  ])('the form state %j adds %j to the provider input', (change, input) => {
    expect(inboundSecretInput(change)).toEqual(input);
  });
});
