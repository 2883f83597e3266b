/**
 * A page's browser script (`src/web/<name>.ts`) as one string to inline. Bundled at generation time with
 * esbuild's API (esbuild ships with tsx, a runtime dependency) from the `.ts` source when running from sources,
 * or from the compiled `web/<name>.js` in `dist/`. Cached per process and script.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The scripts pages inline: file names in `src/web/` without extension. */
export type WebClient = 'timeline-client' | 'graph-client' | 'findings-client';

const cached = new Map<WebClient, Promise<string>>();

export function webClientSource(name: WebClient): Promise<string> {
  let source = cached.get(name);
  if (source === undefined) {
    source = bundle(name);
    cached.set(name, source);
  }
  return source;
}

async function bundle(name: WebClient): Promise<string> {
  const fromSources = import.meta.url.endsWith('.ts');
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
