/** The formats of `beatscope compare`, one renderer each (the report has two inputs, so it is not a `defineReport`). */
import type { CompareReport, FailOnKind } from '../../analyses/regressions/compare-types.js';
import { renderCompareJunit } from './compare-junit.js';
import { renderCompareMarkdown, renderCompareText } from './compare-text.js';

export const compareFormats = ['text', 'json', 'md', 'junit'] as const;
export type CompareFormat = (typeof compareFormats)[number];

export function renderCompare(report: CompareReport, format: CompareFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'md':
      return renderCompareMarkdown(report);
    case 'junit':
      return renderCompareJunit(report);
    case 'text':
      return renderCompareText(report);
  }
}

/** Whether the comparison found any of `kinds` (for `--fail-on`, exit 1). */
export function compareFails(report: CompareReport, kinds: readonly FailOnKind[]): boolean {
  const found: Record<FailOnKind, number> = {
    regression: report.regressions.length,
    'new-error': report.newErrors.length,
    'error-rate': report.errorRateIncreases.length,
    structural: report.structural.length,
  };
  return kinds.some((k) => found[k] > 0);
}
