import { describe, expect, it } from 'vitest';
import { handlers } from '../src/symphonies/ui/ui.symphony.js';

describe('ControlPanelPlugin ui handlers', () => {
  it('initConfig - merges defaults with overrides', () => {
    const ctx = { payload: {} as Record<string, unknown> };
    handlers.initConfig({ overrides: { showAdvanced: true } }, ctx);
    expect(ctx.payload['config']).toMatchObject({ showAdvanced: true, debounceMs: 150 });
  });

  it('initResolver - maps component types to schema ids', () => {
    const ctx = { payload: {} as Record<string, unknown> };
    handlers.initResolver({}, ctx);
    expect(ctx.payload['resolver']).toMatchObject({ button: 'schema:button' });
  });

  it('loadSchemas - rejects when the schema service is unavailable', async () => {
    await expect(handlers.loadSchemas({ schemaOutage: true }, { payload: {} })).rejects.toThrow('503');
  });

  it('notifyReady - reports the initialised sections', () => {
    const ctx = { payload: { config: { sections: ['a', 'b'] } } as Record<string, unknown> };
    handlers.notifyReady({}, ctx);
    expect(ctx.payload['ready']).toEqual({ sections: 2 });
  });

  it('generateFields - creates one field per schema property', () => {
    const ctx = { payload: {} as Record<string, unknown> };
    handlers.generateFields({ componentType: 'heading' }, ctx);
    expect(ctx.payload['fields']).toHaveLength(3);
  });

  it('generateSections - groups fields by section', () => {
    const ctx = {
      payload: {
        fields: [
          { key: 'a', section: 'layout' },
          { key: 'b', section: 'layout' },
          { key: 'c', section: 'content' },
        ],
      } as Record<string, unknown>,
    };
    handlers.generateSections({}, ctx);
    expect(ctx.payload['sections']).toEqual({ layout: ['a', 'b'], content: ['c'] });
  });
});
