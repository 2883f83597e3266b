/**
 * The part of one log file the timeline lays out around a line (`beatscope report timeline --at`): up to `cap` beat
 * runs of the file, half of them before the line where the file has them, so a beat deep in a big console is drawn
 * with what ran around it. Found with the store's `placeOf` alone (a search for how many beat runs start before the
 * line: about 2·log₂ of the file's beat runs queries), so every store answers it.
 */
import type { loadTraceData, TraceData } from '../analyses/trace-data.js';

type TelemetryStore = Parameters<typeof loadTraceData>[0];
type EntityPlace = NonNullable<Awaited<ReturnType<TelemetryStore['placeOf']>>>;

export interface PlacesAround {
  /** Where the window starts (undefined: at the file's start). */
  readonly from?: EntityPlace;
  /** Where it ends, exclusive (undefined: at the file's end). */
  readonly before?: EntityPlace;
}

/** The bounds of the window of `cap` beat runs of file `fileId` around its 1-based `line`. */
export async function placesAround(
  store: TelemetryStore,
  fileId: string,
  line: number,
  cap: number,
): Promise<PlacesAround> {
  const place = (n: number) => store.placeOf('beat-run', n, fileId);
  const startsBefore = async (n: number) => ((await place(n))?.line ?? Number.POSITIVE_INFINITY) < line;
  // How many beat runs start before `line`: the first n that does not. Grown by doubling, then halved down.
  let rank = 0;
  if (await startsBefore(0)) {
    let below = 0; // starts before the line
    let above = 1; // does not (or is past the file's last beat run)
    while (await startsBefore(above)) {
      below = above;
      above *= 2;
    }
    while (above - below > 1) {
      const mid = below + Math.floor((above - below) / 2);
      if (await startsBefore(mid)) below = mid;
      else above = mid;
    }
    rank = above;
  }
  const first = Math.max(0, rank - Math.floor(cap / 2));
  const [from, before] = await Promise.all([first === 0 ? undefined : place(first), place(first + cap)]);
  return { ...(from !== undefined && { from }), ...(before !== undefined && { before }) };
}

/**
 * `data`, read from a place inside file `fileId`, with the sessions of that file its runs and beats ran in that began
 * before it (a console is mostly one session, begun at its first lines): the timeline draws its lanes per session.
 */
export async function withSessionsBegunBefore(
  store: TelemetryStore,
  data: TraceData,
  fileId: string,
): Promise<TraceData> {
  const have = new Set(data.sessions.map((s) => s.id));
  const used = new Set([...data.runs, ...data.beats].map((e) => e.sessionId));
  const begun = (await store.entities('session', { fileIds: [fileId] })).filter(
    (s) => used.has(s.id) && !have.has(s.id),
  );
  return begun.length === 0 ? data : { ...data, sessions: [...begun, ...data.sessions] };
}
