// What the panel says when the API refuses an action and names no field: "cannot reach the server" in
// the reader's language, else the API's own sentence (it says what to do), else the code.

import type { ApiProblem } from './api-error';

export type Translate = (key: string, values?: Record<string, unknown>) => string;

export function problemText(problem: Pick<ApiProblem, 'code' | 'message'>, t: Translate): string {
  if (problem.code === 'NETWORK') return t('errors.NETWORK');
  return problem.message || t('errors.UNKNOWN', { message: problem.code });
}
