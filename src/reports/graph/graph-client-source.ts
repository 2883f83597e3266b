/**
 * The graph page's browser script (web/graph-client.ts with ECharts' graph series, ~500 kB minified) as one
 * string to inline, bundled with esbuild as the timeline's is (timeline-client-source.ts). Cached per process.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let cached: Promise<string> | undefined;

export function graphClientSource(): Promise<string> {
  cached ??= bundle();
  return cached;
}

async function bundle(): Promise<string> {
  const fromSources = import.meta.url.endsWith('.ts');
  const entry = fileURLToPath(new URL(`../../web/graph-client.${fromSources ? 'ts' : 'js'}`, import.meta.url));
  if (!existsSync(entry)) throw new Error(`graph client not found at ${entry}: run the build first`);
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
  // Inlined in a <script> element: a literal `</script` inside would end it early.
  return text.replace(/<\/(script)/gi, '<\\/$1');
}
