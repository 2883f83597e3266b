import { describe, expect, it } from 'vitest';
import type { HandlerTestLink } from '../model/code-index.js';
import { analyzeCoverage } from './coverage.js';
import { codeIndex, handlerDefinition, handlerRun, traceData } from './trace-fixtures.js';

const test = (file: string, name: string): HandlerTestLink => ({
  test: { file, line: 1, name, framework: 'vitest' },
  evidence: 'import-call',
});
const code = codeIndex({
  handlers: [
    handlerDefinition('load', 'LoadPlugin', { tests: [test('a.spec.ts', 'load'), test('b.spec.ts', 'load again')] }),
    handlerDefinition('notify', 'LoadPlugin', { sequences: [{ id: 'load-symphony', beat: 2, event: 'load:notify' }] }),
    handlerDefinition('notify', 'SavePlugin', { tests: [test('save.spec.ts', 'notify')] }),
    handlerDefinition('legacy', 'SavePlugin', { location: null, unresolvedReason: 'export not found' }),
  ],
});
const data = traceData({
  handlerRuns: [
    handlerRun('h1', 'load'),
    handlerRun('h2', 'notify'),
    handlerRun('h3', 'notify', { status: 'error' }),
    handlerRun('h4', 'notify'),
    handlerRun('h5', 'renamedHandler', { pluginId: 'SavePlugin' }),
  ],
});

describe('analyzeCoverage', () => {
  const report = analyzeCoverage(data, code);

  it('sorts handlers by risk: production executions of untested handlers', () => {
    expect(report.handlers).toEqual([
      {
        handler: 'notify',
        pluginId: 'LoadPlugin',
        quadrant: 'used-untested',
        executions: 3,
        errors: 1,
        share: 0.6,
        tests: 0,
        testFiles: [],
        risk: 3,
        sourceFile: 'src/notify.ts',
        sourceLine: 3,
        sequences: ['load-symphony'],
      },
      {
        handler: 'load',
        pluginId: 'LoadPlugin',
        quadrant: 'used-tested',
        executions: 1,
        errors: 0,
        share: 0.2,
        tests: 2,
        testFiles: ['a.spec.ts', 'b.spec.ts'],
        risk: 0,
        sourceFile: 'src/load.ts',
        sourceLine: 3,
        sequences: [],
      },
      {
        handler: 'notify',
        pluginId: 'SavePlugin',
        quadrant: 'tested-unused',
        executions: 0,
        errors: 0,
        share: 0,
        tests: 1,
        testFiles: ['save.spec.ts'],
        risk: 0,
        sourceFile: 'src/notify.ts',
        sourceLine: 3,
        sequences: [],
      },
      {
        handler: 'legacy',
        pluginId: 'SavePlugin',
        quadrant: 'dead',
        executions: 0,
        errors: 0,
        share: 0,
        tests: 0,
        testFiles: [],
        risk: 0,
        sourceFile: null,
        sourceLine: null,
        sequences: [],
      },
    ]);
  });

  it('counts quadrants, plugins, hot paths and handlers the code does not know', () => {
    expect(report.summary).toEqual({
      defined: 4,
      used: 2,
      tested: 2,
      quadrants: { 'used-tested': 1, 'used-untested': 1, 'tested-unused': 1, dead: 1 },
      executions: 5,
      untestedExecutions: 3,
      usedShare: 0.5,
      testedShare: 0.5,
    });
    expect(report.plugins).toEqual([
      {
        pluginId: 'LoadPlugin',
        defined: 2,
        used: 2,
        tested: 1,
        quadrants: { 'used-tested': 1, 'used-untested': 1, 'tested-unused': 0, dead: 0 },
        executions: 4,
        untestedExecutions: 3,
      },
      {
        pluginId: 'SavePlugin',
        defined: 2,
        used: 0,
        tested: 1,
        quadrants: { 'used-tested': 0, 'used-untested': 0, 'tested-unused': 1, dead: 1 },
        executions: 0,
        untestedExecutions: 0,
      },
    ]);
    expect(report.hotPaths).toEqual([
      { handler: 'notify', pluginId: 'LoadPlugin', executions: 3 },
      { handler: 'load', pluginId: 'LoadPlugin', executions: 1 },
      { handler: 'renamedHandler', pluginId: 'SavePlugin', executions: 1 },
    ]);
    expect(report.unknownHandlers).toEqual([{ handler: 'renamedHandler', pluginId: 'SavePlugin', executions: 1 }]);
    expect(report.notes).toEqual([
      '1 handler(s) ran in production but are not in the code index (renamed, removed, or outside the indexed tree)',
    ]);
  });
});
