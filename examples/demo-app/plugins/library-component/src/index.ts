import { handlers as dragHandlers } from './symphonies/drag.symphony.js';
import { handlers as dropHandlers } from './symphonies/drop.symphony.js';

const mergedHandlers = {
  onDragStart: dragHandlers.onDragStart,
  publishCreateRequested: dropHandlers.publishCreateRequested,
};

export { mergedHandlers as handlers };
