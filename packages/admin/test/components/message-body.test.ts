import { mount } from '@vue/test-utils';
import MessageBody from '../../src/components/message-body.vue';
import { PREVIEW_POLICY, previewDocument } from '../../src/lib/html-preview';
import { logGlobals } from './log-mount-options';

const POLICY_META = `<meta http-equiv="Content-Security-Policy" content="${PREVIEW_POLICY}">`;

describe('message body', () => {
  it('shows the text version as written', () => {
    const text = 'Line one\n  indented <b>not bold</b>';
    const wrapper = mount(MessageBody, { props: { subject: 'S', text, html: null }, global: logGlobals() });
    expect(wrapper.get('pre[data-testid="body-text"]').element.textContent).toBe(text);
    expect(wrapper.find('iframe').exists()).toBe(false);
    expect(wrapper.text()).toContain('This message has no HTML version.');
  });

  it('renders the HTML in a sandbox with no permissions, under a policy that loads nothing, with a title', () => {
    const html = '<p>Hi</p><script>alert(1)</script><img src="http://tracker.example/p.gif">';
    const wrapper = mount(MessageBody, {
      props: { subject: 'Order 7', text: null, html },
      global: logGlobals(),
    });
    const frame = wrapper.get('iframe');
    expect(frame.attributes('sandbox')).toBe('');
    expect(frame.attributes('srcdoc')).toBe(POLICY_META + html);
    expect(frame.attributes('title')).toBe('HTML version of “Order 7”');
    expect(wrapper.text()).toContain('This message has no text version.');
  });

  it('keeps no script or remote source out of the policy', () => {
    expect(PREVIEW_POLICY).toBe("default-src 'none'; img-src data:; style-src 'unsafe-inline'");
  });

  it.each([
    ['<p>x</p>', `${POLICY_META}<p>x</p>`],
    [
      '<!DOCTYPE html><html><body>x</body></html>',
      `<!DOCTYPE html>${POLICY_META}<html><body>x</body></html>`,
    ],
    ['  <!doctype html>\n<p>x</p>', `  <!doctype html>${POLICY_META}\n<p>x</p>`],
    [
      '<html><head><title>t</title></head></html>',
      `${POLICY_META}<html><head><title>t</title></head></html>`,
    ],
  ])('puts the policy before anything in %j', (html, expected) => {
    expect(previewDocument(html)).toBe(expected);
  });
});
