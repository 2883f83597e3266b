/**
 * Rebuilds sessions, sequence → movement → beat → handler runs and everything around them from a
 * file's records, in file order. Streaming: finished runs are emitted in batches while the file is
 * read; only open runs and a short window of recently closed ones (for late DataBaton and handler-error
 * lines) are held in memory.
 */
import type { Gap, LogMessage, TraceEntity } from '../entities.js';
import type { TelemetryEvent } from '../events.js';
import type { LogRecord } from '../log-record.js';
import type { PendingPlay, SessionDraft } from './drafts.js';
import { applyMountEvent } from './plugin-mounts.js';
import { RunTracker } from './run-tracker.js';
import { templateOf } from './template.js';

export interface TraceBuilderOptions {
  readonly fileId: string;
  /** A silence longer than this between two timestamped lines is a gap (ms). Default 1000. */
  readonly gapThresholdMs?: number;
  /** Entities are handed to the sink in batches of about this many. Default 5000. */
  readonly batchSize?: number;
}

export type EntitySink = (batch: TraceEntity[]) => void;

export interface BuildStats {
  readonly sessions: number;
  /** Physical lines kept as unknown lines. */
  readonly linesUnknown: number;
}

export class TraceBuilder {
  private readonly gapThresholdMs: number;
  private readonly batchSize: number;
  /** Entities finished since the last batch went to the sink. Never replaced: the run tracker pushes to it too. */
  private readonly out: TraceEntity[] = [];
  private sessionCount = 0;
  /** Records and unknown lines seen in the current session. */
  private sessionEntries = 0;
  private linesUnknown = 0;
  private session!: SessionDraft;
  private runs!: RunTracker;
  private lastTimeMs: number | null = null;
  private lastTimeLine = 0;
  private lastLine = 0;
  private lastPlay: PendingPlay | null = null;
  private pendingCorrelation: string | null = null;
  private readonly pendingByName = new Map<string, PendingPlay[]>();
  private readonly nameToId = new Map<string, string>();
  private readonly idToName = new Map<string, string>();
  private readonly idToPlugin = new Map<string, string>();
  private readonly registered = new Set<string>();

  constructor(
    private readonly options: TraceBuilderOptions,
    private readonly sink: EntitySink,
  ) {
    this.gapThresholdMs = options.gapThresholdMs ?? 1000;
    this.batchSize = options.batchSize ?? 5000;
    this.openSession(1, 'file-start');
  }

  /** Feeds one record with its classification (`undefined`: no grammar recognized the message). */
  add(record: LogRecord, event: TelemetryEvent | undefined): void {
    const line = record.line;
    const endLine = line + record.lineCount - 1;
    if (event?.kind === 'session-start' && this.session.active) {
      this.closeSession();
      this.openSession(line, event.marker);
    } else if (event?.kind === 'session-start' && this.session.value.marker === 'file-start') {
      this.session.value.marker = event.marker;
    }
    this.lastLine = endLine;
    this.sessionEntries++;
    this.session.value.endLine = endLine;
    const t = record.timeMs ?? null;
    if (t !== null) this.trackTime(t, line);
    if (event === undefined) {
      if (record.level === undefined || record.level === 'log' || record.level === 'info' || record.level === 'debug') {
        this.addUnknown(line, record.lineCount, record.message);
        return;
      }
    } else {
      this.apply(event, line, endLine, t);
    }
    const level = record.level;
    if ((level === 'warn' || level === 'error') && event?.kind !== 'warning' && event?.kind !== 'error') {
      this.logMessage(level, undefined, record.message, t, line);
    }
    if (this.out.length >= this.batchSize) this.drain();
  }

  /** The records that follow belong to another capture: close the session and open a new one. */
  boundary(line: number, label: string): void {
    if (this.sessionEntries > 0) {
      this.closeSession();
      this.openSession(line, label);
    } else this.session.value.marker = label;
  }

  /** A physical line the envelope parser could not place in any entry. */
  unknown(line: number, text: string): void {
    this.sessionEntries++;
    this.lastLine = Math.max(this.lastLine, line);
    this.session.value.endLine = Math.max(this.session.value.endLine, line);
    this.addUnknown(line, 1, text);
  }

  /** Hands every entity finished so far to the sink now (between rounds of a growing file). */
  flush(): void {
    this.drain();
  }

  finish(): BuildStats {
    // A session with nothing in it (an empty file, a capture boundary on the last line) is no app start.
    if (this.sessionEntries > 0) this.closeSession();
    else this.sessionCount--;
    this.drain();
    return { sessions: this.sessionCount, linesUnknown: this.linesUnknown };
  }

