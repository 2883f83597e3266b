export { handlers } from './symphonies/ui/ui.symphony.js';
