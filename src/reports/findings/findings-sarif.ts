/**
 * The findings as SARIF 2.1.0 for code scanning (GitHub uploads it as it is). One rule per finding kind, one
 * result per finding located at its `file:line` relative to the indexed repository root, so annotations land on
 * the handler's line when the index was made at the repository root. SARIF results need a location for code
 * scanning: findings without `file:line` (no code index, a plugin that failed to mount) are left out and counted
 * in the run's `properties.unlocatedFindings`. `partialFingerprints` carries the finding id so code scanning
 * tracks one alert across uploads.
 */
import type { Finding, FindingKind, FindingSeverity, FindingsReport } from '../../analyses/findings/findings-types.js';
import { findingKinds } from '../../analyses/findings/findings-types.js';
import type { RenderOptions } from '../report-schema.js';

const RULES: Record<FindingKind, { readonly text: string; readonly level: FindingSeverity }> = {
  'handler-error': { text: 'A handler throws in production.', level: 'error' },
  'error-burst': { text: 'A handler’s error rate in a window is far above its own rate elsewhere.', level: 'error' },
  'latency-anomaly': { text: 'A handler is far slower in a window than its own baseline.', level: 'warning' },
  'mount-failure': { text: 'A plugin failed to mount.', level: 'error' },
  'missing-beat': { text: 'A defined beat did not run.', level: 'error' },
  'unexpected-event': { text: 'A run executed an event its definition does not have.', level: 'error' },
  'order-violation': { text: 'Beats ran out of their defined order.', level: 'error' },
  'handler-mismatch': { text: 'The defined handler of a beat never settled.', level: 'error' },
  'incomplete-run': { text: 'A sequence run never completed.', level: 'error' },
  'failed-run': { text: 'A sequence run failed.', level: 'error' },
  'failed-beat': { text: 'A beat failed.', level: 'error' },
  'beat-count-mismatch': { text: 'A run executed fewer movements than it declared.', level: 'warning' },
  drift: { text: 'Production runs a different sequence than the code defines.', level: 'warning' },
  'never-run': { text: 'A defined sequence never ran.', level: 'note' },
  'orphan-subscription': { text: 'A subscription no sequence publishes to.', level: 'warning' },
  'unmounted-route': { text: 'A manifest route to a sequence that was never mounted.', level: 'warning' },
};

export function renderFindingsSarif(report: FindingsReport, _options: RenderOptions = {}): string {
  const located = report.findings.filter((f) => f.file !== null);
  const rules = findingKinds.map((kind) => ({
    id: kind,
    name: kind.replace(/(^|-)(\w)/g, (_, _d: string, c: string) => c.toUpperCase()),
    shortDescription: { text: RULES[kind].text },
    defaultConfiguration: { level: RULES[kind].level },
    helpUri: 'https://www.npmjs.com/package/beatscope',
  }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'beatscope', informationUri: 'https://www.npmjs.com/package/beatscope', rules } },
        columnKind: 'utf16CodeUnits',
        results: located.map((f) => result(f)),
        properties: { unlocatedFindings: report.findings.length - located.length },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function result(f: Finding) {
  return {
    ruleId: f.kind,
    ruleIndex: findingKinds.indexOf(f.kind),
    level: f.severity,
    message: { text: `${f.title}. ${f.explanation}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeURI(f.file!.replace(/\\/g, '/')) },
          ...(f.line !== null && f.line > 0 && { region: { startLine: f.line } }),
        },
      },
    ],
    partialFingerprints: { 'beatscopeFindingId/v1': f.id },
    properties: {
      findingId: f.id,
      count: f.count,
      ...(f.rate !== null && { rate: f.rate }),
      ...(f.firstSeen && { firstSeen: f.firstSeen }),
      ...(f.lastSeen && { lastSeen: f.lastSeen }),
      ...(f.plugin && { plugin: f.plugin }),
      ...(f.handler && { handler: f.handler }),
      ...(f.sequence && { sequence: f.sequence }),
      sessions: f.sessions.length,
    },
  };
}
