import { ReplayInputError } from '../../replay/find-capture.js';
import { replay } from '../../replay/replay.js';
import { renderReplayText } from '../../replay/replay-text.js';
import { UsageError } from '../errors.js';
import { writeCliJson } from '../json-output.js';
import { openStore } from '../open-store.js';

/** `beatscope replay <id> --code <repo>`: exit 0 when the replay matches the capture, 1 when it does not. */
export async function runReplay(id: string, opts: { db: string; code: string; format: string }): Promise<void> {
  if (opts.format !== 'text' && opts.format !== 'json') {
    throw new UsageError(`unknown --format "${opts.format}"`, 'replay formats: text, json');
  }
  const store = await openStore(opts.db, 'read');
  try {
    const report = await replay({ store, id, codeDir: opts.code }).catch((error: unknown) => {
      if (!(error instanceof ReplayInputError)) throw error;
      const list = error.candidates.map((c) => `\n  ${c}`).join('');
      throw new UsageError(
        `${error.message}${list}`,
        error.hint ?? 'beatscope sql "select id, sequence_id, request_id from sequence_runs"',
      );
    });
    if (opts.format === 'json') writeCliJson('replay', report);
    else process.stdout.write(renderReplayText(report));
    if (!report.match) process.exitCode = 1;
  } finally {
    await store.close();
  }
}
