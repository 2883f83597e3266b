/**
 * `testFile` / `testCase` links written in sequence JSON. Paths were written on Windows and often point
 * into an installed package (`node_modules\@renderx-plugins\canvas\__tests__\x.spec.ts`); those map to
 * the workspace package of that name, or of the same last name segment (packages were renamed from
 * `@renderx-plugins/*` to `@renderx-web/*`). Other paths are tried relative to the plugin root, then the
 * repository root. A path that matches no file is a stale link problem on the sequence file.
 */
import path from 'node:path';
import type { IndexProblem } from '../model/code-index.js';
import type { LinkContext } from './link-context.js';
import type { HandlerDraft } from './link-handlers.js';
import type { LinkedSequence } from './link-sequences.js';
import type { AddLink } from './link-tests.js';

/** The test files that sequence `testFile` fields point to (what `linkSequenceTests` reads). */
export function sequenceTestFiles(ctx: LinkContext, sequences: readonly LinkedSequence[]): string[] {
  const out = new Set<string>();
  for (const { def } of sequences) {
    for (const mov of def.movements) {
      for (const beat of mov.beats) {
        if (!beat.testFile || !beat.handler) continue;
        const { found } = findTestFile(ctx, def.source.file, beat.testFile);
        if (found) out.add(found);
      }
    }
  }
  return [...out];
}

export function linkSequenceTests(
  ctx: LinkContext,
  sequences: readonly LinkedSequence[],
  byName: ReadonlyMap<string, readonly HandlerDraft[]>,
  addLink: AddLink,
): void {
  const reported = new Set<string>();
  const report = (p: IndexProblem): void => {
    const key = `${p.file}\u0000${p.message}`;
    if (reported.has(key)) return;
    reported.add(key);
    ctx.problems.push(p);
  };
  for (const { def } of sequences) {
    for (const mov of def.movements) {
      for (const beat of mov.beats) {
        if (!beat.testFile || !beat.handler) continue;
        const { found, tried } = findTestFile(ctx, def.source.file, beat.testFile);
        const where = `beat ${beat.beat} (${beat.handler}) of ${def.id}`;
        if (!found) {
          report({
            file: def.source.file,
            line: def.source.line,
            severity: 'warning',
            message: `stale testFile link for ${where}: '${beat.testFile}' matches no file (tried ${tried.join(', ') || 'nothing'})`,
          });
          continue;
        }
        const tests = ctx.testFiles.get(found)?.tests ?? [];
        const tc = beat.testCase;
        const matches = tc
          ? tests.filter((t) => t.title === tc || t.test.name === tc || t.test.name.endsWith(` › ${tc}`))
          : [];
        if (tc && matches.length === 0) {
          report({
            file: def.source.file,
            line: def.source.line,
            severity: 'info',
            message: `testCase '${tc}' for ${where} not found in ${found}`,
          });
        }
        const drafts = (byName.get(beat.handler) ?? []).filter(
          (d) => d.pluginId === def.pluginId && d.sequences.some((s) => s.id === def.id && s.beat === beat.beat),
        );
        for (const d of drafts) for (const t of matches) addLink(d, t.test, 'sequence-test-link');
      }
    }
  }
}

function findTestFile(ctx: LinkContext, seqFile: string, testFile: string): { found: string | null; tried: string[] } {
  const tried: string[] = [];
  const exists = (p: string): boolean => ctx.facts.has(p);
  const parts = testFile.split('/');
  if (parts[0] === 'node_modules') {
    const scoped = parts[1]?.startsWith('@');
    const name = scoped ? `${parts[1]}/${parts[2]}` : (parts[1] ?? '');
    const rest = parts.slice(scoped ? 3 : 2).join('/');
    const last = name.slice(name.lastIndexOf('/') + 1);
    const dirs = ctx.packages.has(name)
      ? [ctx.packages.get(name)!]
      : [...ctx.packages].filter(([n]) => n.slice(n.lastIndexOf('/') + 1) === last).map(([, d]) => d);
    for (const dir of dirs) {
      const p = path.posix.join(dir || '.', rest);
      tried.push(p);
      if (exists(p)) return { found: p, tried };
    }
    if (dirs.length === 0) tried.push(`(no workspace package named ${name} or */${last})`);
    return { found: null, tried };
  }
  const roots = new Set<string>();
  const pkg = ctx.packageDirOf(seqFile);
  if (pkg !== null) roots.add(pkg);
  const seqParts = seqFile.split('/');
  const js = seqParts.lastIndexOf('json-sequences');
  if (js >= 0) roots.add(seqParts.slice(0, js).join('/'));
  roots.add('');
  for (const r of roots) {
    const p = path.posix.normalize(path.posix.join(r || '.', testFile));
    if (tried.includes(p)) continue;
    tried.push(p);
    if (exists(p)) return { found: p, tried };
  }
  return { found: null, tried };
}