  private apply(e: TelemetryEvent, line: number, endLine: number, t: number | null): void {
    const runs = this.runs;
    switch (e.kind) {
      case 'session-start':
      case 'noise':
      case 'dequeued':
      case 'unsubscribed':
      case 'movement-cleanup': // the legacy "Cleaned up failed movement" line follows successful movements too
        return;
      case 'plugin-mount-attempt':
      case 'plugin-mount-augment':
      case 'plugin-mount-success':
      case 'plugin-mount-failure':
        this.session.active = true;
        applyMountEvent(this.session.mounts, e, {
          sessionId: this.session.value.id,
          fileId: this.options.fileId,
          t,
          line,
        });
        return;
      case 'plugin-not-found':
        this.lastPlay = null;
        this.logMessage('warn', 'PluginManager', `Plugin not found: ${e.pluginId}`, t, line);
        return;
      case 'sequence-registered':
        this.register(e.sequenceId ?? null, e.sequenceName ?? null, e.pluginId ?? null, e.via, t, line);
        return;
      case 'subscribed':
        this.out.push({
          kind: 'subscription',
          sessionId: this.session.value.id,
          event: e.event,
          subscribers: e.subscribers ?? null,
          pluginId: e.pluginId ?? null,
          sequenceId: e.sequenceId ?? null,
          cleanup: e.cleanup,
          host: e.host,
          timeMs: t,
          line,
        });
        if (e.pluginId !== undefined && e.sequenceId !== undefined && !e.cleanup) {
          this.idToPlugin.set(e.sequenceId, e.pluginId);
          if (!this.registered.has(e.sequenceId))
            this.register(e.sequenceId, null, e.pluginId, 'subscription', t, line);
        }
        return;
      case 'published':
        this.out.push({
          kind: 'publish',
          sessionId: this.session.value.id,
          event: e.event,
          source: e.source,
          timeMs: t,
          line,
        });
        return;
      case 'play-request':
        this.session.active = true;
        this.lastPlay = {
          pluginId: e.pluginId,
          sequenceId: e.sequenceId,
          sequenceName: this.idToName.get(e.sequenceId) ?? null,
          correlationId: this.pendingCorrelation,
          priority: null,
        };
        this.pendingCorrelation = null;
        return;
      case 'correlation':
        this.pendingCorrelation = e.correlationId;
        return;
      case 'execution-hash':
        return;
      case 'enqueued': {
        const play = this.lastPlay ?? {
          pluginId: null,
          sequenceId: null,
          sequenceName: null,
          correlationId: null,
          priority: null,
        };
        play.priority = e.priority;
        play.sequenceName = e.sequence;
        this.lastPlay = null;
        const list = this.pendingByName.get(e.sequence);
        if (list) list.push(play);
        else this.pendingByName.set(e.sequence, [play]);
        return;
      }
      case 'sequence-start': {
        this.session.active = true;
        const play = this.pendingByName.get(e.sequence)?.shift();
        // .NET native templates name the sequence by id and print RequestId/PluginId inline.
        const isId = e.requestId !== undefined;
        const sequenceId = isId ? e.sequence : (play?.sequenceId ?? this.nameToId.get(e.sequence) ?? null);
        runs.start({
          sequenceName: isId ? (this.idToName.get(e.sequence) ?? e.sequence) : e.sequence,
          sequenceId,
          pluginId: e.pluginId ?? play?.pluginId ?? (sequenceId ? this.idToPlugin.get(sequenceId) : undefined) ?? null,
          requestId: e.requestId ?? null,
          correlationId: play?.correlationId ?? null,
          priority: play?.priority ?? null,
          t,
          line,
        });
        return;
      }
      case 'sequence-queued':
        this.nameToId.set(e.sequenceName, e.sequenceId);
        this.idToName.set(e.sequenceId, e.sequenceName);
        runs.learnSequenceId(e.sequenceName, e.sequenceId, this.idToPlugin.get(e.sequenceId) ?? null);
        for (const p of this.pendingByName.get(e.sequenceName) ?? []) p.sequenceId ??= e.sequenceId;
        return;
      case 'request-id':
        runs.setRequestId(e.requestId);
        return;
      case 'sequence-complete':
        runs.endRun(e.sequence, 'completed', { durationMs: e.durationMs ?? null, t, line: endLine });
        return;
      case 'sequence-failed':
        runs.endRun(e.sequence, 'failed', { error: e.error ?? null, failedBeat: e.beat ?? null, t, line: endLine });
        return;
      case 'sequence-stopped':
        runs.endRun(e.sequence, 'stopped', { t, line: endLine });
        return;
      case 'sequence-rejected':
        this.lastPlay = null;
        this.logMessage('warn', 'SequenceOrchestrator', `Sequence request rejected: ${e.reason}`, t, line);
        return;
      case 'warning':
      case 'error':
        this.logMessage(e.kind === 'warning' ? 'warn' : 'error', e.component, e.text, t, line);
        return;
      default:
        runs.apply(e, line, endLine, t);
    }
  }

