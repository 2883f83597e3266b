// How a designer uses the demo app in one session: app start with concurrent startup plays, library search
// bursts, drag/drop/select/move cycles, CSS edits, theme toggles, one slow auto-arrange, deletes and exports.
// Injected failures come from the payload (the handlers throw for it), chosen here so ground truth knows them.

import type { StaleBeat } from './app-loader.js';
import type { HandlerRef } from './ground-truth.js';
import type { Rng } from './prng.js';
import type { PlannedPlay } from './session-plan.js';

const LIBRARY = 'LibraryPlugin';
const LIBRARY_COMPONENT = 'LibraryComponentPlugin';
const CANVAS = 'CanvasComponentPlugin';
const PANEL = 'ControlPanelPlugin';
const HEADER = 'HeaderThemePlugin';
const CREATE = { pluginId: CANVAS, sequenceId: 'canvas-component-create-symphony' };

export const SLOW_HANDLER = { pluginId: CANVAS, handler: 'relaxLayout', approxMs: 200 };

/** The deployed build predates beat 6 of the create sequence (it lives in the JSON, not in the running app). */
export const STALE_BEATS: StaleBeat[] = [{ sequenceId: CREATE.sequenceId, event: 'canvas:component:augment:line' }];

/** Declared by the demo app's author; simulate.test.ts checks it against the spec files. */
export const UNTESTED_HANDLERS: HandlerRef[] = [
  { pluginId: LIBRARY, handler: 'publishResults' },
  { pluginId: LIBRARY, handler: 'previewComponent' },
  { pluginId: LIBRARY_COMPONENT, handler: 'onDragStart' },
  { pluginId: CANVAS, handler: 'renderReact' },
  { pluginId: CANVAS, handler: 'enhanceLine' },
  { pluginId: CANVAS, handler: 'notifySelectionChanged' },
  { pluginId: CANVAS, handler: 'startDrag' },
  { pluginId: CANVAS, handler: 'snapshotLayout' },
  { pluginId: CANVAS, handler: 'relaxLayout' },
  { pluginId: CANVAS, handler: 'downloadBundle' },
  { pluginId: PANEL, handler: 'registerObservers' },
  { pluginId: PANEL, handler: 'renderView' },
  { pluginId: PANEL, handler: 'notifyUi' },
  { pluginId: PANEL, handler: 'validateField' },
  { pluginId: HEADER, handler: 'notifyUi' },
  { pluginId: HEADER, handler: 'persistTheme' },
];

const COMPONENTS = ['lib-button', 'lib-heading', 'lib-image', 'lib-container', 'lib-line', 'lib-input'] as const;
const PANEL_TYPES: Record<string, string> = { 'lib-button': 'button', 'lib-heading': 'heading', 'lib-image': 'image' };
const QUERIES = ['button', 'field', 'image', 'box'] as const;

/** Which failure a session injects for sure (so any two sessions cover two failing handlers). */
type Failure = 'css' | 'delete' | 'schemas';
const FAILURE_ORDER: Failure[] = ['css', 'delete', 'schemas'];

