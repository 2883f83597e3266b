/**
 * Source maps of the indexed repository's built JS, read from disk when findings are computed, so that a frame of
 * a bundle (`dist/app.js:1:48213`, as V8 prints it without `--enable-source-maps`) can name the `.ts` file and
 * line a developer opens. A JS file's map is the one its last `//# sourceMappingURL=` comment names (a file
 * relative to it, or an inline `data:application/json;base64,` map), else `<file>.map` beside it.
 *
 * Log content is untrusted: only files whose real path stays inside the indexed root are read (a frame naming
 * `../../etc/passwd` or a symlink out of the repository reads nothing), and files over `MAX_SOURCE_MAP_BYTES` are
 * skipped with a note. A root that is not on disk, an unreadable or malformed map: no mapping, never an error.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { decodedMappings, FlattenMap, originalPositionFor, type TraceMap } from '@jridgewell/trace-mapping';

/** Bundles and maps larger than this (bytes) are not read: 64 MiB. */
export const MAX_SOURCE_MAP_BYTES = 64 * 1024 * 1024;

const JS_FILE = /\.[cm]?js$/;
const MAPPING_URL = /\/\/[#@][ \t]+sourceMappingURL=([^\s'"]+)[ \t]*$/gm;
const INLINE_BASE64 = /^data:application\/json;(?:charset=[\w-]+;)?base64,/;
/** How many mapped segments before a frame's position are searched for its function's declaration. */
const DECLARATION_SEARCH_SEGMENTS = 20_000;
const IDENTIFIER = /^[\p{L}_$][\p{L}\p{N}_$]*$/u;
const BEFORE_DECLARATION = /(?:function\*?|class)\s*$/;
const AFTER_DECLARATION = /^\s*[=:]\s*(?:async\b\s*)?(?:function\b|\(|[\p{L}_$][\p{L}\p{N}_$]*\s*=>)/u;

export interface OriginalPosition {
  /** The original source, absolute (resolved against the map's directory and its `sourceRoot`). */
  readonly source: string;
  /** 1-based. */
  readonly line: number;
  /** The original name the map records at that position (a renamed identifier), else null. */
  readonly name: string | null;
}

interface MappedFile {
  readonly map: TraceMap;
  /** The generated code, to find a renamed function's declaration. */
  readonly lines: readonly string[];
}

export class SourceMaps {
  /** Real path of the root, or null when the repository is not on disk. */
  private readonly realRoot: string | null;
  /** Root-relative JS file → its map and generated lines (null: no map, or unreadable). */
  private readonly maps = new Map<string, MappedFile | null>();
  /** Sentences for the report's notes: maps skipped for their size. */
  readonly notes: string[] = [];

  constructor(private readonly root: string) {
    this.realRoot = realPath(root);
  }

  /**
   * Where a frame of a JS file of the repository came from. `file` is root-relative; `line` and `column` are
   * 1-based, as V8 prints them. Null when the file has no map or the map has no segment at or before the position
   * on that line.
   */
  original(file: string, line: number, column: number): OriginalPosition | null {
    if (!JS_FILE.test(file) || line < 1 || column < 1) return null;
    const mapped = this.mapOf(file);
    if (!mapped) return null;
    const pos = originalPositionFor(mapped.map, { line, column: column - 1 });
    if (pos.source === null || pos.line === null) return null;
    return { source: pos.source, line: pos.line, name: pos.name };
  }

  /**
   * The original name of a function a minifier renamed: the name the map records at the declaration of the
   * printed identifier (`function Je(` → `update`) nearest before the frame's position (1-based line and column).
   * Only a declaration counts (`function x`, `class x`, `x = (…) =>`, `x: function`): minified code reuses short
   * names for parameters and locals. Null when the printed name is not a plain identifier or no such declaration
   * carries a name, as in code that was not minified (the printed name is then already the original).
   */
  originalName(file: string, line: number, column: number, printed: string): string | null {
    const mapped = IDENTIFIER.test(printed) ? this.mapOf(file) : null;
    if (!mapped) return null;
    const mappings = decodedMappings(mapped.map);
    const names = mapped.map.names;
    let budget = DECLARATION_SEARCH_SEGMENTS;
    for (let l = Math.min(line, mappings.length) - 1; l >= 0 && budget > 0; l--) {
      const text = mapped.lines[l] ?? '';
      const segments = mappings[l]!;
      for (let i = segments.length - 1; i >= 0 && budget > 0; i--, budget--) {
        const seg = segments[i]!;
        const at = seg[0];
        if (seg.length !== 5 || (l === line - 1 && at >= column - 1)) continue;
        const end = at + printed.length;
        if (text.slice(at, end) !== printed || /[\p{L}\p{N}_$]/u.test(text[end] ?? '')) continue;
        if (
          BEFORE_DECLARATION.test(text.slice(Math.max(0, at - 12), at)) ||
          AFTER_DECLARATION.test(text.slice(end, end + 80))
        )
          return names[seg[4]] ?? null;
      }
    }
    return null;
  }

  private mapOf(file: string): MappedFile | null {
    let map = this.maps.get(file);
    if (map === undefined) {
      map = this.load(file);
      this.maps.set(file, map);
    }
    return map;
  }

  private load(file: string): MappedFile | null {
    const js = resolve(this.root, file);
    const code = this.read(js);
    if (code === null) return null;
    const url = lastMappingUrl(code);
    let map: TraceMap | null;
    if (url !== null && INLINE_BASE64.test(url)) {
      // Sources of an inline map are relative to the JS file itself.
      map = parseMap(Buffer.from(url.slice(url.indexOf(',') + 1), 'base64').toString('utf8'), js);
    } else {
      const local = url !== null ? relativeFile(url) : null;
      const mapFile = local !== null ? resolve(dirname(js), local) : `${js}.map`;
      const text = this.read(mapFile);
      map = text === null ? null : parseMap(text, mapFile);
    }
    return map ? { map, lines: code.split(/\r?\n/) } : null;
  }

  /** A file's text when its real path is inside the root and it is not too large; else null. */
  private read(path: string): string | null {
    if (this.realRoot === null) return null;
    const real = realPath(path);
    if (real === null || !inside(this.realRoot, real)) return null;
    try {
      const { size } = statSync(real);
      if (size > MAX_SOURCE_MAP_BYTES) {
        this.notes.push(
          `${relative(this.realRoot, real)} is ${Math.round(size / 2 ** 20)} MiB, over the ${MAX_SOURCE_MAP_BYTES / 2 ** 20} MiB read for source maps: its stack frames are not mapped to their sources.`,
        );
        return null;
      }
      return readFileSync(real, 'utf8');
    } catch {
      return null;
    }
  }
}

/** True when `path` is `dir` or below it. */
function inside(dir: string, path: string): boolean {
  return relativeInside(dir, path) !== null;
}

/** `path` relative to `dir` with `/` separators when it is `dir` or below it, else null. */
export function relativeInside(dir: string, path: string): string | null {
  const rel = relative(dir, path);
  return rel.split(sep)[0] === '..' || isAbsolute(rel) ? null : rel.replace(/\\/g, '/');
}

function realPath(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

/** The URL of the last `sourceMappingURL` comment (the one that applies), or null. */
function lastMappingUrl(code: string): string | null {
  // Only the tail can hold the comment that applies, but an inline map makes that tail as large as the map.
  let url: string | null = null;
  for (const m of code.matchAll(MAPPING_URL)) url = m[1]!;
  return url;
}

/** A relative URL as a file path (no query or fragment); null for `http:`, `file:`, other `data:` URLs. */
function relativeFile(url: string): string | null {
  if (/^[a-z][\w+.-]*:/i.test(url) || url.startsWith('/')) return null;
  try {
    return decodeURIComponent(url.replace(/[?#].*$/, ''));
  } catch {
    return null;
  }
}

function parseMap(text: string, mapUrl: string): TraceMap | null {
  try {
    return new FlattenMap(JSON.parse(text), mapUrl);
  } catch {
    return null;
  }
}
