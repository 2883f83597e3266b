// The npm registry this project installs from serves only the Linux builds of packages with per-platform
// binaries (Biome, DuckDB). `npm install` then leaves the other platforms' optional packages out of
// package-lock.json, and `npm ci` refuses the lock ("Missing: @biomejs/cli-darwin-x64@ from lock file").
// This adds lock entries for them (optional, with os/cpu, so npm never fetches them on Linux).
// Run after any dependency change: `node scripts/lock-platform-packages.mjs && npm install`.
import { readFileSync, writeFileSync } from 'node:fs';

const PARENTS = ['node_modules/@biomejs/biome', 'node_modules/@duckdb/node-bindings'];
const PLATFORM = /-(android|darwin|linux|win32)-(arm64|x64)(-musl)?$/;

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const packages = lock.packages;
let added = 0;
for (const parent of PARENTS) {
  const info = packages[parent];
  for (const [name, version] of Object.entries(info?.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    const m = PLATFORM.exec(name);
    if (packages[key] || !m) continue;
    const entry = { version, cpu: [m[2]], license: info.license, optional: true, os: [m[1]] };
    if (m[1] === 'linux') entry.libc = [m[3] ? 'musl' : 'glibc'];
    if (info.dev) entry.dev = true;
    packages[key] = entry;
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)),
);
writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`added ${added} platform package entries to package-lock.json\n`);
