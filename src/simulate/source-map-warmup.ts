import { readdirSync } from 'node:fs';
import { findSourceMap } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Parses the source maps of every loaded module of a package now. Node parses a map lazily on the first stack
 * trace through that file, which would otherwise land inside the first play and inflate its beat durations
 * (~150 ms for musical-conductor), a cost the real browser app does not have.
 */
export function warmSourceMaps(packageEntryUrl: string): void {
  const dist = fileURLToPath(new URL('../', packageEntryUrl));
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (path.endsWith('.js')) findSourceMap(pathToFileURL(path).href);
    }
  };
  walk(dist);
}
