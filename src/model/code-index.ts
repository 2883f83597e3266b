/**
 * What the code index knows of an app's codebase: sequence definitions, handler source locations and
 * tests. Paths are relative to the indexed repository root with forward slashes; lines and columns 1-based.
 */

export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface BeatDefinition {
  /** Beat number as written (`beat` or `number`); may repeat within a movement. */
  readonly beat: number;
  /** 1-based position of the beat within its movement. */
  readonly position: number;
  readonly event: string | null;
  readonly title: string | null;
  /** Handler export name (for `{name: "module#export"}` handlers, the export part). */
  readonly handler: string | null;
  /** Module part of a `{name: "module#export"}` handler (orchestration style); null for plain string handlers. */
  readonly handlerModule: string | null;
  readonly kind: string | null;
  readonly testFile: string | null;
  readonly testCase: string | null;
  readonly acceptanceCriteriaCount: number;
}

export interface MovementDefinition {
  readonly name: string;
  /** 1-based position within the sequence. */
  readonly index: number;
  readonly beats: readonly BeatDefinition[];
}

export interface SequenceDefinition {
  readonly id: string;
  readonly name: string;
  readonly pluginId: string | null;
  readonly domainId: string | null;
  readonly movements: readonly MovementDefinition[];
  /** Where it is defined: a JSON file or an inline `conductor.mount({...})` literal in TypeScript. */
  readonly source: SourceLocation;
  readonly origin: 'json' | 'typescript';
  /** index.json `handlersPath` for this sequence, when a catalog names one. */
  readonly handlersPath: string | null;
  /** Its `description`, when the definition has one (what `beatscope docs` gives as its purpose). */
  readonly description?: string;
}

export type TestEvidenceKind = 'import-call' | 'name-reference' | 'ac-tag' | 'sequence-test-link';

export interface TestCase {
  readonly file: string;
  readonly line: number;
  /** Full name: describe blocks and the test name joined by ' › '. */
  readonly name: string;
  readonly framework: 'vitest' | 'jest' | 'cypress' | 'playwright' | 'unknown';
}

export interface HandlerTestLink {
  readonly test: TestCase;
  readonly evidence: TestEvidenceKind;
}

/**
 * DataBaton keys a handler's own source reads and writes (`ctx.payload.k`, see src/codebase/payload-access.ts).
 * Lines are 1-based lines of the handler's file. `dynamic` lists what cannot be named statically (a computed
 * key, the whole payload passed on): such reads are unknown, not guessed.
 */
export interface PayloadAccess {
  readonly reads: readonly { readonly key: string; readonly line: number }[];
  readonly writes: readonly { readonly key: string; readonly line: number; readonly op: 'set' | 'delete' }[];
  readonly dynamic: readonly { readonly line: number; readonly reason: string }[];
}

export interface HandlerDefinition {
  readonly handler: string;
  readonly pluginId: string | null;
  /** Where the function is defined; null when it could not be resolved (see `unresolvedReason`). */
  readonly location: SourceLocation | null;
  readonly unresolvedReason: string | null;
  /** When unresolved: definitions of the same name found by a repo-wide search, as a hint (not a resolution). */
  readonly candidates: readonly SourceLocation[];
  /** Sequences (id, beat, event) that name this handler for this plugin. */
  readonly sequences: readonly { readonly id: string; readonly beat: number; readonly event: string | null }[];
  readonly tests: readonly HandlerTestLink[];
  /**
   * Payload keys its function reads and writes; null when the handler is unresolved or its function never
   * touches the payload. Absent in code indexes stored before beatscope read handler source for keys.
   */
  readonly payload?: PayloadAccess | null;
}

export interface TopicRoute {
  readonly topic: string;
  readonly pluginId: string;
  readonly sequenceId: string;
}

export interface IndexProblem {
  readonly file: string;
  readonly line: number;
  readonly severity: 'info' | 'warning' | 'error';
  readonly message: string;
}

export interface CodeIndex {
  readonly root: string;
  readonly sequences: readonly SequenceDefinition[];
  readonly handlers: readonly HandlerDefinition[];
  readonly tests: readonly TestCase[];
  readonly topics: readonly TopicRoute[];
  readonly problems: readonly IndexProblem[];
}
