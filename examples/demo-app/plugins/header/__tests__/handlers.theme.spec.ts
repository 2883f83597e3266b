import { describe, expect, it } from 'vitest';
import { handlers } from '../src/index.js';

describe('HeaderThemePlugin', () => {
  it('getCurrentTheme - falls back to light', () => {
    const ctx = { payload: {} as Record<string, unknown> };
    handlers.getCurrentTheme({}, ctx);
    expect(ctx.payload['theme']).toBe('light');
  });

  it('toggleTheme - flips light and dark', () => {
    const ctx = { payload: { theme: 'dark' } as Record<string, unknown> };
    handlers.toggleTheme({}, ctx);
    expect(ctx.payload).toMatchObject({ theme: 'light', previousTheme: 'dark' });
  });
});
