/**
 * One `ts.createSourceFile` per file (syntax only, no program or checker: per-file parsing is what makes
 * the index incremental). Syntax errors come from the parser's `parseDiagnostics`, which the public API
 * does not declare; the parser still returns a usable (error-tolerant) tree, so facts are extracted anyway.
 */
import type TS from 'typescript';
import type { IndexProblem } from '../model/code-index.js';
import type { Pos } from './facts.js';
import { ts } from './typescript.js';

const MAX_REPORTED_DIAGNOSTICS = 3;

function scriptKind(rel: string): TS.ScriptKind {
  if (rel.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (rel.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.(js|mjs|cjs)$/.test(rel)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

export function parseSource(rel: string, text: string): { sf: TS.SourceFile; problems: IndexProblem[] } {
  const sf = ts.createSourceFile(rel, text, ts.ScriptTarget.Latest, true, scriptKind(rel));
  const diags = (sf as unknown as { parseDiagnostics?: readonly TS.Diagnostic[] }).parseDiagnostics ?? [];
  const problems = diags.slice(0, MAX_REPORTED_DIAGNOSTICS).map((d): IndexProblem => {
    const line = d.start === undefined ? 0 : sf.getLineAndCharacterOfPosition(d.start).line + 1;
    const more = diags.length > MAX_REPORTED_DIAGNOSTICS ? ` (+${diags.length - MAX_REPORTED_DIAGNOSTICS} more)` : '';
    return {
      file: rel,
      line,
      severity: 'error',
      message: `TypeScript syntax error: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}${more}`,
    };
  });
  return { sf, problems };
}

export function posOf(sf: TS.SourceFile, node: TS.Node): Pos {
  const lc = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  return { line: lc.line + 1, column: lc.character + 1 };
}

/** Static import bindings (type-only imports skipped: they carry no runtime value). */
export function collectImports(sf: TS.SourceFile): Record<string, { specifier: string; imported: string }> {
  const out: Record<string, { specifier: string; imported: string }> = {};
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    const clause = st.importClause;
    if (!clause || clause.isTypeOnly) continue;
    const specifier = st.moduleSpecifier.text;
    if (clause.name) out[clause.name.text] = { specifier, imported: 'default' };
    const nb = clause.namedBindings;
    if (nb && ts.isNamespaceImport(nb)) out[nb.name.text] = { specifier, imported: '*' };
    else if (nb) {
      for (const el of nb.elements) {
        if (el.isTypeOnly) continue;
        out[el.name.text] = { specifier, imported: (el.propertyName ?? el.name).text };
      }
    }
  }
  return out;
}
