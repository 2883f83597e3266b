import {
  generateFields,
  generateSections,
  initConfig,
  initResolver,
  loadSchemas,
  notifyReady,
  registerObservers,
  renderView,
  validateField,
} from './ui.stage-crew.js';

export const handlers = {
  initConfig,
  initResolver,
  loadSchemas,
  registerObservers,
  notifyReady,
  generateFields,
  generateSections,
  renderView,
  validateField,
};