  private register(
    sequenceId: string | null,
    sequenceName: string | null,
    pluginId: string | null,
    via: 'registry' | 'plugin-manager' | 'catalog' | 'native' | 'subscription',
    t: number | null,
    line: number,
  ): void {
    if (sequenceName !== null && sequenceId !== null) {
      this.nameToId.set(sequenceName, sequenceId);
      this.idToName.set(sequenceId, sequenceName);
    }
    const id = sequenceId ?? (sequenceName !== null ? (this.nameToId.get(sequenceName) ?? null) : null);
    const name = sequenceName ?? (id !== null ? (this.idToName.get(id) ?? null) : null);
    // A mount registers its sequences right after "Attempting to mount plugin: <id>".
    const plugin = pluginId ?? (id ? this.idToPlugin.get(id) : undefined) ?? this.lastMountPlugin();
    if (id !== null && plugin !== null) this.idToPlugin.set(id, plugin);
    if (id !== null) this.registered.add(id);
    this.out.push({
      kind: 'sequence-registration',
      sessionId: this.session.value.id,
      sequenceId: id,
      sequenceName: name,
      pluginId: plugin,
      via,
      timeMs: t,
      line,
    });
  }

  private lastMountPlugin(): string | null {
    const m = this.session.mounts[this.session.mounts.length - 1];
    return m?.pluginId ?? null;
  }

  private trackTime(t: number, line: number): void {
    const s = this.session.value;
    if (s.startMs === null) s.startMs = t;
    if (s.endMs === null || t > s.endMs) s.endMs = t;
    if (this.lastTimeMs !== null && t - this.lastTimeMs > this.gapThresholdMs) {
      const gap: Gap = {
        kind: 'gap',
        sessionId: s.id,
        startMs: this.lastTimeMs,
        endMs: t,
        durationMs: t - this.lastTimeMs,
        beforeLine: this.lastTimeLine,
        afterLine: line,
      };
      this.out.push(gap);
    }
    if (this.lastTimeMs === null || t >= this.lastTimeMs) {
      this.lastTimeMs = t;
      this.lastTimeLine = line;
    }
    this.runs.flushOlderThan(t);
  }

  private logMessage(
    level: 'warn' | 'error',
    component: string | undefined,
    text: string,
    t: number | null,
    line: number,
  ): void {
    const m: LogMessage = {
      kind: 'log-message',
      sessionId: this.session.value.id,
      level,
      component: component ?? null,
      text,
      timeMs: t,
      line,
    };
    this.out.push(m);
  }

  private addUnknown(line: number, lineCount: number, text: string): void {
    this.linesUnknown += lineCount;
    this.out.push({ kind: 'unknown-line', sessionId: this.session.value.id, line, text, template: templateOf(text) });
  }

  private openSession(line: number, marker: string): void {
    const id = `${this.options.fileId}:s${this.sessionCount}`;
    this.session = {
      value: {
        kind: 'session',
        id,
        fileId: this.options.fileId,
        index: this.sessionCount,
        startLine: line,
        endLine: line,
        startMs: null,
        endMs: null,
        marker,
      },
      mounts: [],
      active: false,
    };
    this.sessionCount++;
    this.sessionEntries = 0;
    this.lastTimeMs = null;
    this.lastPlay = null;
    this.pendingCorrelation = null;
    this.pendingByName.clear();
    this.registered.clear();
    this.runs = new RunTracker(this.options.fileId, id, this.out);
  }

  private closeSession(): void {
    this.runs.closeAll(this.out);
    for (const m of this.session.mounts) this.out.push(m);
    this.out.push(this.session.value);
  }

  private drain(): void {
    if (this.out.length === 0) return;
    this.sink(this.out.splice(0, this.out.length));
  }

  /** The last physical line seen, for diagnostics. */
  get line(): number {
    return this.lastLine;
  }
}
