import { mount } from '@vue/test-utils';
import FailureDetails from '../../src/components/failure-details.vue';
import type { Failure } from '../../src/graphql/types';
import type { Locale } from '../../src/i18n';
import { panelGlobals } from './mount-options';

const FAILURE: Failure = {
  category: 'CONNECTION',
  smtpCode: null,
  enhancedCode: null,
  httpStatus: null,
  command: null,
  vendorCode: null,
  possibleDuplicate: null,
  message: 'connect ECONNREFUSED 127.0.0.1:2525',
  hint: 'Check the host and port.',
};

function codes(locale: Locale, failure: Partial<Failure>): string {
  const wrapper = mount(FailureDetails, {
    props: { failure: { ...FAILURE, ...failure } },
    global: panelGlobals(locale),
  });
  return wrapper.find('.failure__codes').exists() ? wrapper.find('.failure__codes').text() : '';
}

describe('where a failure happened, in words', () => {
  it.each<[Locale, string, string]>([
    ['en', 'CONN', 'while connecting'],
    ['tr', 'CONN', 'bağlanırken'],
    ['en', 'EHLO', 'at the greeting (EHLO)'],
    ['tr', 'EHLO', 'karşılaşma aşamasında (EHLO)'],
    ['en', 'STARTTLS', 'while starting TLS (STARTTLS)'],
    ['tr', 'STARTTLS', 'TLS başlatılırken (STARTTLS)'],
    ['en', 'AUTH PLAIN', 'while logging in (AUTH PLAIN)'],
    ['tr', 'AUTH PLAIN', 'oturum açılırken (AUTH PLAIN)'],
    ['en', 'MAIL FROM', 'at the sender address (MAIL FROM)'],
    ['tr', 'MAIL FROM', 'gönderen adresinde (MAIL FROM)'],
    ['en', 'RCPT TO', 'at the recipients (RCPT TO)'],
    ['tr', 'RCPT TO', 'alıcılarda (RCPT TO)'],
    ['en', 'DATA', 'while sending the message (DATA)'],
    ['tr', 'DATA', 'ileti gönderilirken (DATA)'],
    ['en', 'API', 'in the checks before sending'],
    ['tr', 'API', 'gönderim öncesi denetimlerde'],
    ['en', 'XCLIENT', 'at XCLIENT'],
  ])('%s: %s reads “%s”', (locale, command, expected) => {
    expect(codes(locale, { command })).toBe(expected);
  });

  it('follows the reply codes', () => {
    expect(codes('en', { command: 'RCPT TO', smtpCode: 550, enhancedCode: '5.1.1' })).toBe(
      'SMTP 550 5.1.1 · at the recipients (RCPT TO)',
    );
  });
});
