/**
 * The timeline page's browser script as one string to inline. Bundled at generation time with esbuild's API
 * (esbuild ships with tsx, a runtime dependency) from `web/timeline-client.ts` when running from sources, or
 * from the compiled `web/timeline-client.js` next to this module in `dist/`. Cached per process.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let cached: Promise<string> | undefined;

export function timelineClientSource(): Promise<string> {
  cached ??= bundle();
  return cached;
}

async function bundle(): Promise<string> {
  const fromSources = import.meta.url.endsWith('.ts');
  const entry = fileURLToPath(new URL(`../web/timeline-client.${fromSources ? 'ts' : 'js'}`, import.meta.url));
  if (!existsSync(entry)) throw new Error(`timeline client not found at ${entry}: run the build first`);
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
  });
  const text = result.outputFiles[0]?.text ?? '';
  // The script is inlined in a <script> element: a literal `</script` inside would end it early.
  return text.replace(/<\/(script)/gi, '<\\/$1');
}
