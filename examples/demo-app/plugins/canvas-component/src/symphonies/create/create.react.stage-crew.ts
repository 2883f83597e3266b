import type { HandlerContext } from '../../../../../sdk/types.js';
import { delay } from '../../../../../sdk/types.js';

/** Async like a React commit: the conductor does not await it, so its time is not in the beat duration. */
export async function renderReact(_data: unknown, ctx: HandlerContext) {
  const started = performance.now();
  await delay(3);
  const node = ctx.payload['node'] as { children?: unknown[] } | undefined;
  ctx.payload['rendered'] = {
    children: node?.children?.length ?? 0,
    commitMs: Math.round(performance.now() - started),
  };
}
