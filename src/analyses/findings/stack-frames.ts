/**
 * Maps a logged stack frame to the indexed repository: the top *in-app* frame (not node_modules, not a Node
 * internal) is what Sentry groups on and what a developer opens. A frame under the indexed root becomes
 * root-relative; a frame from another checkout of the same repo (CI path, another machine) matches a file the
 * index knows by its path suffix; else it keeps its printed path. Built or bundled JS is not mapped back through
 * source maps here (the frames of Node with source maps on already name the `.ts` source).
 */
import type { CodeIndex } from '../../model/code-index.js';
import type { StackFrame } from '../../model/events.js';

export interface AppFrame {
  readonly fn: string | null;
  /** Relative to the indexed root when mapped (`mapped`), else as printed. */
  readonly file: string;
  readonly line: number | null;
  readonly mapped: boolean;
}

const NOT_APP = /(^node:|^internal\/|\/node_modules\/|^<anonymous>$|^native$)/;

export class FrameMapper {
  private readonly root: string | null;
  private readonly known: readonly string[];

  constructor(code: CodeIndex | undefined) {
    this.root = code ? code.root.replace(/\\/g, '/').replace(/\/$/, '') : null;
    const files = new Set<string>();
    for (const h of code?.handlers ?? []) if (h.location) files.add(h.location.file);
    for (const s of code?.sequences ?? []) files.add(s.source.file);
    for (const t of code?.tests ?? []) files.add(t.file);
    // Longest first: `a/b/x.ts` wins over `b/x.ts` when both are suffixes.
    this.known = [...files].sort((a, b) => b.length - a.length);
  }

  /**
   * The first frame of the app's own code, or null when every frame is framework or runtime. With a code index,
   * the app is the indexed repository: a frame outside it (a wrapper, a host shim) is not in-app.
   */
  topAppFrame(stack: readonly StackFrame[]): AppFrame | null {
    for (const frame of stack) {
      const path = frame.file.replace(/\\/g, '/').replace(/^file:\/\//, '');
      if (NOT_APP.test(path)) continue;
      const mapped = this.map(path);
      if (this.root !== null && !mapped.mapped) continue;
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
}
