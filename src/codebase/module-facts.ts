/**
 * Handler-relevant facts of one source module, from its AST: imports, exports (local, renamed,
 * re-exported, `export *`), top-level values reduced to `ValueExpr`, and inline `x.mount({...}, h, id)`
 * sequences. A function's position is its name (the method/property key or the variable name), which is
 * what an editor should jump to.
 */
import type TS from 'typescript';
import type { ExportBinding, ModuleFacts, MountFact, ObjectMember, ValueExpr } from './facts.js';
import { payloadAccessOf } from './payload-access.js';
import { normalizeSequence } from './sequence-normalize.js';
import { type ConstTable, collectConsts, evaluateLiteral, propertyKey } from './ts-literal.js';
import { collectImports, posOf } from './ts-parse.js';
import { ts } from './typescript.js';

const hasModifier = (node: TS.Node, kind: TS.SyntaxKind): boolean =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);

function unwrap(expr: TS.Expression): TS.Expression {
  let e = expr;
  for (;;) {
    if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
    else if (ts.isNonNullExpression(e) || ts.isTypeAssertionExpression(e)) e = e.expression;
    // Object.freeze({...}) keeps the object's shape.
    else if (ts.isCallExpression(e) && e.arguments.length === 1 && e.expression.getText() === 'Object.freeze') {
      e = e.arguments[0]!;
    } else return e;
  }
}

/** `a.b.c` → ['a', 'b', 'c']; `a['b']` counts as a member access with a literal key. */
function accessPath(e: TS.Expression): string[] | null {
  if (ts.isIdentifier(e)) return [e.text];
  if (ts.isPropertyAccessExpression(e)) {
    const head = accessPath(e.expression);
    return head ? [...head, e.name.text] : null;
  }
  if (ts.isElementAccessExpression(e) && ts.isStringLiteralLike(e.argumentExpression)) {
    const head = accessPath(e.expression);
    return head ? [...head, e.argumentExpression.text] : null;
  }
  return null;
}

export function valueExprOf(sf: TS.SourceFile, expr: TS.Expression, nameNode: TS.Node): ValueExpr {
  const e = unwrap(expr);
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e) || ts.isClassExpression(e)) {
    return { kind: 'function', pos: posOf(sf, nameNode) };
  }
  if (ts.isObjectLiteralExpression(e)) return { kind: 'object', pos: posOf(sf, nameNode), members: membersOf(sf, e) };
  const path = accessPath(e);
  if (path) return { kind: 'ref', pos: posOf(sf, e), name: path[0]!, path: path.slice(1) };
  return { kind: 'other', pos: posOf(sf, nameNode) };
}

function membersOf(sf: TS.SourceFile, obj: TS.ObjectLiteralExpression): ObjectMember[] {
  const out: ObjectMember[] = [];
  for (const p of obj.properties) {
    if (ts.isSpreadAssignment(p)) {
      out.push({ kind: 'spread', value: valueExprOf(sf, p.expression, p.expression) });
      continue;
    }
    if (ts.isShorthandPropertyAssignment(p)) {
      out.push({ kind: 'prop', key: p.name.text, value: valueExprOf(sf, p.name, p.name) });
      continue;
    }
    const key = p.name ? propertyKey(p.name) : null;
    if (key === null) continue;
    if (ts.isPropertyAssignment(p)) out.push({ kind: 'prop', key, value: valueExprOf(sf, p.initializer, p.name) });
    else if (ts.isMethodDeclaration(p) || ts.isGetAccessorDeclaration(p) || ts.isSetAccessorDeclaration(p)) {
      out.push({ kind: 'prop', key, value: { kind: 'function', pos: posOf(sf, p.name) } });
    }
  }
  return out;
}

interface Collected {
  locals: Record<string, ValueExpr>;
  exports: Record<string, ExportBinding>;
  starExports: string[];
}

function collectStatement(sf: TS.SourceFile, st: TS.Statement, c: Collected): void {
  const exported = hasModifier(st, ts.SyntaxKind.ExportKeyword);
  const isDefault = hasModifier(st, ts.SyntaxKind.DefaultKeyword);
  if (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) {
    const local = st.name?.text ?? 'default';
    c.locals[local] = { kind: 'function', pos: posOf(sf, st.name ?? st) };
    if (exported) c.exports[isDefault ? 'default' : local] = { kind: 'local', local };
  } else if (ts.isVariableStatement(st)) {
    for (const d of st.declarationList.declarations) {
      if (!ts.isIdentifier(d.name)) continue;
      c.locals[d.name.text] = d.initializer
        ? valueExprOf(sf, d.initializer, d.name)
        : { kind: 'other', pos: posOf(sf, d.name) };
      if (exported) c.exports[d.name.text] = { kind: 'local', local: d.name.text };
    }
  } else if (ts.isExportAssignment(st) && !st.isExportEquals) {
    const v = valueExprOf(sf, st.expression, st.expression);
    if (v.kind === 'ref' && v.path.length === 0) c.exports['default'] = { kind: 'local', local: v.name };
    else {
      c.locals['default'] = v;
      c.exports['default'] = { kind: 'local', local: 'default' };
    }
  } else if (ts.isExportDeclaration(st) && !st.isTypeOnly) {
    const spec = st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) ? st.moduleSpecifier.text : null;
    const clause = st.exportClause;
    if (!clause) {
      if (spec) c.starExports.push(spec);
    } else if (ts.isNamespaceExport(clause)) {
      if (spec) c.exports[clause.name.text] = { kind: 'reexport', specifier: spec, imported: '*' };
    } else {
      for (const el of clause.elements) {
        if (el.isTypeOnly) continue;
        const from = (el.propertyName ?? el.name).text;
        c.exports[el.name.text] = spec
          ? { kind: 'reexport', specifier: spec, imported: from }
          : { kind: 'local', local: from };
      }
    }
  }
}

function collectMounts(sf: TS.SourceFile, consts: ConstTable): MountFact[] {
  const mounts: MountFact[] = [];
  const visit = (node: TS.Node): void => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'mount' &&
      node.arguments.length >= 1
    ) {
      const [seqArg, handlersArg, pluginArg] = node.arguments;
      const literal = evaluateLiteral(unwrap(seqArg!), consts);
      const pluginValue = pluginArg ? evaluateLiteral(pluginArg, consts) : undefined;
      const pluginId = typeof pluginValue === 'string' ? pluginValue : null;
      if (literal && typeof literal === 'object' && !Array.isArray(literal)) {
        const pos = posOf(sf, node);
        const sequence = normalizeSequence(
          literal as Record<string, unknown>,
          { file: sf.fileName, ...pos },
          'typescript',
          pluginId,
        );
        if (sequence)
          mounts.push({ sequence, handlers: handlersArg ? valueExprOf(sf, handlersArg, handlersArg) : null });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return mounts;
}

export function moduleFacts(sf: TS.SourceFile): ModuleFacts {
  const c: Collected = { locals: {}, exports: {}, starExports: [] };
  for (const st of sf.statements) collectStatement(sf, st, c);
  // Mounts need a `.mount(` somewhere; skipping the full walk otherwise keeps big modules cheap.
  const mounts = sf.text.includes('mount') ? collectMounts(sf, collectConsts(sf)) : [];
  const payload = payloadAccessOf(sf);
  return {
    imports: collectImports(sf),
    exports: c.exports,
    starExports: c.starExports,
    locals: c.locals,
    mounts,
    ...(payload ? { payload } : {}),
  };
}
