/**
 * Test cases of one test file, from its AST: `describe`/`it`/`test` (also `.only`, `.skip`, `.each(…)(…)`,
 * Playwright `test.describe`) with full names joined by ' › ', plus what each case's body calls and
 * mentions, so the link step can tie cases to handlers. AC tags come from `[AC:…]` in names and from
 * ` * @ac …` lines in comments leading the test, its describe blocks, or the file header.
 */
import type TS from 'typescript';
import type { TestCase } from '../model/code-index.js';
import type { TestFact, TestFileFacts } from './facts.js';
import { collectImports, posOf } from './ts-parse.js';
import { ts } from './typescript.js';

const SUITE = new Set(['describe', 'context', 'suite']);
const CASE = new Set(['it', 'test', 'specify']);
const IDENT = /^[A-Za-z_$][\w$]*$/;
const AC_IN_NAME = /\[AC:([^\]\s]+)\]/g;
const AC_IN_DOC = /@ac\s+([^\s*]+)/g;

/** Root identifier and member chain of a callee: `it.each([...])` → ['it', 'each'], `test.describe` → ['test','describe']. */
function calleeChain(e: TS.Expression): string[] {
  if (ts.isIdentifier(e)) return [e.text];
  if (ts.isPropertyAccessExpression(e)) return [...calleeChain(e.expression), e.name.text];
  if (ts.isCallExpression(e)) return calleeChain(e.expression);
  return [];
}

function titleOf(arg: TS.Expression | undefined, sf: TS.SourceFile): string | null {
  if (!arg) return null;
  if (ts.isStringLiteralLike(arg)) return arg.text;
  if (ts.isTemplateExpression(arg)) return arg.getText(sf).slice(1, -1);
  return null;
}

function matchAll(re: RegExp, text: string): string[] {
  return [...text.matchAll(re)].map((m) => m[1]!);
}

function docTags(sf: TS.SourceFile, node: TS.Node): string[] {
  const ranges = ts.getLeadingCommentRanges(sf.text, node.getFullStart()) ?? [];
  return ranges.flatMap((r) => matchAll(AC_IN_DOC, sf.text.slice(r.pos, r.end)));
}

function bodyFacts(body: TS.Node): { calls: TestFact['calls']; refs: Set<string> } {
  const calls: { object: string | null; name: string }[] = [];
  const seen = new Set<string>();
  const refs = new Set<string>();
  const visit = (n: TS.Node): void => {
    if (ts.isIdentifier(n)) refs.add(n.text);
    else if (ts.isStringLiteralLike(n) && IDENT.test(n.text)) refs.add(n.text);
    else if (ts.isCallExpression(n)) {
      const c = n.expression;
      let call: { object: string | null; name: string } | null = null;
      if (ts.isIdentifier(c)) call = { object: null, name: c.text };
      else if (ts.isPropertyAccessExpression(c) && ts.isIdentifier(c.expression)) {
        call = { object: c.expression.text, name: c.name.text };
      } else if (
        ts.isElementAccessExpression(c) &&
        ts.isIdentifier(c.expression) &&
        ts.isStringLiteralLike(c.argumentExpression)
      ) {
        call = { object: c.expression.text, name: c.argumentExpression.text };
        refs.add(c.argumentExpression.text);
      }
      const key = call ? `${call.object}.${call.name}` : '';
      if (call && !seen.has(key)) {
        seen.add(key);
        calls.push(call);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(body);
  return { calls, refs };
}

function detectFramework(rel: string, sf: TS.SourceFile, imports: TestFileFacts['imports']): TestCase['framework'] {
  const specs = new Set(Object.values(imports).map((b) => b.specifier));
  if (specs.has('@playwright/test')) return 'playwright';
  if (specs.has('vitest')) return 'vitest';
  if (specs.has('@jest/globals')) return 'jest';
  if (rel.endsWith('.cy.ts') || rel.split('/').includes('cypress')) return 'cypress';
  let found: TestCase['framework'] = 'unknown';
  const visit = (n: TS.Node): void => {
    if (found !== 'unknown') return;
    if (ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.expression)) {
      const root = n.expression.text;
      if (root === 'cy') found = 'cypress';
      else if (root === 'jest') found = 'jest';
      else if (root === 'vi') found = 'vitest';
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

export function testFileFacts(rel: string, sf: TS.SourceFile): TestFileFacts {
  const imports = collectImports(sf);
  const framework = detectFramework(rel, sf, imports);
  const tests: TestFact[] = [];
  // A header comment counts for the whole file only when it sits above the imports, not above a test.
  const first = sf.statements[0];
  const fileTags = first && ts.isImportDeclaration(first) ? docTags(sf, first) : [];

  // `suites`: describe titles; `tags`: AC tags inherited from enclosing describes and their comments.
  const walk = (node: TS.Node, suites: readonly string[], tags: readonly string[], stmt: TS.Node | null): void => {
    if (ts.isExpressionStatement(node)) stmt = node;
    if (ts.isCallExpression(node)) {
      const chain = calleeChain(node.expression);
      const root = chain[0] ?? '';
      const isSuite = SUITE.has(root) || (root === 'test' && chain[1] === 'describe');
      const isCase =
        !isSuite && CASE.has(root) && !['beforeEach', 'afterEach', 'beforeAll', 'afterAll'].includes(chain[1] ?? '');
      const title = isSuite || isCase ? titleOf(node.arguments[0], sf) : null;
      if (title !== null) {
        const own = [...matchAll(AC_IN_NAME, title), ...(stmt ? docTags(sf, stmt) : [])];
        const fn = node.arguments.find((a) => ts.isArrowFunction(a) || ts.isFunctionExpression(a));
        if (isSuite) {
          if (fn) walk(fn, [...suites, title], [...tags, ...own], null);
          return;
        }
        const { calls, refs } = fn ? bodyFacts(fn) : { calls: [], refs: new Set<string>() };
        for (const word of title.split(/[^\w$]+/)) if (IDENT.test(word)) refs.add(word);
        const { line } = posOf(sf, node);
        tests.push({
          test: { file: rel, line, name: [...suites, title].join(' › '), framework },
          title,
          calls,
          refs: [...refs],
          acTags: [...new Set([...fileTags, ...tags, ...own])],
        });
        return;
      }
    }
    ts.forEachChild(node, (child) => walk(child, suites, tags, stmt));
  };
  walk(sf, [], [], null);
  return { imports, tests };
}
