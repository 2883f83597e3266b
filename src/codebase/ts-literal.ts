/**
 * Static evaluation of literal expressions from the AST (no execution): strings, template strings
 * without substitutions, numbers, booleans, null, arrays, objects, spreads of evaluable objects, `as`/
 * `satisfies` wrappers and identifiers bound to top-level `const` literals of the same file.
 * Anything else evaluates to `undefined`, which callers treat as "unknown".
 */
import type TS from 'typescript';
import { ts } from './typescript.js';

export type ConstTable = ReadonlyMap<string, TS.Expression>;

/** Top-level `const NAME = <expr>` initialisers, for identifier lookups in literals. */
export function collectConsts(sf: TS.SourceFile): Map<string, TS.Expression> {
  const out = new Map<string, TS.Expression>();
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st) || !(st.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const d of st.declarationList.declarations) {
      if (ts.isIdentifier(d.name) && d.initializer) out.set(d.name.text, d.initializer);
    }
  }
  return out;
}

export function propertyKey(name: TS.PropertyName): string | null {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  if (ts.isNoSubstitutionTemplateLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) return name.expression.text;
  return null;
}

export function evaluateLiteral(expr: TS.Expression, consts: ConstTable, depth = 0): unknown {
  if (depth > 50) return undefined;
  const next = (e: TS.Expression): unknown => evaluateLiteral(e, consts, depth + 1);
  if (ts.isStringLiteralLike(expr)) return expr.text;
  if (ts.isNumericLiteral(expr)) return Number(expr.text);
  if (expr.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (expr.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (expr.kind === ts.SyntaxKind.NullKeyword) return null;
  if (ts.isPrefixUnaryExpression(expr) && expr.operator === ts.SyntaxKind.MinusToken) {
    const v = next(expr.operand);
    return typeof v === 'number' ? -v : undefined;
  }
  if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isSatisfiesExpression(expr)) {
    return next(expr.expression);
  }
  if (ts.isIdentifier(expr)) {
    const init = consts.get(expr.text);
    return init ? next(init) : undefined;
  }
  if (ts.isArrayLiteralExpression(expr)) {
    const out: unknown[] = [];
    for (const el of expr.elements) {
      if (ts.isSpreadElement(el)) {
        const v = next(el.expression);
        if (Array.isArray(v)) out.push(...v);
      } else out.push(next(el));
    }
    return out;
  }
  if (ts.isObjectLiteralExpression(expr)) {
    const out: Record<string, unknown> = {};
    for (const p of expr.properties) {
      if (ts.isPropertyAssignment(p)) {
        const key = propertyKey(p.name);
        if (key !== null) out[key] = next(p.initializer);
      } else if (ts.isShorthandPropertyAssignment(p)) {
        out[p.name.text] = next(p.name);
      } else if (ts.isSpreadAssignment(p)) {
        const v = next(p.expression);
        if (typeof v === 'object' && v !== null && !Array.isArray(v)) Object.assign(out, v);
      }
    }
    return out;
  }
  return undefined;
}
