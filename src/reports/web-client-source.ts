/**
 * A page's browser script (`src/web/<name>.ts`) as one string to inline. `npm run build` bundles each one
 * (esbuild, minified IIFE) into `dist/web/<name>.bundle.js`, which pages read; running from sources (tests, tsx),
 * or from a `dist/` built without that step, bundles it here with esbuild's API (esbuild ships with tsx, a
 * runtime dependency): ~0.6 s of a report's writing for the three scripts, most of it starting esbuild's service.
 * Cached per process and script.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The scripts pages inline: file names in `src/web/` without extension. */
const WEB_CLIENTS = ['timeline-client', 'graph-client', 'findings-client'] as const;

export type WebClient = (typeof WEB_CLIENTS)[number];

const fromSources = import.meta.url.endsWith('.ts');

/** Where the build writes a script's bundle: beside its compiled module. */
const bundleFile = (name: WebClient) => fileURLToPath(new URL(`../web/${name}.bundle.js`, import.meta.url));

const cached = new Map<WebClient, Promise<string>>();

export function webClientSource(name: WebClient): Promise<string> {
  let source = cached.get(name);
  if (source === undefined) {
    source = fromSources ? bundle(name) : readFile(bundleFile(name), 'utf8').catch(() => bundle(name));
    cached.set(name, source);
  }
  return source;
}

/** Bundles every page script into `dist/web` (`npm run build`, scripts/bundle-web.mjs). */
export async function writeWebBundles(): Promise<void> {
  if (fromSources) throw new Error('web bundles are written from the compiled dist/, after tsc');
  await Promise.all(WEB_CLIENTS.map(async (name) => writeFile(bundleFile(name), await bundle(name))));
}

async function bundle(name: WebClient): Promise<string> {
  const entry = fileURLToPath(new URL(`../web/${name}.${fromSources ? 'ts' : 'js'}`, import.meta.url));
  if (!existsSync(entry)) throw new Error(`${name} not found at ${entry}: run the build first`);
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
