import { mount, type VueWrapper } from '@vue/test-utils';
import ProviderForm from '../../src/components/provider-form.vue';
import type { Failure, VerificationResult } from '../../src/graphql/types';
import { emptyProviderForm, toProviderInput, type ProviderFormValues } from '../../src/lib/provider-rules';
import { panelGlobals } from './mount-options';

type Props = InstanceType<typeof ProviderForm>['$props'];

function mountForm(props: Partial<Props> = {}, locale: 'en' | 'tr' = 'en') {
  return mount(ProviderForm, {
    props: {
      initial: emptyProviderForm(),
      mode: 'create',
      passwordStored: false,
      verified: false,
      serverErrors: {},
      verification: null,
      activationFailure: null,
      verifying: false,
      saving: false,
      ...props,
    },
    global: panelGlobals(locale),
    attachTo: document.body,
  });
}

async function fill(wrapper: VueWrapper, values: Partial<Record<keyof ProviderFormValues, string>>) {
  for (const [field, value] of Object.entries(values)) {
    const control = wrapper.find(`#provider-${field}`);
    await control.setValue(value);
    await control.trigger('blur');
  }
}

const VALID = {
  name: 'office-smtp',
  host: 'smtp.example.com',
  port: '587',
  username: 'mailer',
  password: 'Gx7-unique-secret',
  fromEmail: 'noreply@example.com',
  fromName: 'Example',
};

function firstEmitted(wrapper: VueWrapper, event: 'submit' | 'verify'): ProviderFormValues | undefined {
  return wrapper.emitted<[ProviderFormValues]>(event)?.[0]?.[0];
}

function labelText(wrapper: VueWrapper, field: string): string {
  return wrapper.find(`label[for="provider-${field}"]`).text();
}

