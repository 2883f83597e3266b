/**
 * Every importer, most specific first, and format detection by content (the file name is never
 * consulted). Detection asks each importer for a sniff score on the first lines and takes the highest;
 * ties go to the earlier importer. Below MIN_SCORE the plain-text fallback is used, so any text file
 * can be ingested and no line is ever dropped.
 *
 * Line accounting for callers: each physical line either lands in a record (first line or
 * continuation) or is passed to `sink.unknown`; lines that are neither (blank lines, structural lines
 * such as a JSON array's brackets or a TSV header) are recognized noise. So
 * `linesRecognized = lines - linesUnknown`.
 */
import { chromeConsoleImporter } from './chrome-console.js';
import { cypressCaptureImporter } from './cypress-capture.js';
import { dotnetMelConsoleImporter } from './dotnet-mel-console.js';
import type { Importer } from './importer.js';
import { jsonlEventsImporter } from './jsonl-events.js';
import { logFileIndexImporter } from './log-file-index.js';
import { nodeConsoleImporter } from './node-console.js';
import { plainTextImporter } from './plain-text.js';
import { playwrightCaptureImporter } from './playwright-capture.js';
import { serilogImporter } from './serilog.js';

/** Priority order: breaks sniff-score ties, most specific envelope first. */
export const IMPORTERS: readonly Importer[] = [
  jsonlEventsImporter,
  logFileIndexImporter,
  playwrightCaptureImporter,
  dotnetMelConsoleImporter,
  serilogImporter,
  cypressCaptureImporter,
  chromeConsoleImporter,
  nodeConsoleImporter,
  plainTextImporter,
];

export const FALLBACK_IMPORTER: Importer = plainTextImporter;

/** A best score below this means "no envelope recognized": the fallback reads the file. */
export const MIN_SCORE = 0.2;

export interface FormatScore {
  readonly importer: Importer;
  /** Sniff confidence in [0, 1]. */
  readonly score: number;
}

/** All importers with their scores, best first (stable: ties keep priority order). For `--explain` output. */
export function rankFormats(sample: readonly string[]): FormatScore[] {
  return IMPORTERS.map((importer) => ({ importer, score: importer.sniff(sample) })).sort((a, b) => b.score - a.score);
}

/** The importer for a file whose first lines are `sample` (at most ~200, decoded). */
export function detectFormat(sample: readonly string[]): Importer {
  const best = rankFormats(sample)[0];
  return best && best.score >= MIN_SCORE ? best.importer : FALLBACK_IMPORTER;
}

/** Looks an importer up by id, for a `--format` override or a re-ingest that stored the id. */
export function importerById(id: string): Importer | undefined {
  return IMPORTERS.find((importer) => importer.id === id);
}
