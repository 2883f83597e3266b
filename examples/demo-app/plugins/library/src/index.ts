import type { ConductorLike, HandlerContext } from '../../../sdk/types.js';
import { handlers as loadHandlers } from './symphonies/load.symphony.js';
import { handlers as searchHandlers } from './symphonies/search.symphony.js';

export interface PreviewData {
  componentId?: string;
}

export function previewComponent(data: PreviewData, ctx: HandlerContext) {
  ctx.payload['previewId'] = data.componentId ?? 'lib-button';
  ctx.payload['previewScale'] = 0.5;
}

export const handlers = { ...loadHandlers, ...searchHandlers, previewComponent };

/** Runtime registration: mounts the preview sequence, which exists only here (no JSON file). */
export async function register(conductor: ConductorLike): Promise<void> {
  await conductor.mount(
    {
      pluginId: 'LibraryPlugin',
      id: 'library-preview-symphony',
      name: 'Library Preview',
      description: 'Shows a scaled preview of a library component on hover.',
      version: '1.0.0',
      domainId: 'demo-canvas-orchestration',
      movements: [
        {
          id: 'preview',
          name: 'Preview',
          beats: [
            {
              beat: 1,
              event: 'library:component:preview',
              title: 'Preview Component',
              handler: 'previewComponent',
              dynamics: 'mf',
              timing: 'immediate',
              kind: 'pure',
              errorHandling: 'continue',
            },
          ],
        },
      ],
      beats: 1,
    },
    handlers,
    'LibraryPlugin',
  );
}
