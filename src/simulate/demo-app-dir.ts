import { fileURLToPath } from 'node:url';

/** The bundled demo app; this file sits two levels below the package root in both `src/` and `dist/`. */
export function demoAppDir(): string {
  return fileURLToPath(new URL('../../examples/demo-app/', import.meta.url));
}
