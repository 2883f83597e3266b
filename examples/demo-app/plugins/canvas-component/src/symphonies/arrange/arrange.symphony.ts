import { relaxLayout } from './arrange.layout.js';
import { applyLayout, snapshotLayout } from './arrange.stage-crew.js';

export const handlers = { snapshotLayout, relaxLayout, applyLayout };
