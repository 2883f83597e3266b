/**
 * Colours the timeline canvas (src/web) and its page's legend (src/reports) must agree on. Here because the
 * model is the one layer both may import.
 */

/** A failed beat or a handler error. */
export const ERROR = '#d62728';

/**
 * The selected beat's outline: a colour of its own (violet), in neither the palette nor the error red, so a
 * selected failed beat still reads as failed and selected.
 */
export const SELECTED = '#7c3aed';
