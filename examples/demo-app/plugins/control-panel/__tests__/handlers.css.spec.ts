import { describe, expect, it } from 'vitest';
import { handlers } from '../src/symphonies/css/css.symphony.js';

describe('ControlPanelPlugin css handlers', () => {
  it('validateCss - throws on a declaration without a colon', () => {
    expect(() =>
      handlers.validateCss({ className: 'card', declarations: 'color: red; padding 4px' }, { payload: {} }),
    ).toThrow('Invalid CSS declaration "padding 4px" in .card');
  });

  it('createCssClass - registers the class with its rule text', () => {
    const ctx = { payload: { declarations: ['color: red'] } as Record<string, unknown> };
    handlers.createCssClass({ className: 'alert' }, ctx);
    expect(ctx.payload['cssRule']).toBe('.alert { color: red }');
  });
});