function errorText(wrapper: VueWrapper, field: string): string {
  const error = wrapper.find(`#provider-${field}-error`);
  return error.exists() ? error.text() : '';
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('provider form', () => {
  it('labels every field exactly as the CMS names them', async () => {
    const wrapper = mountForm();
    await wrapper.find('#provider-type').setValue('API_SMTP');
    const labels = Object.fromEntries(
      [
        'type',
        'name',
        'apiVendor',
        'host',
        'port',
        'username',
        'password',
        'encryption',
        'fromEmail',
        'fromName',
        'serviceType',
        'status',
      ].map((field) => [field, labelText(wrapper, field)]),
    );
    expect(labels).toEqual({
      type: 'Provider Type',
      name: 'Provider Name',
      apiVendor: 'API vendor',
      host: 'SMTP Host',
      port: 'Port',
      username: 'Username',
      password: 'Password',
      encryption: 'Encryption',
      fromEmail: 'From Email',
      fromName: 'From Name',
      serviceType: 'Service Type',
      status: 'Status',
    });
    // Each label points at a real control, and each control carries its help text.
    for (const field of Object.keys(labels)) {
      const control = wrapper.find(`#provider-${field}`);
      expect(control.exists()).toBe(true);
      expect(control.attributes('aria-describedby')).toContain(`provider-${field}-help`);
      expect(wrapper.find(`#provider-${field}-help`).text().length).toBeGreaterThan(10);
    }
  });

  it('speaks Turkish the way a Turkish CMS does', async () => {
    const wrapper = mountForm({}, 'tr');
    expect(labelText(wrapper, 'type')).toBe('Sağlayıcı Türü');
    expect(labelText(wrapper, 'host')).toBe('SMTP Sunucusu');
    expect(wrapper.find('[data-testid="verify-button"]').text()).toBe('Bağlantıyı Doğrula');
  });

  it('shows the API vendor only for the mail service types', async () => {
    const wrapper = mountForm();
    expect(wrapper.find('#provider-apiVendor').exists()).toBe(false);
    await wrapper.find('#provider-type').setValue('CRM_API_SMTP');
    expect(wrapper.find('#provider-apiVendor').exists()).toBe(true);
  });

  it.each([
    ['host', 'https://smtp.example.com', 'Enter the host only, without “https://” or “smtp://”.'],
    ['host', 'smtp.example.com:587', 'Enter the port in the Port field, not in the host.'],
    ['port', '70000', 'Enter a whole number from 1 to 65535.'],
    ['password', 'changeme', 'This looks like a placeholder, not a real password or API key.'],
    ['fromEmail', 'noreply', 'Enter a valid email address, e.g. noreply@example.com.'],
    ['name', '', 'Enter a provider name.'],
  ])('checks %s while typing: %j', async (field, value, message) => {
    const wrapper = mountForm();
    await fill(wrapper, { [field]: value });
    expect(errorText(wrapper, field)).toBe(message);
    expect(wrapper.find(`#provider-${field}`).attributes('aria-invalid')).toBe('true');
  });

  it('says nothing about a field before it was left or the form was sent', () => {
    const wrapper = mountForm();
    expect(wrapper.findAll('.field__error')).toHaveLength(0);
  });

  it('warns about a port and encryption mix-up without blocking', async () => {
    const wrapper = mountForm();
    await fill(wrapper, { ...VALID, port: '465' });
    await wrapper.find('#provider-encryption').setValue('STARTTLS');
    expect(wrapper.find('#provider-encryption-warning').text()).toContain('Port 465 normally uses SSL/TLS');
    await wrapper.find('form').trigger('submit');
    expect(wrapper.emitted('submit')).toHaveLength(1);
  });

  it('refuses plain connections to anything but this machine', async () => {
    const wrapper = mountForm();
    await fill(wrapper, VALID);
    await wrapper.find('#provider-encryption').setValue('NONE');
    await wrapper.find('form').trigger('submit');
    expect(errorText(wrapper, 'encryption')).toContain('only a server on this machine');
    await fill(wrapper, { host: '127.0.0.1' });
    expect(errorText(wrapper, 'encryption')).toBe('');
  });

  it('does not send an invalid form: it lists the problems and focuses the first one', async () => {
    const wrapper = mountForm();
    await fill(wrapper, { ...VALID, host: 'smtp example.com', fromEmail: '' });
    await wrapper.find('form').trigger('submit');
    await wrapper.vm.$nextTick();
    expect(wrapper.emitted('submit')).toBeUndefined();
    const summary = wrapper.find('[data-testid="form-errors"]');
    expect(summary.text()).toContain('The form has 2 problems');
    expect(summary.text()).toContain('SMTP Host');
    expect(document.activeElement?.id).toBe('provider-host');
    // Each problem links to its field.
    await summary.find('a[href="#provider-fromEmail"]').trigger('click');
    expect(document.activeElement?.id).toBe('provider-fromEmail');
  });

  it('sends the values of a valid form', async () => {
    const wrapper = mountForm();
    await fill(wrapper, VALID);
    await wrapper.find('#provider-serviceType').setValue('FALLBACK');
    await wrapper.find('form').trigger('submit');
    const values = firstEmitted(wrapper, 'submit');
    expect(values).toMatchObject({ ...VALID, serviceType: 'FALLBACK', status: 'INACTIVE', type: 'SMTP' });
  });

  it('shows the API field errors at their fields until the field is edited', async () => {
    const wrapper = mountForm();
    await fill(wrapper, VALID);
    await wrapper.setProps({
      serverErrors: {
        name: 'A provider named "office-smtp" already exists.',
        fromEmail: 'Not a verified sender.',
      },
    });
    expect(errorText(wrapper, 'name')).toBe('A provider named "office-smtp" already exists.');
    expect(errorText(wrapper, 'fromEmail')).toBe('Not a verified sender.');
    await fill(wrapper, { name: 'office-smtp-2' });
    expect(errorText(wrapper, 'name')).toBe('');
    expect(errorText(wrapper, 'fromEmail')).toBe('Not a verified sender.');
  });

  it('makes a relay without a login a clear choice: No login hides and sends no Username and Password', async () => {
    const wrapper = mountForm();
    const choice = wrapper.find('[data-testid="authentication"]');
    expect(choice.find('legend').text()).toBe('Sign-in');
    expect(choice.findAll('label').map((label) => label.text())).toEqual([
      'Password (username and password)',
      'Sign in with Microsoft (Microsoft 365, Outlook)',
      'Sign in with Google (Google Workspace, Gmail)',
      'Sign in with another OAuth2 server',
      'No login (relay trusts this server)',
    ]);
    expect(wrapper.find<HTMLInputElement>('#provider-authentication').element.checked).toBe(true);

    // With Login chosen, empty fields are forgotten ones.
    const { username: _username, password: _password, ...relay } = VALID;
    await fill(wrapper, { ...relay, host: '10.0.0.25', port: '25' });
    await wrapper.find('#provider-encryption').setValue('NONE');
    await wrapper.find('form').trigger('submit');
    expect(wrapper.emitted('submit')).toBeUndefined();
    expect(errorText(wrapper, 'username')).toContain('choose “No login” if the relay needs none');
    expect(errorText(wrapper, 'password')).toContain('choose “No login” if the relay needs none');
    expect(errorText(wrapper, 'encryption')).toContain('only a server on this machine');

    await wrapper.find('#provider-authentication-NONE').setValue();
    expect(wrapper.find('#provider-username').exists()).toBe(false);
    expect(wrapper.find('#provider-password').exists()).toBe(false);
    expect(wrapper.find('#provider-authentication-help').text()).toContain('No username or password is sent');
    // Plain SMTP is allowed toward the LAN relay now that no password can cross, with a warning.
    expect(errorText(wrapper, 'encryption')).toBe('');
    expect(wrapper.find('#provider-encryption-warning').text()).toContain('crosses the network unencrypted');

    await wrapper.find('form').trigger('submit');
    const values = firstEmitted(wrapper, 'submit');
    expect(values).toMatchObject({ authentication: 'NONE', host: '10.0.0.25', encryption: 'NONE' });
    const input = values ? toProviderInput(values) : undefined;
    expect(input?.username).toBe('');
    expect(input).not.toHaveProperty('password');
  });

  it('opens a saved relay without a login as No login, and has no such choice for an HTTP API', async () => {
    const wrapper = mountForm({
      mode: 'edit',
      initial: { ...emptyProviderForm(), ...VALID, username: '', password: '', authentication: 'NONE' },
    });
    expect(wrapper.find<HTMLInputElement>('#provider-authentication-NONE').element.checked).toBe(true);
    expect(wrapper.find('#provider-username').exists()).toBe(false);

    await wrapper.find('#provider-type').setValue('API_SMTP');
    await wrapper.find('#provider-apiVendor').setValue('RESEND');
    expect(wrapper.find('[data-testid="authentication"]').exists()).toBe(false);
    expect(wrapper.find('#provider-password').exists()).toBe(true);
  });

  it('offers the authentication choice in Turkish', () => {
    const wrapper = mountForm({}, 'tr');
    const choice = wrapper.find('[data-testid="authentication"]');
    expect(choice.find('legend').text()).toBe('Oturum Açma');
    expect(choice.findAll('label').map((label) => label.text())).toEqual([
      'Şifre (kullanıcı adı ve şifre)',
      'Microsoft ile oturum aç (Microsoft 365, Outlook)',
      'Google ile oturum aç (Google Workspace, Gmail)',
      'Başka bir OAuth2 sunucusuyla oturum aç',
      'Giriş yok (aktarıcı bu sunucuya güveniyor)',
    ]);
  });

  it('keeps the password write-only: empty means keep the stored one', async () => {
    const wrapper = mountForm({
      mode: 'edit',
      passwordStored: true,
      initial: { ...emptyProviderForm(), ...VALID, password: '' },
    });
    const password = wrapper.find<HTMLInputElement>('#provider-password');
    expect(password.element.value).toBe('');
    expect(password.attributes('type')).toBe('password');
    expect(password.attributes('placeholder')).toBe('stored — leave empty to keep');
    await wrapper.find('form').trigger('submit');
    const values = firstEmitted(wrapper, 'submit');
    expect(values?.password).toBe('');
  });

  it('fills host, port, encryption and the username from a vendor preset', async () => {
    const wrapper = mountForm();
    await wrapper.find('#provider-preset').setValue('sendgrid-smtp');
    expect(wrapper.find<HTMLInputElement>('#provider-host').element.value).toBe('smtp.sendgrid.net');
    expect(wrapper.find<HTMLInputElement>('#provider-port').element.value).toBe('587');
    expect(wrapper.find<HTMLSelectElement>('#provider-encryption').element.value).toBe('STARTTLS');
    expect(wrapper.find<HTMLInputElement>('#provider-username').element.value).toBe('apikey');
    expect(wrapper.find('#provider-username-help').text()).toContain('the password is your API key');
  });

  it('prefills the API host when an HTTP vendor is chosen', async () => {
    const wrapper = mountForm();
    await wrapper.find('#provider-type').setValue('API_SMTP');
    await wrapper.find('#provider-apiVendor').setValue('ZEPTOMAIL');
    expect(wrapper.find<HTMLInputElement>('#provider-host').element.value).toBe('api.zeptomail.com');
    expect(wrapper.find<HTMLInputElement>('#provider-port').element.value).toBe('443');
    expect(wrapper.find('#provider-host-help').text()).toContain('HTTP API');
  });

  it('labels an HTTP API host as such, keeping “SMTP Host” as the field’s name', async () => {
    const wrapper = mountForm();
    const host = () => wrapper.find('#provider-host');
    expect(labelText(wrapper, 'host')).toBe('SMTP Host');
    expect(host().attributes('aria-label')).toBeUndefined();
    await wrapper.find('#provider-type').setValue('API_SMTP');
    await wrapper.find('#provider-apiVendor').setValue('SENDGRID');
    expect(labelText(wrapper, 'host')).toBe('API host');
    expect(host().attributes('aria-label')).toBe('SMTP Host');
    expect(host().attributes('placeholder')).toBe('e.g. api.sendgrid.com');
  });

  it('never contradicts itself about SendGrid’s username: “apikey” on the relay, none for the API', async () => {
    const wrapper = mountForm();
    const usernameHelp = () => wrapper.find('#provider-username-help').text();
    await wrapper.find('#provider-type').setValue('API_SMTP');
    await wrapper.find('#provider-preset').setValue('sendgrid-smtp');
    expect(usernameHelp()).toBe(
      'SendGrid’s SMTP relay: the username is literally “apikey”; the password is your API key.',
    );
    await wrapper.find('#provider-apiVendor').setValue('SENDGRID');
    expect(usernameHelp()).toBe('No username is needed: the HTTP API takes only its API key, in Password.');
    // The relay's "apikey" the preset filled in goes too; a username the admin typed would stay.
    expect(wrapper.find<HTMLInputElement>('#provider-username').element.value).toBe('');
  });

  it.each([
    ['zeptomail-smtp', 'ZeptoMail (smtp.zeptomail.com) publishes port 465 with SSL/TLS.'],
    ['sendgrid-smtp', 'SendGrid (smtp.sendgrid.net) publishes port 587 with STARTTLS.'],
  ])('explains the port of the %s preset', async (preset, published) => {
    const wrapper = mountForm();
    await wrapper.find('#provider-preset').setValue(preset);
    expect(wrapper.find('#provider-port-help').text()).toBe(published);
  });

  it('names the port that fits once the preset’s encryption is changed', async () => {
    const wrapper = mountForm();
    await wrapper.find('#provider-preset').setValue('sendgrid-smtp');
    await wrapper.find('#provider-encryption').setValue('SSL_TLS');
    expect(wrapper.find('#provider-port-help').text()).toBe(
      'SendGrid (smtp.sendgrid.net) publishes port 587 with STARTTLS. With SSL/TLS the port is usually 465.',
    );
  });

  it('names 443 for an HTTP API and no SMTP ports, in the port help and the encryption choices', async () => {
    const wrapper = mountForm();
    await wrapper.find('#provider-type').setValue('API_SMTP');
    await wrapper.find('#provider-apiVendor').setValue('RESEND');
    const help = wrapper.find('#provider-port-help').text();
    expect(help).toBe('An HTTP API answers over HTTPS on port 443.');
    const encryptions = wrapper.findAll('#provider-encryption option').map((option) => option.text());
    expect(encryptions).toEqual([
      'HTTPS (SSL/TLS)',
      'STARTTLS (not used by HTTP APIs)',
      'None (plain HTTP, this machine only)',
    ]);
  });

  it.each([
    ['en', 'e.g. '],
    ['tr', 'örn. '],
  ] as const)('shows examples, not values, as placeholders (%s)', (locale, prefix) => {
    const wrapper = mountForm({}, locale);
    const placeholders = wrapper
      .findAll('input[placeholder]')
      .map((input) => input.attributes('placeholder'));
    expect(placeholders.length).toBeGreaterThanOrEqual(5);
    for (const placeholder of placeholders) expect(placeholder?.startsWith(prefix)).toBe(true);
  });

  it('keeps Save where it is while the pointer presses it: the blurred field’s error waits for the click', async () => {
    const wrapper = mountForm();
    const { fromEmail: _fromEmail, ...others } = VALID;
    await fill(wrapper, others);
    // Typed but not left yet: no error shown so far.
    const fromEmail = wrapper.find('#provider-fromEmail');
    await fromEmail.setValue('noreply');
    expect(errorText(wrapper, 'fromEmail')).toBe('');
    const save = wrapper.find('button[type="submit"]');
    const before = wrapper.find('form').html();

    // The press moves focus from From Email to Save: nothing above Save may change before the release.
    save.element.dispatchEvent(new Event('pointerdown', { bubbles: true }));
    await fromEmail.trigger('blur');
    expect(wrapper.find('form').html()).toBe(before);

    save.element.dispatchEvent(new Event('pointerup', { bubbles: true }));
    await save.trigger('click');
    await new Promise((resolve) => setTimeout(resolve, 0));
    await wrapper.vm.$nextTick();
    expect(wrapper.emitted('submit')).toBeUndefined();
    expect(wrapper.find('[data-testid="form-errors"]').text()).toContain('From Email');
    expect(errorText(wrapper, 'fromEmail')).toBe('Enter a valid email address, e.g. noreply@example.com.');
  });

  it('shows a left field’s error at once when no pointer is pressed (Tab)', async () => {
    const wrapper = mountForm();
    await fill(wrapper, { fromEmail: 'noreply' });
    expect(errorText(wrapper, 'fromEmail')).toBe('Enter a valid email address, e.g. noreply@example.com.');
  });

  it('does not overwrite a host the admin typed when a vendor is chosen', async () => {
    const wrapper = mountForm();
    await wrapper.find('#provider-type').setValue('API_SMTP');
    await fill(wrapper, { host: 'mail-gateway.internal' });
    await wrapper.find('#provider-apiVendor').setValue('RESEND');
    expect(wrapper.find<HTMLInputElement>('#provider-host').element.value).toBe('mail-gateway.internal');
  });

  it('verifies with the current values and shows the failure with its hint', async () => {
    const wrapper = mountForm();
    await fill(wrapper, VALID);
    await wrapper.find('[data-testid="verify-button"]').trigger('click');
    const values = firstEmitted(wrapper, 'verify');
    expect(values?.password).toBe(VALID.password);

    const failed: VerificationResult = {
      ok: false,
      checkedAt: new Date().toISOString(),
      durationMs: 42,
      warnings: ['Port 587 normally uses STARTTLS.'],
      failure: {
        category: 'AUTH',
        smtpCode: 535,
        enhancedCode: '5.7.8',
        httpStatus: null,
        command: null,
        vendorCode: null,
        possibleDuplicate: null,
        message: 'Authentication credentials invalid',
        hint: 'The server refused the username or password: check Username and Password.',
      },
    };
    await wrapper.setProps({ verification: failed });
    const box = wrapper.find('[data-testid="verification"]');
    expect(box.text()).toContain('Verification failed');
    expect(box.text()).toContain('Authentication failed');
    expect(box.text()).toContain('SMTP 535 5.7.8');
    expect(box.text()).toContain('check Username and Password');
    expect(box.text()).toContain('Port 587 normally uses STARTTLS.');
  });

  it('explains a refused activation with the failure behind it', async () => {
    const failure: Failure = {
      category: 'CONNECTION',
      smtpCode: null,
      enhancedCode: null,
      httpStatus: null,
      command: null,
      vendorCode: null,
      possibleDuplicate: null,
      message: 'connect ECONNREFUSED 127.0.0.1:2525',
      hint: 'Nothing answers at this host and port: check SMTP Host and Port.',
    };
    const wrapper = mountForm();
    await wrapper.find('#provider-status').setValue('ACTIVE');
    expect(wrapper.find('#provider-status-warning').text()).toContain(
      'Saving as active verifies the connection first',
    );
    await wrapper.setProps({ activationFailure: failure });
    const refusal = wrapper.find('[data-testid="activation-refused"]');
    expect(refusal.text()).toContain('its connection could not be verified');
    expect(refusal.text()).toContain('check SMTP Host and Port');
  });
});