export function planSession(rng: Rng, sessionIndex: number): PlannedPlay[] {
  const plays: PlannedPlay[] = [];
  const forced = FAILURE_ORDER[sessionIndex % FAILURE_ORDER.length]!;
  const fails = (kind: Failure) => kind === forced || rng.chance(0.15);
  let interaction = 0;
  const add = (
    pluginId: string,
    sequenceId: string,
    payload: Record<string, unknown>,
    opts: Partial<Omit<PlannedPlay, 'pluginId' | 'sequenceId' | 'payload'>> = {},
  ) => {
    interaction++;
    // Hosts tag each user interaction; it also keeps payloads distinct for the conductor's 5 s dedupe window.
    const withId = { ...payload, interactionId: `ix-${sessionIndex + 1}-${interaction}` };
    plays.push({
      pluginId,
      sequenceId,
      payload: withId,
      thinkMs: 0,
      realGapMs: 0,
      wait: 'settle',
      nested: [],
      ...opts,
    });
  };

  // App start: three plugins kick off their startup sequences at once.
  add(LIBRARY, 'library-load-symphony', { inventoryLatencyMs: rng.int(3, 9) }, { wait: 'none' });
  add(HEADER, 'header-ui-theme-get-symphony', { preferred: rng.pick(['light', 'dark']) }, { wait: 'none' });
  const outage = fails('schemas');
  add(
    PANEL,
    'control-panel-ui-init-symphony',
    { overrides: { showAdvanced: rng.chance(0.3) }, schemaOutage: outage },
    {
      ...(outage && {
        injectedError: {
          handler: 'loadSchemas',
          message: 'Schema fetch failed: 503 Service Unavailable (/schemas/button.json)',
        },
      }),
    },
  );

  if (rng.chance(0.5)) {
    add(LIBRARY, 'library-preview-symphony', { componentId: rng.pick(COMPONENTS) }, { thinkMs: rng.int(1500, 6000) });
  }

  // Typing a query: one play per keystroke pause, the last one settles.
  const query = rng.pick(QUERIES);
  const steps = rng.int(2, Math.min(4, query.length));
  for (let i = 1; i <= steps; i++) {
    const last = i === steps;
    add(
      LIBRARY,
      'library-search-symphony',
      { query: query.slice(0, query.length - steps + i) },
      {
        thinkMs: i === 1 ? rng.int(2000, 9000) : 0,
        realGapMs: i === 1 ? 0 : rng.int(5, 30),
        wait: last ? 'settle' : 'none',
      },
    );
  }

  const created: string[] = [];
  const componentCount = rng.int(2, 4);
  for (let i = 0; i < componentCount; i++) {
    const componentId = rng.pick(COMPONENTS);
    const nodeId = `rx-${sessionIndex + 1}-${i + 1}`;
    const x = rng.int(20, 700);
    const y = rng.int(20, 500);
    add(
      LIBRARY_COMPONENT,
      'library-component-drag-symphony',
      { componentId, clientX: x - 40, clientY: y - 30 },
      {
        thinkMs: rng.int(3000, 20000),
      },
    );
    add(
      LIBRARY_COMPONENT,
      'library-component-drop-symphony',
      { componentId, nodeId, x, y },
      {
        thinkMs: rng.int(400, 1500),
        nested: [CREATE],
      },
    );
    created.push(nodeId);
    // Selecting shows the overlay and, concurrently, renders the control panel for it.
    add(CANVAS, 'canvas-component-select-symphony', { nodeId }, { thinkMs: rng.int(800, 4000), wait: 'none' });
    add(PANEL, 'control-panel-ui-render-symphony', { componentType: PANEL_TYPES[componentId] ?? 'container' });
    if (rng.chance(0.6)) {
      const path = Array.from({ length: rng.int(3, 8) }, (_, k) => ({
        x: x + k * rng.int(5, 25),
        y: y + k * rng.int(-10, 10),
      }));
      add(CANVAS, 'canvas-component-move-symphony', { nodeId, path }, { thinkMs: rng.int(1000, 5000) });
    }
  }

  const badCss = fails('css');
  const className = rng.pick(['card', 'hero', 'cta', 'banner']);
  add(
    PANEL,
    'control-panel-css-create-symphony',
    {
      className,
      declarations: badCss ? 'color: #333; padding 12px' : `color: #333; padding: ${rng.int(4, 16)}px`,
    },
    {
      thinkMs: rng.int(4000, 30000),
      ...(badCss && {
        injectedError: { handler: 'validateCss', message: `Invalid CSS declaration "padding 12px" in .${className}` },
      }),
    },
  );

  if (rng.chance(0.5)) {
    add(
      HEADER,
      'header-ui-theme-toggle-symphony',
      { current: rng.pick(['light', 'dark']) },
      { thinkMs: rng.int(2000, 15000) },
    );
  }

  add(
    CANVAS,
    'canvas-component-arrange-symphony',
    { layoutBudgetMs: SLOW_HANDLER.approxMs },
    { thinkMs: rng.int(3000, 12000) },
  );

  // A stale id: the component was removed elsewhere while still selected.
  const staleDelete = fails('delete');
  const victim = staleDelete ? `rx-${sessionIndex + 1}-99` : created[created.length - 1]!;
  add(
    CANVAS,
    'canvas-component-delete-symphony',
    { nodeId: victim },
    {
      thinkMs: rng.int(2000, 10000),
      ...(staleDelete && { injectedError: { handler: 'resolveDeletion', message: `Component not found: ${victim}` } }),
    },
  );

  if (rng.chance(0.7)) {
    add(
      CANVAS,
      'canvas-component-export-symphony',
      { fileName: `page-${sessionIndex + 1}.svg` },
      { thinkMs: rng.int(5000, 40000) },
    );
  }
  return plays;
}
