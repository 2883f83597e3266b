/**
 * Per-file facts: what one file says on its own, before any cross-file resolution. They are plain JSON
 * data so the incremental state can be cached (in memory or on disk) and the link step can rerun over
 * them cheaply. Lines and columns are 1-based; a `Pos` is always inside the file that owns the facts.
 */
import type { IndexProblem, PayloadAccess, SequenceDefinition, TestCase } from '../model/code-index.js';

export interface Pos {
  readonly line: number;
  readonly column: number;
}

/** A value as far as the handler resolver cares: a function, an object of members, or a reference. */
export type ValueExpr =
  | { readonly kind: 'function'; readonly pos: Pos }
  | { readonly kind: 'object'; readonly pos: Pos; readonly members: readonly ObjectMember[] }
  /** `name` or `name.a.b` (a member pick such as `dragHandlers.onDragStart`). */
  | { readonly kind: 'ref'; readonly pos: Pos; readonly name: string; readonly path: readonly string[] }
  | { readonly kind: 'other'; readonly pos: Pos };

/** Members in source order; a later member with the same key wins, as in JavaScript. */
export type ObjectMember =
  | { readonly kind: 'prop'; readonly key: string; readonly value: ValueExpr }
  | { readonly kind: 'spread'; readonly value: ValueExpr };

/** `imported` is an export name, `'default'` or `'*'` (namespace import). */
export interface ImportBinding {
  readonly specifier: string;
  readonly imported: string;
}

export type ExportBinding =
  | { readonly kind: 'local'; readonly local: string }
  | { readonly kind: 'reexport'; readonly specifier: string; readonly imported: string };

/** A sequence written inline: `conductor.mount({...}, handlers, pluginId)`. */
export interface MountFact {
  readonly sequence: SequenceFact;
  /** The handlers argument; null when absent. */
  readonly handlers: ValueExpr | null;
}

export interface ModuleFacts {
  readonly imports: Readonly<Record<string, ImportBinding>>;
  readonly exports: Readonly<Record<string, ExportBinding>>;
  /** Specifiers of `export * from '…'`. */
  readonly starExports: readonly string[];
  /** Top-level declarations by local name (`default` for an anonymous default export). */
  readonly locals: Readonly<Record<string, ValueExpr>>;
  readonly mounts: readonly MountFact[];
  /** DataBaton keys each function touching `ctx.payload` reads and writes, by `line:column` of its name. */
  readonly payload?: Readonly<Record<string, PayloadAccess>>;
}

/** A sequence as read from its file; the link step adds `handlersPath`. */
export type SequenceFact = Omit<SequenceDefinition, 'handlersPath'>;

export interface TestFact {
  /** The case as it goes into the index (file filled in). */
  readonly test: TestCase;
  /** Own title of the `it`/`test` call (without describe prefixes). */
  readonly title: string;
  /** Calls in the body: `f(…)` gives `{ name: 'f' }`, `a.f(…)` / `a['f'](…)` give `{ object: 'a', name: 'f' }`. */
  readonly calls: readonly { readonly object: string | null; readonly name: string }[];
  /** Identifiers and identifier-like strings mentioned in the body or title (deduplicated). */
  readonly refs: readonly string[];
  /** `domainId:sequenceId:movement.beat:ac` from `[AC:…]` in names or ` * @ac …` JSDoc around the test. */
  readonly acTags: readonly string[];
}

export interface TestFileFacts {
  readonly imports: Readonly<Record<string, ImportBinding>>;
  readonly tests: readonly TestFact[];
}

export interface CatalogEntry {
  readonly file: string;
  readonly handlersPath: string;
}

export interface PluginManifestEntry {
  readonly id: string;
  readonly modules: readonly string[];
}

export interface RouteFact {
  readonly topic: string;
  readonly pluginId: string;
  readonly sequenceId: string;
}

/** Everything one file contributes. Only the fields relevant to the file's kind are set. */
export interface FileFacts {
  readonly problems: readonly IndexProblem[];
  readonly sequences?: readonly SequenceFact[];
  readonly catalog?: readonly CatalogEntry[];
  readonly packageName?: string;
  readonly pluginManifest?: readonly PluginManifestEntry[];
  readonly routes?: readonly RouteFact[];
  readonly module?: ModuleFacts;
  readonly testFile?: TestFileFacts;
}
