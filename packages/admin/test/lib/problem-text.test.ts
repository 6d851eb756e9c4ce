import { problemText } from '../../src/lib/problem-text';

const t = (key: string, values?: Record<string, unknown>) => `${key}${values ? JSON.stringify(values) : ''}`;

describe('what the panel says when the API refuses', () => {
  it.each([
    [{ code: 'NETWORK', message: 'fetch failed' }, 'errors.NETWORK'],
    [{ code: 'BAD_USER_INPUT', message: 'URL: use https.' }, 'URL: use https.'],
    [{ code: 'INTERNAL_SERVER_ERROR', message: '' }, 'errors.UNKNOWN{"message":"INTERNAL_SERVER_ERROR"}'],
  ])('%j: %s', (problem, text) => {
    expect(problemText(problem, t)).toBe(text);
  });
});
