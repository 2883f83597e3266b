/**
 * "Align sessions at their start": a copy of the decoded timeline where every time is measured from its own
 * session's start, so sessions recorded hours or days apart overlap on one axis and each lane shows its beats
 * at the same zoom. Pure column arithmetic (axis units: ms, or log lines on the log-order axis); the original
 * columns are not touched, so toggling back is free.
 */
import type { DecodedTimeline } from '../reports/timeline-pack.js';

type Col = ArrayLike<number>;

function shifted(values: Col, offsetOf: (i: number) => number): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i]! - offsetOf(i);
  return out;
}

export function alignSessions(d: DecodedTimeline): DecodedTimeline {
  const ss = d.sessions;
  const sessionStart = Float64Array.from(ss.start);
  // Lane → its session's start (lanes of one session are contiguous: firstLane .. firstLane + laneCount).
  const laneOffset = new Float64Array(d.lanes.session.length);
  for (let si = 0; si < ss.id.length; si++)
    for (let k = 0; k < ss.laneCount[si]!; k++) laneOffset[ss.firstLane[si]! + k] = sessionStart[si]!;
  const ofLane = (lanes: Col) => (i: number) => (lanes[i]! >= 0 ? laneOffset[lanes[i]!]! : 0);

  // Beats are delta-coded from the previous beat: rebuild absolute starts, shift, re-delta.
  const b = d.beats;
  const startDelta = new Float64Array(b.startDelta.length);
  let abs = 0;
  let prev = 0;
  for (let i = 0; i < startDelta.length; i++) {
    abs += b.startDelta[i]!;
    const aligned = abs - ofLane(b.lane)(i);
    startDelta[i] = aligned - prev;
    prev = aligned;
  }
  return {
    ...d,
    sessions: {
      ...ss,
      start: ss.start.map(() => 0),
      end: ss.end.map((e, si) => e - sessionStart[si]!),
    },
    runs: {
      ...d.runs,
      start: shifted(d.runs.start, ofLane(d.runs.lane)),
      end: shifted(d.runs.end, ofLane(d.runs.lane)),
    },
    beats: { ...b, startDelta },
    handlerRuns: {
      ...d.handlerRuns,
      start: shifted(d.handlerRuns.start, ofLane(d.handlerRuns.lane)),
      end: shifted(d.handlerRuns.end, ofLane(d.handlerRuns.lane)),
    },
    errors: { ...d.errors, at: Array.from(shifted(d.errors.at, ofLane(d.errors.lane))) },
    gaps: {
      ...d.gaps,
      start: d.gaps.start.map((t, i) => t - (sessionStart[d.gaps.session[i]!] ?? 0)),
      end: d.gaps.end.map((t, i) => t - (sessionStart[d.gaps.session[i]!] ?? 0)),
    },
  };
}
