// Bundles the report pages' browser scripts once, at build time (dist/web/<name>.bundle.js), so writing a report
// reads them instead of starting a bundler (src/reports/web-client-source.ts).
import { writeWebBundles } from '../dist/reports/web-client-source.js';

await writeWebBundles();
