import { describe, expect, it } from 'vitest';
import { parserThreads } from './ingest.js';

const KIB = 1024;
const MIB = 1024 * KIB;

describe('parser threads by default', () => {
  it('parses a few small consoles here: a thread costs more to start than they take to parse', () => {
    // The 6 demo logs (1.3 MB), 64 saved consoles of 256 KiB: here.
    expect(parserThreads(Array(6).fill(220 * KIB), undefined, 2)).toBe(0);
    expect(parserThreads(Array(64).fill(256 * KIB), undefined, 2)).toBe(0);
  });

  it('uses a thread per core, at most 4 and one per file, from 32 MiB of files together', () => {
    expect(parserThreads(Array(128).fill(256 * KIB), undefined, 2)).toBe(2);
    expect(parserThreads(Array(400).fill(256 * KIB), undefined, 16)).toBe(4);
    expect(parserThreads([20 * MIB, 20 * MIB], undefined, 8)).toBe(2);
  });

  it('gives one big file a thread of its own on two cores or more, from 128 MiB', () => {
    expect(parserThreads([200 * MIB], undefined, 2)).toBe(1);
    expect(parserThreads([200 * MIB], undefined, 1)).toBe(0);
    expect(parserThreads([64 * MIB], undefined, 2)).toBe(0);
  });

  it('takes --workers as given, at most one per file', () => {
    expect(parserThreads(Array(6).fill(220 * KIB), 2, 2)).toBe(2);
    expect(parserThreads([200 * MIB], 0, 2)).toBe(0);
    expect(parserThreads([1 * KIB], 3, 2)).toBe(1);
  });
});
