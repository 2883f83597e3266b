/**
 * Server-side lookups into the timeline data for the other report pages: from a handler-run, beat or run id to
 * a link into the timeline page and the log line it came from.
 */
import type { TimelineData } from '../analyses/timeline.js';

export class TimelineIndex {
  private readonly beatOfHandlerRun = new Map<string, string>();
  private readonly beatLine = new Map<string, number>();
  private readonly runLine = new Map<string, number>();
  private readonly firstBeatOfRun = new Map<string, string>();

  constructor(private readonly data: TimelineData) {
    const s = data.strings;
    const beatIds: string[] = [];
    const b = data.beats;
    for (let i = 0; i < b.idSuffix.length; i++) {
      const run = b.run[i]!;
      const runId = run >= 0 ? s[data.runs.id[run]!] : undefined;
      const id = runId === undefined ? s[b.idSuffix[i]!]! : `${runId}:${s[b.idSuffix[i]!]}`;
      beatIds.push(id);
      this.beatLine.set(id, b.line[i]!);
      if (runId !== undefined && !this.firstBeatOfRun.has(runId)) this.firstBeatOfRun.set(runId, id);
    }
    data.runs.id.forEach((id, r) => {
      this.runLine.set(s[id]!, data.runs.line[r]!);
    });
    const h = data.handlerRuns;
    for (let i = 0; i < h.id.length; i++)
      if (h.beat[i]! >= 0) this.beatOfHandlerRun.set(h.id[i]!, beatIds[h.beat[i]!]!);
  }

  /** `timeline.html#beat=<id>` for a beat, handler run or run (its first beat); null when not on the timeline. */
  href(ids: { beatRunId?: string | null; handlerRunId?: string | null; runId?: string | null }): string | null {
    const beat =
      (ids.beatRunId && this.beatLine.has(ids.beatRunId) ? ids.beatRunId : undefined) ??
      (ids.handlerRunId ? this.beatOfHandlerRun.get(ids.handlerRunId) : undefined) ??
      (ids.runId ? this.firstBeatOfRun.get(ids.runId) : undefined);
    return beat === undefined ? null : `timeline.html#beat=${encodeURIComponent(beat)}`;
  }

  /** 1-based log line of a beat, else of a run; null when unknown. */
  line(ids: { beatRunId?: string | null; runId?: string | null }): number | null {
    return (
      (ids.beatRunId ? this.beatLine.get(ids.beatRunId) : undefined) ??
      (ids.runId ? this.runLine.get(ids.runId) : undefined) ??
      null
    );
  }

  /** Axis position (timeline units) of an epoch time, for `from`/`to` links; null on the log-order axis. */
  axisOf(epochMs: number): number | null {
    return this.data.originMs === null ? null : epochMs - this.data.originMs;
  }
}
