import { handlers as arrangeHandlers } from './symphonies/arrange/arrange.symphony.js';
import { handlers as createHandlers } from './symphonies/create/create.symphony.js';
import { deleteComponent, resolveDeletion } from './symphonies/delete/delete.stage-crew.js';
import {
  buildManifest,
  buildSvg,
  collectComponents,
  downloadBundle,
  serializeComponents,
} from './symphonies/export/export.stage-crew.js';
import { commitPosition, startDrag, updatePosition } from './symphonies/move/move.stage-crew.js';
import {
  notifySelectionChanged,
  routeSelectionRequest as routeSelectionRequestSelect,
  showSelectionOverlay,
} from './symphonies/select/select.stage-crew.js';

export const handlers = {
  ...createHandlers,
  ...arrangeHandlers,
  routeSelectionRequest: routeSelectionRequestSelect,
  showSelectionOverlay,
  notifySelectionChanged,
  startDrag,
  updatePosition,
  commitPosition,
  collectComponents,
  serializeComponents,
  buildSvg,
  buildManifest,
  downloadBundle,
  resolveDeletion,
  removeComponent: deleteComponent,
};
