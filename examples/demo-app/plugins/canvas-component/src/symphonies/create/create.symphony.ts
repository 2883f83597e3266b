export { handlers } from './create.stage-crew.js';
