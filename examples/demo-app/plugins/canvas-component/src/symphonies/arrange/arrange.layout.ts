import type { HandlerContext } from '../../../../../sdk/types.js';

export interface LayoutNode {
  id: string;
  /** Canvas pixels. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface RelaxData {
  /** Time budget of the solver in ms; the canvas asks for a good layout within ~200 ms. */
  layoutBudgetMs?: number;
}

/** Padding kept between components, in canvas pixels. */
const GAP = 16;

/**
 * Pushes overlapping boxes apart until the time budget runs out. The budget, not convergence, ends the loop
 * (an anytime solver), so this handler is deliberately the slowest one in the app.
 */
export function relaxLayout(data: RelaxData, ctx: HandlerContext) {
  const budgetMs = data.layoutBudgetMs ?? 200;
  const source = (ctx.payload['nodes'] as LayoutNode[] | undefined) ?? [];
  // Jittered copies: identical boxes would never separate.
  const nodes = source.map((n, i) => ({ ...n, x: n.x + (i % 3), y: n.y + (i % 5) }));
  const started = performance.now();
  let iterations = 0;
  while (performance.now() - started < budgetMs) {
    for (let i = 0; i < nodes.length; i++) {
      for (let j = i + 1; j < nodes.length; j++) {
        const a = nodes[i]!;
        const b = nodes[j]!;
        const overlapX = Math.min(a.x + a.width, b.x + b.width) + GAP - Math.max(a.x, b.x);
        const overlapY = Math.min(a.y + a.height, b.y + b.height) + GAP - Math.max(a.y, b.y);
        if (overlapX <= 0 || overlapY <= 0) continue;
        const push = Math.min(overlapX, overlapY) / 2;
        const dx = Math.sign(b.x - a.x || 1) * push;
        const dy = Math.sign(b.y - a.y || 1) * push;
        if (overlapX < overlapY) {
          a.x -= dx;
          b.x += dx;
        } else {
          a.y -= dy;
          b.y += dy;
        }
      }
    }
    iterations++;
  }
  ctx.payload['relaxed'] = nodes;
  ctx.payload['iterations'] = iterations;
}
