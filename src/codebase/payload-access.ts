/**
 * Which DataBaton keys a handler reads and writes, from its source: MusicalConductor passes handlers
 * `(data, ctx)` and the baton is `ctx.payload` (docs/log-formats.md §3.4). For every function of a module whose
 * second parameter is the context (a name, or `{ payload }` destructured), this finds
 *   reads:   `ctx.payload.k`, `ctx.payload['k']`, `ctx?.payload?.k`, `const { k } = ctx.payload`, an alias
 *            (`const p = ctx.payload; p.k`), and compound assignments (`ctx.payload.k += 1` reads and writes);
 *   writes:  `ctx.payload.k = …` (set) and `delete ctx.payload.k` (delete);
 *   dynamic: what cannot be named statically — a computed key (`ctx.payload[name]`), the whole payload passed
 *            to a call, spread or returned. Those are listed as unknown, never guessed.
 * Functions are keyed by the position of their name (`line:column`), the position the handler resolver gives as
 * a handler's location, so the link step finds a handler's access by its location.
 */
import type TS from 'typescript';
import type { PayloadAccess } from '../model/code-index.js';
import { posOf } from './ts-parse.js';
import { ts } from './typescript.js';

interface Mutable {
  reads: PayloadAccess['reads'][number][];
  writes: PayloadAccess['writes'][number][];
  dynamic: PayloadAccess['dynamic'][number][];
}

/** The node whose position names a function (what `valueExprOf` records), or null for anonymous ones. */
function nameNodeOf(fn: TS.SignatureDeclaration): TS.Node | null {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name) return fn.name;
  const parent = fn.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) return parent.name;
  return null;
}

const unwrap = (e: TS.Node): TS.Node => {
  let n = e;
  while (ts.isParenthesizedExpression(n) || ts.isNonNullExpression(n) || ts.isAsExpression(n)) n = n.expression;
  return n;
};

/** The key of `x.k` / `x['k']`; undefined for a computed key. */
function memberKey(node: TS.PropertyAccessExpression | TS.ElementAccessExpression): string | undefined {
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  const arg = node.argumentExpression;
  return ts.isStringLiteralLike(arg) || ts.isNumericLiteral(arg) ? arg.text : undefined;
}

/** Where a payload member expression stands: written, deleted, read-and-written, or read. */
function roleOf(member: TS.Expression): 'set' | 'delete' | 'update' | 'read' {
  let child: TS.Node = member;
  let parent = member.parent;
  while (ts.isParenthesizedExpression(parent) || ts.isNonNullExpression(parent)) {
    child = parent;
    parent = parent.parent;
  }
  if (ts.isDeleteExpression(parent)) return 'delete';
  if (ts.isBinaryExpression(parent) && parent.left === child) {
    const op = parent.operatorToken.kind;
    if (op === ts.SyntaxKind.EqualsToken) return 'set';
    if (op >= ts.SyntaxKind.FirstCompoundAssignment && op <= ts.SyntaxKind.LastCompoundAssignment) return 'update';
  }
  if (
    (ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) &&
    [ts.SyntaxKind.PlusPlusToken, ts.SyntaxKind.MinusMinusToken].includes(parent.operator)
  )
    return 'update';
  return 'read';
}

/** The names bound to the payload inside one function: the context parameter's `.payload` and aliases of it. */
function accessIn(sf: TS.SourceFile, fn: TS.SignatureDeclaration & { body?: TS.Node }): Mutable | null {
  const ctxParam = fn.parameters[1];
  if (!ctxParam || !fn.body) return null;
  const ctxNames = new Set<string>();
  const payloadNames = new Set<string>();
  const out: Mutable = { reads: [], writes: [], dynamic: [] };
  const line = (n: TS.Node) => posOf(sf, n).line;
  const bindPattern = (pattern: TS.ObjectBindingPattern, at: TS.Node): void => {
    for (const el of pattern.elements) {
      if (el.dotDotDotToken) {
        out.dynamic.push({ line: line(el), reason: 'rest of the payload' });
        continue;
      }
      const prop = el.propertyName ?? el.name;
      if (ts.isIdentifier(prop) || ts.isStringLiteralLike(prop)) out.reads.push({ key: prop.text, line: line(at) });
      else out.dynamic.push({ line: line(el), reason: 'computed key in destructuring' });
    }
  };
  if (ts.isIdentifier(ctxParam.name)) ctxNames.add(ctxParam.name.text);
  else if (ts.isObjectBindingPattern(ctxParam.name)) {
    for (const el of ctxParam.name.elements) {
      const prop = el.propertyName ?? el.name;
      if (!ts.isIdentifier(prop) || prop.text !== 'payload') continue;
      if (ts.isIdentifier(el.name)) payloadNames.add(el.name.text);
      else if (ts.isObjectBindingPattern(el.name)) bindPattern(el.name, el);
    }
  } else return null;

  /** True when `e` is the payload: `ctx.payload`, `ctx?.payload`, `ctx['payload']` or an alias name. */
  const isPayload = (e: TS.Node): boolean => {
    const n = unwrap(e);
    if (ts.isIdentifier(n)) return payloadNames.has(n.text);
    if ((ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) && memberKey(n) === 'payload') {
      const obj = unwrap(n.expression);
      return ts.isIdentifier(obj) && ctxNames.has(obj.text);
    }
    return false;
  };

  const visit = (node: TS.Node): void => {
    if ((ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) && isPayload(node.expression)) {
      const key = memberKey(node);
      const role = roleOf(node);
      if (key === undefined) out.dynamic.push({ line: line(node), reason: 'computed key' });
      else if (role === 'set' || role === 'delete') out.writes.push({ key, line: line(node), op: role });
      else {
        out.reads.push({ key, line: line(node) });
        if (role === 'update') out.writes.push({ key, line: line(node), op: 'set' });
      }
      // `ctx.payload[key]`: the key expression may itself read the payload.
      if (ts.isElementAccessExpression(node)) visit(node.argumentExpression);
      return;
    }
    if (ts.isVariableDeclaration(node) && node.initializer && isPayload(node.initializer)) {
      if (ts.isIdentifier(node.name)) payloadNames.add(node.name.text);
      else if (ts.isObjectBindingPattern(node.name)) bindPattern(node.name, node);
      return;
    }
    // The whole payload leaves the function's sight: passed on, spread, returned or iterated. (A property name
    // that merely spells an alias, `x.payload` or `{ payload: 1 }`, is not the payload.)
    const parent = node.parent;
    const isName =
      (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
      (ts.isPropertyAssignment(parent) && parent.name === node);
    if (!isName && isPayload(node)) {
      out.dynamic.push({ line: line(node), reason: 'whole payload passed on' });
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(fn.body);
  return out.reads.length + out.writes.length + out.dynamic.length > 0 ? out : null;
}

/** Payload access of every named function in the file that touches the payload, by `line:column` of its name. */
export function payloadAccessOf(sf: TS.SourceFile): Record<string, PayloadAccess> | undefined {
  // Files that never say `payload` are most of a repository; skip their walk.
  if (!sf.text.includes('payload')) return undefined;
  const out: Record<string, PayloadAccess> = {};
  const visit = (node: TS.Node): void => {
    if (ts.isFunctionLike(node)) {
      const name = nameNodeOf(node);
      const access = name ? accessIn(sf, node as TS.SignatureDeclaration & { body?: TS.Node }) : null;
      if (name && access) {
        const pos = posOf(sf, name);
        out[`${pos.line}:${pos.column}`] = access;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return Object.keys(out).length > 0 ? out : undefined;
}
