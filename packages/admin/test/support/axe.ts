// axe-core in the test's Chromium: the WCAG 2.0/2.1/2.2 A and AA rules, and the violations that block
// someone (serious and critical) as readable lines for a failure message.

import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

type Violation = Awaited<ReturnType<AxeBuilder['analyze']>>['violations'][number];

/** One violation of a rule: where, and what axe says is wrong there. */
export interface AxeProblem {
  rule: string;
  impact: string;
  /** The CSS selectors of the offending elements (the first few). */
  targets: string[];
  summary: string;
  helpUrl: string;
}

const BLOCKING = new Set(['serious', 'critical']);
const TARGETS_SHOWN = 5;

function toProblem(violation: Violation): AxeProblem {
  const targets = violation.nodes.map((node) => node.target.map(String).join(' >> '));
  const more = targets.length > TARGETS_SHOWN ? [`… and ${targets.length - TARGETS_SHOWN} more`] : [];
  const firstNode = violation.nodes[0];
  const detail = firstNode?.failureSummary?.replace(/\s+/g, ' ').trim();
  return {
    rule: violation.id,
    impact: violation.impact ?? 'unknown',
    targets: [...targets.slice(0, TARGETS_SHOWN), ...more],
    summary: detail ? `${violation.help}. ${detail}` : violation.help,
    helpUrl: violation.helpUrl,
  };
}

/** Runs axe on the page as it is now and returns its serious and critical violations. */
export async function blockingViolations(page: Page): Promise<AxeProblem[]> {
  const results = await new AxeBuilder({ page })
    .withTags(WCAG_TAGS)
    // Violations only: passes and incomplete results would only be serialised and dropped.
    .options({ resultTypes: ['violations'] })
    // One frame, no helper page: the panel has no frame axe could run in (previews are script-less).
    .setLegacyMode(true)
    .analyze();
  return results.violations.filter((violation) => BLOCKING.has(violation.impact ?? '')).map(toProblem);
}

/** A violation as lines of a failure message: rule, impact, summary, then each target. */
export function formatProblem(problem: AxeProblem): string {
  return [
    `${problem.rule} (${problem.impact}): ${problem.summary}`,
    ...problem.targets.map((target) => `    element: ${target}`),
    `    see ${problem.helpUrl}`,
  ].join('\n');
}
