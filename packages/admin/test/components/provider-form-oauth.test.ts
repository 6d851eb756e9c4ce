import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import ProviderForm from '../../src/components/provider-form.vue';
import { emptyProviderForm, toProviderInput, type ProviderFormValues } from '../../src/lib/provider-rules';
import { panelGlobals } from './mount-options';

// The sign-in choice of the provider form: OAuth2 at Microsoft, Google or another server replaces Password
// with the app registration, the presets pick it, the secret is write-only, and the steps are at hand.

type Props = InstanceType<typeof ProviderForm>['$props'];

function mountForm(props: Partial<Props> = {}, locale: 'en' | 'tr' = 'en', slots = {}) {
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
    slots,
    global: panelGlobals(locale),
    attachTo: document.body,
  });
}

const shown = (wrapper: VueWrapper, field: string) => wrapper.find(`#provider-${field}`).exists();

async function fill(wrapper: VueWrapper, values: Record<string, string>) {
  for (const [field, value] of Object.entries(values))
    await wrapper.find(`#provider-${field}`).setValue(value);
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('signing in with OAuth2 in the provider form', () => {
  it.each<[string, string[], string[]]>([
    [
      'LOGIN',
      ['username', 'password'],
      ['clientId', 'clientSecret', 'tenant', 'authorizeUrl', 'tokenUrl', 'scopes'],
    ],
    [
      'MICROSOFT',
      ['username', 'clientId', 'clientSecret', 'tenant'],
      ['password', 'authorizeUrl', 'tokenUrl', 'scopes'],
    ],
    [
      'GOOGLE',
      ['username', 'clientId', 'clientSecret'],
      ['password', 'tenant', 'authorizeUrl', 'tokenUrl', 'scopes'],
    ],
    [
      'GENERIC',
      ['username', 'clientId', 'clientSecret', 'authorizeUrl', 'tokenUrl', 'scopes'],
      ['password', 'tenant'],
    ],
    ['NONE', [], ['username', 'password', 'clientId', 'clientSecret']],
  ])('%s shows its own fields', async (choice, visible, hidden) => {
    const wrapper = mountForm();
    await wrapper
      .find(choice === 'LOGIN' ? '#provider-authentication' : `#provider-authentication-${choice}`)
      .setValue();
    for (const field of visible) expect([field, shown(wrapper, field)]).toEqual([field, true]);
    for (const field of hidden) expect([field, shown(wrapper, field)]).toEqual([field, false]);
  });

  it.each([
    ['microsoft-365-smtp', 'MICROSOFT', 'smtp.office365.com'],
    ['google-smtp', 'GOOGLE', 'smtp.gmail.com'],
  ])('the preset %s picks its sign-in', async (preset, choice, host) => {
    const wrapper = mountForm();
    await wrapper.find('#provider-preset').setValue(preset);
    expect(wrapper.find<HTMLInputElement>(`#provider-authentication-${choice}`).element.checked).toBe(true);
    expect(wrapper.find<HTMLInputElement>('#provider-host').element.value).toBe(host);
    expect(wrapper.find<HTMLInputElement>('#provider-port').element.value).toBe('587');
    expect(wrapper.find<HTMLSelectElement>('#provider-encryption').element.value).toBe('STARTTLS');
  });

  it('sends the Microsoft registration and no password', async () => {
    const wrapper = mountForm();
    await wrapper.find('#provider-preset').setValue('microsoft-365-smtp');
    await fill(wrapper, {
      name: 'm365',
      username: 'noreply@contoso.com',
      clientId: 'app-id',
      clientSecret: 'secret-value',
      tenant: 'contoso.onmicrosoft.com',
      fromEmail: 'noreply@contoso.com',
    });
    await wrapper.find('form').trigger('submit');
    const values = wrapper.emitted<[ProviderFormValues]>('submit')?.[0]?.[0];
    expect(values && toProviderInput(values)).toMatchObject({
      authMethod: 'OAUTH2',
      username: 'noreply@contoso.com',
      oauth: {
        flavour: 'MICROSOFT',
        clientId: 'app-id',
        clientSecret: 'secret-value',
        tenant: 'contoso.onmicrosoft.com',
      },
    });
  });

  it('shows what is missing at each field, in Turkish too', async () => {
    const wrapper = mountForm({}, 'tr');
    await wrapper.find('#provider-authentication-MICROSOFT').setValue();
    await fill(wrapper, {
      name: 'm365',
      host: 'smtp.office365.com',
      username: 'app',
      fromEmail: 'a@example.com',
    });
    await wrapper.find('form').trigger('submit');
    expect(wrapper.emitted('submit')).toBeUndefined();
    expect(wrapper.find('#provider-username-error').text()).toContain('posta kutusunun e-posta adresini');
    expect(wrapper.find('#provider-clientId-error').text()).toContain('istemci) kimliğini');
    expect(wrapper.find('#provider-clientSecret-error').text()).toContain('gizli anahtarının değerini');
    expect(wrapper.find('#provider-tenant-error').text()).toContain('kiracı');
  });

  it('keeps a stored client secret write-only: empty keeps it, a new client ID asks for it again', async () => {
    const initial = {
      ...emptyProviderForm(),
      name: 'workspace',
      host: 'smtp.gmail.com',
      username: 'noreply@example.com',
      fromEmail: 'noreply@example.com',
      authentication: 'GOOGLE',
      clientId: 'client-1',
    } as const;
    const wrapper = mountForm({ mode: 'edit', initial, clientSecretStored: true });
    const secret = wrapper.find<HTMLInputElement>('#provider-clientSecret');
    expect(secret.element.type).toBe('password');
    expect(secret.element.value).toBe('');
    expect(secret.attributes('placeholder')).toContain('stored');
    expect(wrapper.find('#provider-clientSecret-help').text()).toContain('A client secret is stored');
    await wrapper.find('form').trigger('submit');
    expect(wrapper.emitted('submit')).toHaveLength(1);

    await fill(wrapper, { clientId: 'client-2' });
    await wrapper.find('form').trigger('submit');
    expect(wrapper.emitted('submit')).toHaveLength(1);
    expect(wrapper.find('#provider-clientSecret-error').text()).toContain('Enter the client secret again');
  });

  it('gives the registration steps with the redirect URI of this address, per server', async () => {
    const wrapper = mountForm();
    await wrapper.find('#provider-authentication-MICROSOFT').setValue();
    await flushPromises();
    await new Promise((resolve) => setTimeout(resolve, 0));
    await flushPromises();
    const help = wrapper.find('[data-testid="oauth-help"]');
    expect(help.exists()).toBe(true);
    expect(help.find('[data-testid="oauth-redirect-uri"]').text()).toBe(
      `${window.location.origin}/oauth/callback`,
    );
    expect(help.text()).toContain('SMTP.Send');
    expect(help.text()).toContain('offline_access');
    expect(help.findAll('li')).toHaveLength(6);

    await wrapper.find('#provider-authentication-GOOGLE').setValue();
    expect(wrapper.find('[data-testid="oauth-help"]').text()).toContain('https://mail.google.com/');
    expect(wrapper.find('[data-testid="oauth-help"]').findAll('li')).toHaveLength(5);
  });

  it('says to save first when adding, and shows the connection beside the settings when editing', async () => {
    const adding = mountForm();
    await adding.find('#provider-authentication-GOOGLE').setValue();
    expect(adding.find('[data-testid="oauth-sign-in"]').text()).toContain('Save the provider first');

    const initial = { ...emptyProviderForm(), authentication: 'GOOGLE', clientId: 'c' } as const;
    const editing = mountForm({ mode: 'edit', initial }, 'en', {
      'sign-in': '<p data-testid="slot">connection {{ params.changed }}</p>',
    });
    expect(editing.find('[data-testid="slot"]').text()).toBe('connection false');
    await fill(editing, { clientId: 'other' });
    expect(editing.find('[data-testid="slot"]').text()).toBe('connection true');
    expect(editing.find('[data-testid="oauth-sign-in"]').text()).not.toContain('Save the provider first');
  });
});
