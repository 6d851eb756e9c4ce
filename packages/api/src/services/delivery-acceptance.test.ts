import { suppressionKey } from './delivery-acceptance';

describe('the address the suppression list knows a recipient by', () => {
  it.each([
    ['ann@example.com', 'ann@example.com'],
    ['Ann@Example.COM', 'ann@example.com'],
    ['Ann Smith <Ann@Example.com>', 'ann@example.com'],
    ['"Smith, <Ann>" <ann@example.com>', 'ann@example.com'],
  ])('%s → %s', (recipient, key) => {
    expect(suppressionKey(recipient)).toBe(key);
  });
});
