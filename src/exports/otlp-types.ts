/**
 * The OTLP/JSON shapes beatscope writes: the subset of `ExportTraceServiceRequest` (opentelemetry-proto
 * `collector/trace/v1/trace_service.proto`) it fills, with the OTLP/JSON encoding rules of the spec
 * (opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding): lowerCamelCase keys, trace and span ids as hex
 * (not base64), enums as integers, 64-bit integers (times, `intValue`) as decimal strings. Fields left at their
 * protobuf default are omitted, as a protobuf JSON printer does.
 */

export interface OtlpAnyValue {
  readonly stringValue?: string;
  readonly boolValue?: boolean;
  /** int64 as a decimal string. */
  readonly intValue?: string;
  readonly doubleValue?: number;
}

export interface OtlpKeyValue {
  readonly key: string;
  readonly value: OtlpAnyValue;
}

export interface OtlpSpanEvent {
  /** Unix epoch nanoseconds, decimal string. */
  readonly timeUnixNano: string;
  readonly name: string;
  readonly attributes: readonly OtlpKeyValue[];
}

/** `STATUS_CODE_ERROR`; spans that did not fail keep the default UNSET (no `status`), as instrumentations do. */
export const STATUS_CODE_ERROR = 2;
/** `SPAN_KIND_INTERNAL`: every span is work inside the app. */
export const SPAN_KIND_INTERNAL = 1;

export interface OtlpSpan {
  /** 32 hex characters (16 bytes). */
  readonly traceId: string;
  /** 16 hex characters (8 bytes). */
  readonly spanId: string;
  /** Absent on a trace's root span. */
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: typeof SPAN_KIND_INTERNAL;
  /** Unix epoch nanoseconds, decimal strings; end ≥ start. */
  readonly startTimeUnixNano: string;
  readonly endTimeUnixNano: string;
  readonly attributes: readonly OtlpKeyValue[];
  readonly events?: readonly OtlpSpanEvent[];
  readonly status?: { readonly code: typeof STATUS_CODE_ERROR; readonly message?: string };
}

export interface OtlpScopeSpans {
  readonly scope: { readonly name: string; readonly version: string };
  readonly spans: readonly OtlpSpan[];
}

export interface OtlpResourceSpans {
  readonly resource: { readonly attributes: readonly OtlpKeyValue[] };
  readonly scopeSpans: readonly OtlpScopeSpans[];
}

export interface OtlpTraceRequest {
  readonly resourceSpans: readonly OtlpResourceSpans[];
}

type AttributeValue = string | number | boolean | null | undefined;

/**
 * Key-values of the defined entries: integers as `intValue`, other numbers as `doubleValue`; null, undefined and
 * '' are left out (OTLP has no null, and an empty attribute says nothing). Durations are always doubles: pass
 * them through `double`.
 */
export function attributes(
  entries: Record<string, AttributeValue | { readonly double: number | null }>,
): OtlpKeyValue[] {
  const out: OtlpKeyValue[] = [];
  for (const [key, v] of Object.entries(entries)) {
    if (v === null || v === undefined || v === '') continue;
    if (typeof v === 'object') {
      if (v.double !== null) out.push({ key, value: { doubleValue: v.double } });
    } else if (typeof v === 'string') out.push({ key, value: { stringValue: v } });
    else if (typeof v === 'boolean') out.push({ key, value: { boolValue: v } });
    else if (Number.isSafeInteger(v)) out.push({ key, value: { intValue: String(v) } });
    else if (Number.isFinite(v)) out.push({ key, value: { doubleValue: v } });
  }
  return out;
}

/** A duration or other measured number kept as a double even when it is whole (`24` ms stays 24.0). */
export const double = (v: number | null): { readonly double: number | null } => ({ double: v });

/**
 * Epoch milliseconds (possibly fractional: derived times, 0.01 ms durations) as Unix nanoseconds, exactly: the
 * whole milliseconds and the fraction are scaled apart, since ms × 1e6 exceeds 2^53. Rounded to the nanosecond.
 */
export function unixNanos(ms: number): string {
  const whole = Math.floor(ms);
  const fraction = Math.round((ms - whole) * 1_000_000);
  return (BigInt(whole) * 1_000_000n + BigInt(fraction)).toString();
}
