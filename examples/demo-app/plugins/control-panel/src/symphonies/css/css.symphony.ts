import type { HandlerContext } from '../../../../../sdk/types.js';

export interface CssData {
  className?: string;
  /** Declarations as typed in the panel, e.g. `color: red; padding: 4px`. */
  declarations?: string;
}

const classes = new Map<string, string>();

export const handlers = {
  validateCss(data: CssData, ctx: HandlerContext) {
    const decls = (data.declarations ?? '')
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean);
    for (const decl of decls) {
      if (!/^[a-z-]+\s*:\s*\S/.test(decl)) throw new Error(`Invalid CSS declaration "${decl}" in .${data.className}`);
    }
    ctx.payload['declarations'] = decls;
  },

  createCssClass(data: CssData, ctx: HandlerContext) {
    const decls = (ctx.payload['declarations'] as string[] | undefined) ?? [];
    const rule = `.${data.className} { ${decls.join('; ')} }`;
    classes.set(data.className ?? '', rule);
    ctx.payload['cssRule'] = rule;
    ctx.payload['classCount'] = classes.size;
  },

  notifyUi(data: CssData, ctx: HandlerContext) {
    ctx.payload['cssEvent'] = { topic: 'control.panel.css.created', className: data.className };
    delete ctx.payload['declarations'];
  },
};
