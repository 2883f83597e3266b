/**
 * The one label every output (text, Markdown, JSON, HTML pages, the timeline, trace exports) gives a sequence run
 * the log never named: the model stores `SequenceRun.sequenceName` as '' then, and readers show this instead.
 */
export const UNKNOWN_SEQUENCE = '(unknown)';

/** `name`, or the unknown-sequence label when the log gave none. */
export function sequenceLabel(name: string | null | undefined): string {
  return name || UNKNOWN_SEQUENCE;
}
