/**
 * Test helper: a real log read the way `beatscope serve` reads a file that is still being written. The log is
 * written out in growing prefixes (cut at line ends, without the final newline until the last round, so each
 * round's FileInfo carries the real "no final newline" diagnostic) to one path, and each prefix is parsed with the
 * real parse path (`parseFile`) under one fileId, with its real content print. Each round's entities are what a
 * parse of the file at that moment makes: runs still open at the cut are closed as incomplete (provisional), the
 * rest is final and reappears unchanged in later rounds.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contentPrint } from '../../src/importers/content-print.js';
import { parseFile } from '../../src/ingest/parse-file.js';
/** A real capture of the real musical-conductor (test/fixtures/README.md): every kind an extend can drop. */
export const GROWING_LOG = new URL('../fixtures/chrome-console/iso-beat-headers-filtered.log', import.meta.url)
    .pathname;
/** One round per fraction of the log's lines (the last one should be 1: the whole log). */
export async function readGrowingLog(fileId, fractions, log = GROWING_LOG) {
    const text = await readFile(log, 'utf8');
    const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
    const dir = await mkdtemp(join(tmpdir(), 'beatscope-growing-'));
    const path = join(dir, 'live.log');
    try {
        const rounds = [];
        for (const fraction of fractions) {
            const whole = fraction >= 1;
            await writeFile(path, whole ? text : lines.slice(0, Math.floor(lines.length * fraction)).join('\n'));
            const entities = [];
            const parsed = await parseFile(path, fileId, (batch) => {
                for (const e of batch)
                    entities.push(e);
            });
            rounds.push({ info: parsed.info, print: (await contentPrint(path)).print, entities });
        }
        return rounds;
    }
    finally {
        await rm(dir, { recursive: true, force: true });
    }
}
//# sourceMappingURL=growing-log.js.map