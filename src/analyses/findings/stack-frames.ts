/**
 * Maps a logged stack frame to the indexed repository: the top *in-app* frame (not node_modules, not a Node
 * internal) is what Sentry groups on and what a developer opens. A frame under the indexed root becomes
 * root-relative; a frame from another checkout of the same repo (CI path, another machine) matches a file the
 * index knows by its path suffix; else it keeps its printed path.
 *
 * A frame in a JS file of the indexed repository that has a source map (built or bundled JS, see
 * `source-maps.ts`) is then mapped through it to the original file and line, read from disk at the indexed root.
 * A frame whose original source is under `node_modules` (a dependency inside a bundle) is not in-app; one whose
 * source lies outside the repository, or that the map does not cover, keeps its JS file and line. Frames Node
 * printed with `--enable-source-maps` already name the `.ts` source and are left as they are.
 */
import type { CodeIndex } from '../../model/code-index.js';
import type { StackFrame } from '../../model/events.js';
import { type OriginalPosition, relativeInside, SourceMaps } from './source-maps.js';

export interface AppFrame {
  readonly fn: string | null;
  /** Relative to the indexed root when mapped (`mapped`), else as printed. */
  readonly file: string;
  /** 1-based; the original source's line when the frame was mapped through a source map. */
  readonly line: number | null;
  readonly mapped: boolean;
}

const NOT_APP = /(^node:|^internal\/|\/node_modules\/|^<anonymous>$|^native$)/;
const IN_NODE_MODULES = /(^|\/)node_modules\//;

export class FrameMapper {
  private readonly root: string | null;
  private readonly known: readonly string[];
  private readonly sourceMaps: SourceMaps | null;

  constructor(code: CodeIndex | undefined) {
    this.root = code ? code.root.replace(/\\/g, '/').replace(/\/$/, '') : null;
    this.sourceMaps = this.root !== null ? new SourceMaps(this.root) : null;
    const files = new Set<string>();
    for (const h of code?.handlers ?? []) if (h.location) files.add(h.location.file);
    for (const s of code?.sequences ?? []) files.add(s.source.file);
    for (const t of code?.tests ?? []) files.add(t.file);
    // Longest first: `a/b/x.ts` wins over `b/x.ts` when both are suffixes.
    this.known = [...files].sort((a, b) => b.length - a.length);
  }

  /** Sentences for the report's notes (source maps too large to read). */
  get notes(): readonly string[] {
    return this.sourceMaps?.notes ?? [];
  }

  /**
   * The first frame of the app's own code, or null when every frame is framework or runtime. With a code index,
   * the app is the indexed repository: a frame outside it (a wrapper, a host shim) is not in-app.
   */
  topAppFrame(stack: readonly StackFrame[]): AppFrame | null {
    for (const frame of stack) {
      const path = printedPath(frame);
      if (NOT_APP.test(path)) continue;
      const mapped = this.map(path);
      if (this.root !== null && !mapped.mapped) continue;
      const original = mapped.mapped ? this.original(mapped.file, frame) : null;
      if (original === 'not-app') continue;
      if (original) return { fn: this.originalFn(mapped.file, frame), ...original, mapped: true };
      return { fn: frame.fn ?? null, line: frame.line ?? null, ...mapped };
    }
    return null;
  }

  private map(path: string): { file: string; mapped: boolean } {
    if (this.root !== null && path.startsWith(`${this.root}/`))
      return { file: path.slice(this.root.length + 1), mapped: true };
    const suffix = this.known.find((f) => path === f || path.endsWith(`/${f}`));
    return suffix ? { file: suffix, mapped: true } : { file: path, mapped: false };
  }

  /**
   * The frame's original root-relative file and line through the source map of its (root-relative) JS file;
   * `not-app` when that source is a dependency; null when there is no map, no column, or the source lies
   * outside the repository.
   */
  private original(jsFile: string, frame: StackFrame): { file: string; line: number } | 'not-app' | null {
    const pos = this.position(jsFile, frame);
    if (!pos) return null;
    if (IN_NODE_MODULES.test(pos.source.replace(/\\/g, '/'))) return 'not-app';
    const file = relativeInside(this.root!, pos.source);
    return file ? { file, line: pos.line } : null;
  }

  /** The printed function name with a minifier's renaming undone when the map records the original name. */
  private originalFn(jsFile: string, frame: StackFrame): string | null {
    if (!frame.fn) return null;
    // `Xe.run`, `Object.<anonymous>`: only the last part can be a renamed declaration.
    const dot = frame.fn.lastIndexOf('.');
    const name = this.sourceMaps!.originalName(jsFile, frame.line!, frame.column!, frame.fn.slice(dot + 1));
    return name === null ? frame.fn : `${frame.fn.slice(0, dot + 1)}${name}`;
  }

  private position(file: string, frame: StackFrame): OriginalPosition | null {
    if (this.sourceMaps === null || frame.line === undefined || frame.column === undefined) return null;
    return this.sourceMaps.original(file, frame.line, frame.column);
  }
}

function printedPath(frame: StackFrame): string {
  return frame.file.replace(/\\/g, '/').replace(/^file:\/\//, '');
}
