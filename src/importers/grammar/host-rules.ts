/**
 * Handler errors (docs/log-formats.md §3.3, §7), startup banners (§3.8), host SDK and CLI bridge lines (§3.6),
 * ConductorLogger scope and stage-crew lines (§3.7), detectors.
 */
import { noise, type Rule, rule } from './rule.js';
import { parseStack } from './stack.js';

export const hostRules: readonly Rule[] = [
  rule('PluginManager', /^PluginManager: Handler execution failed for (\S+)\.([^.\s:]+):\s*(.*)$/, (m, input) => {
    const [first = '', ...inlineFrames] = m[3]!.split('\\n');
    return {
      kind: 'handler-error',
      pluginId: m[1]!,
      handler: m[2]!,
      message: first,
      stack: parseStack([...inlineFrames, ...(input.continuation ?? [])]),
    };
  }),
  rule('Initializing', /^Initializing (?:RenderX Evolution Communication System|new conductor instance)/, () => ({
    kind: 'session-start',
    marker: 'conductor initializing',
  })),
  noise(
    [
      'SPA',
      'Beat',
      'ConductorCore',
      'EventLogger',
      'MusicalConductor',
      'Initializing',
      'Registering',
      'Sequence',
      'Musical',
      'Total',
      'Communication',
      'Registered',
    ],
    /^(?:SPA Validator: Runtime checks initialized|Beat execution logging initialized|EventLogger: Hierarchical \w+ logging initialized|MusicalConductor v\S*: Initialized|Initializing Musical Sequences System|Registering all musical sequences|Sequence registration complete: |Sequence categories:|Musical Sequences System initialized: |Total sequences registered: |Communication System initialized successfully|Registered \d+ musical sequences|MusicalConductor bundle loaded)/,
    'startup',
  ),
  rule('SPA', /^SPA (?:Validator: (Blocked .*)|Violation \[(\w+)\]: (.*))$/, (m) => ({
    kind: 'warning',
    component: 'SPAValidator',
    text: m[1] ?? `${m[2]}: ${m[3]}`,
  })),
  noise(
    ['VERSIONS_JSON', 'Received', 'Playing', 'Fetch', 'Loaded'],
    /^(?:VERSIONS_JSON: |Received CLI command:|Playing sequence: \S+|Fetch status|Loaded JSON for)/,
    'host',
  ),
  noise('Sequence', /^Sequence completed:/, 'cli-bridge'),
  // Its `├─ …` operation lines lose the tree mark to stripIcon and stay unknown lines (source only, never seen).
  noise('Stage', /^Stage Crew: /, 'stage-crew'),
  noise(
    ['GapDetector', 'Heartbeat', 'DuplicationDetector', 'ResourceConflictResolver', 'ResourceOwnershipTracker'],
    /^(?:GapDetector|Heartbeat #\d+|DuplicationDetector|ResourceConflictResolver|ResourceOwnershipTracker)\b/,
    'detector',
  ),
];
