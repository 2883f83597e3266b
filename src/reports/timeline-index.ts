/**
 * Server-side lookups into the timeline data for the other report pages: from a handler-run, beat or run id to
 * a link into the timeline page and the log line it came from. Pages ask for a few thousand ids at most, so
 * nothing is built per beat up front: beat ids are split into run id + suffix and matched against the run's
 * beats, and handler-run ids are resolved in one pass for the ids a page announces (`prefetchHandlerRuns`),
 * with the whole handler-run map built only for an id not announced.
 */
import type { TimelineData } from '../analyses/timeline.js';

export class TimelineIndex {
  private runIndex: Map<string, number> | undefined;
  /** Beats by run: `beatsOfRun[runOffsets[r] .. runOffsets[r + 1])`, in beat order; run-less beats by id. */
  private runOffsets: Int32Array | undefined;
  private beatsOfRun: Int32Array | undefined;
  private loneBeats: Map<string, number> | undefined;
  /** Beat of a handler run by id, -1 for a known id without a drawn beat. */
  private readonly handlerRunBeat = new Map<string, number>();
  private allHandlerRuns = false;

  constructor(private readonly data: TimelineData) {}

  /** Whether the timeline covers only part of the store (TimelineWindow): other parts' ids have no link. */
  get windowed(): boolean {
    return this.data.window !== undefined;
  }

  /** `timeline.html#beat=<id>` for a beat, handler run or run (its first beat); null when not on the timeline. */
  href(ids: { beatRunId?: string | null; handlerRunId?: string | null; runId?: string | null }): string | null {
    let beat = ids.beatRunId ? this.beatOf(ids.beatRunId) : undefined;
    if (beat === undefined && ids.handlerRunId) beat = this.beatOfHandlerRun(ids.handlerRunId);
    if (beat === undefined && ids.runId) beat = this.firstBeatOfRun(ids.runId);
    return beat === undefined ? null : `timeline.html#beat=${encodeURIComponent(this.beatId(beat))}`;
  }

  /** 1-based log line of a beat, else of a run; null when unknown. */
  line(ids: { beatRunId?: string | null; runId?: string | null }): number | null {
    const beat = ids.beatRunId ? this.beatOf(ids.beatRunId) : undefined;
    if (beat !== undefined) return this.data.beats.line[beat]!;
    const run = ids.runId ? this.runs().get(ids.runId) : undefined;
    return run === undefined ? null : this.data.runs.line[run]!;
  }

  /** Axis position (timeline units) of an epoch time, for `from`/`to` links; null on the log-order axis. */
  axisOf(epochMs: number): number | null {
    return this.data.originMs === null ? null : epochMs - this.data.originMs;
  }

  private beatId(beat: number): string {
    const { strings: s, beats: b, runs } = this.data;
    const run = b.run[beat]!;
    return run >= 0 ? `${s[runs.id[run]!]}:${s[b.idSuffix[beat]!]}` : s[b.idSuffix[beat]!]!;
  }

  private runs(): Map<string, number> {
    if (this.runIndex === undefined) {
      const { strings: s, runs } = this.data;
      this.runIndex = new Map();
      for (let r = 0; r < runs.id.length; r++) this.runIndex.set(s[runs.id[r]!]!, r);
    }
    return this.runIndex;
  }

  private groupBeats(): void {
    const b = this.data.beats;
    const nRuns = this.data.runs.id.length;
    const offsets = new Int32Array(nRuns + 1);
    this.loneBeats = new Map();
    for (let i = 0; i < b.run.length; i++) {
      if (b.run[i]! >= 0) offsets[b.run[i]! + 1]!++;
      else if (!this.loneBeats.has(this.data.strings[b.idSuffix[i]!]!))
        this.loneBeats.set(this.data.strings[b.idSuffix[i]!]!, i);
    }
    for (let r = 0; r < nRuns; r++) offsets[r + 1]! += offsets[r]!;
    const items = new Int32Array(offsets[nRuns]!);
    const next = offsets.slice(0, nRuns);
    for (let i = 0; i < b.run.length; i++) if (b.run[i]! >= 0) items[next[b.run[i]!]!++] = i;
    this.runOffsets = offsets;
    this.beatsOfRun = items;
  }

  /** Beat index of a beat id: `<run id>:<suffix>` for a beat of a run, else its whole id. */
  private beatOf(id: string): number | undefined {
    if (this.beatsOfRun === undefined) this.groupBeats();
    const { strings: s, beats } = this.data;
    // Run ids contain ':' too: try every split, longest run id first.
    for (let cut = id.lastIndexOf(':'); cut > 0; cut = id.lastIndexOf(':', cut - 1)) {
      const run = this.runs().get(id.slice(0, cut));
      if (run === undefined) continue;
      const suffix = id.slice(cut + 1);
      for (let k = this.runOffsets![run]!; k < this.runOffsets![run + 1]!; k++)
        if (s[beats.idSuffix[this.beatsOfRun![k]!]!] === suffix) return this.beatsOfRun![k]!;
    }
    return this.loneBeats!.get(id);
  }

  private firstBeatOfRun(runId: string): number | undefined {
    if (this.beatsOfRun === undefined) this.groupBeats();
    const run = this.runs().get(runId);
    if (run === undefined || this.runOffsets![run] === this.runOffsets![run + 1]) return undefined;
    return this.beatsOfRun![this.runOffsets![run]!];
  }

  /**
   * Resolves these handler-run ids in one pass over the handler runs against a map of just them: a heatmap links
   * a few thousand of a million runs, and a map of all of them would cost more than the whole page.
   */
  prefetchHandlerRuns(ids: Iterable<string>): void {
    const wanted = new Set<string>();
    for (const id of ids) if (!this.handlerRunBeat.has(id)) wanted.add(id);
    if (wanted.size === 0 || this.allHandlerRuns) return;
    const h = this.data.handlerRuns;
    for (const id of wanted) this.handlerRunBeat.set(id, -1);
    for (let i = 0; i < h.id.length; i++) if (wanted.has(h.id[i]!)) this.handlerRunBeat.set(h.id[i]!, h.beat[i]!);
  }

  private beatOfHandlerRun(id: string): number | undefined {
    if (!this.handlerRunBeat.has(id) && !this.allHandlerRuns) {
      const h = this.data.handlerRuns;
      for (let i = 0; i < h.id.length; i++) this.handlerRunBeat.set(h.id[i]!, h.beat[i]!);
      this.allHandlerRuns = true;
    }
    const beat = this.handlerRunBeat.get(id);
    return beat === undefined || beat < 0 ? undefined : beat;
  }
}
