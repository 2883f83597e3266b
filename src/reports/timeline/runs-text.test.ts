import { describe, expect, it } from 'vitest';
import { sequenceRun, session, traceData } from '../../analyses/trace-fixtures.js';
import { renderRunsMd, renderRunsText } from './runs-text.js';

// One file's sessions in (file, line) order: two with timestamps, then two without (s2 before s13).
const data = traceData({
  sessions: [
    session('f:s0', 5000, 6000),
    session('f:s1', 1000, 2000),
    session('f:s2', null, null),
    session('f:s13', null, null),
  ],
  runs: [
    sequenceRun('f:s1:r1', { sessionId: 'f:s1', sequenceName: 'Load', startMs: 1100, durationMs: 12 }),
    sequenceRun('f:s2:r1', { sessionId: 'f:s2', sequenceName: '', sequenceId: null, status: 'incomplete' }),
    sequenceRun('f:s13:r1', { sessionId: 'f:s13', sequenceName: 'Save' }),
    sequenceRun('f:s13:r2', { sessionId: 'f:s13', sequenceName: 'Save' }),
  ],
});

describe('the timeline as text', () => {
  it('lists sessions by start time, untimed ones last in log order, and only counts those that ran nothing', () => {
    const text = renderRunsText(data, { colors: false });
    expect(text.split('\n').filter((l) => l.startsWith('Session') || l.includes('ran no sequence'))).toEqual([
      'Session 1 · f:s1 · 1970-01-01T00:00:01.000Z → 00:00:02.000 · 1 run',
      'Session 3 · f:s2 · no timestamps · 1 run',
      'Session 4 · f:s13 · no timestamps · 2 runs',
      '1 more session ran no sequence (not listed; beatscope sql "select * from sessions")',
    ]);
    expect(text).toContain('(unknown)');
    expect(renderRunsMd(data)).toContain('\n_1 more session ran no sequence');
  });
});
