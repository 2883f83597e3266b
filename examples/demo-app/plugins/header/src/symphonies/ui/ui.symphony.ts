import type { HandlerContext } from '../../../../../sdk/types.js';
import { getCurrentTheme, persistTheme, toggleTheme } from './ui.stage-crew.js';

export function notifyUi(_data: unknown, ctx: HandlerContext) {
  ctx.payload['themeEvent'] = { topic: 'app.ui.theme.changed', theme: ctx.payload['theme'] };
}

export const handlers = { getCurrentTheme, notifyUi, toggleTheme, persistTheme };
