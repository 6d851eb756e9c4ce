import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils';
import SuppressionImport from '../../src/components/suppression-import.vue';
import type { SuppressionImportResult } from '../../src/graphql/types';
import { panelGlobals } from './mount-options';

enableAutoUnmount(afterEach);

function choose(input: HTMLInputElement, file: File): void {
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
}

describe('importing a CSV file', () => {
  it('sends the file’s text and says what became of it, line by line', async () => {
    const received: string[] = [];
    const importCsv = (csv: string): Promise<SuppressionImportResult> => {
      received.push(csv);
      return Promise.resolve({
        added: 2,
        alreadyListed: 1,
        errors: [{ line: 4, message: 'email: not an email address.' }],
      });
    };
    const wrapper = mount(SuppressionImport, {
      props: { importCsv, busy: false },
      global: panelGlobals('en'),
    });
    const csv = 'email,channel\na@example.com,\nb@example.com,CRM\nnot-mail,\n';
    choose(wrapper.get<HTMLInputElement>('#suppression-import-file').element, new File([csv], 'list.csv'));
    await wrapper.get('form').trigger('submit');
    // The file is read by a FileReader, which answers on a later turn of the event loop.
    for (let turn = 0; turn < 50 && !wrapper.find('[data-testid="import-result"]').exists(); turn += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      await flushPromises();
    }
    expect(received).toEqual([csv]);
    const result = wrapper.get('[data-testid="import-result"]').text();
    expect(result).toContain('2 added, 1 already listed, 1 errors.');
    expect(result).toContain('Line 4: email: not an email address.');
  });

  it('asks for a file first', async () => {
    const importCsv = jest.fn();
    const wrapper = mount(SuppressionImport, {
      props: { importCsv, busy: false },
      global: panelGlobals('tr'),
    });
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(importCsv).not.toHaveBeenCalled();
    expect(wrapper.get('[role="alert"]').text()).toBe('CSV dosyası: önce bir dosya seçin.');
  });
});
