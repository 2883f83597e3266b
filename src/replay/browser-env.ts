/**
 * The browser a replay's handlers run in: happy-dom's window, document, localStorage, HTMLElement … installed as
 * globals of the replay child (so a handler that touches the page runs as in a browser), and the judgement of
 * whether a handler that threw failed on something happy-dom does not implement (canvas drawing, …) rather than
 * on the app's own logic. Such a handler is stubbed on the next play (replay-child.ts, play-sequence.ts).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { GlobalRegistrator } from '@happy-dom/global-registrator';

/** What replay knows about the DOM it installs; named in every stub reason. */
export const DOM_IMPLEMENTATION = 'happy-dom 21.0.4';

/** Globals a browser has; a handler failing with `<name> is not defined` needs one happy-dom does not provide. */
const BROWSER_GLOBAL =
  /\b(document|window|navigator|localStorage|sessionStorage|HTMLElement|HTMLCanvasElement|CanvasRenderingContext2D|WebGLRenderingContext|requestAnimationFrame|cancelAnimationFrame|getComputedStyle|matchMedia|ResizeObserver|IntersectionObserver|Image|createImageBitmap|AudioContext|Worker|indexedDB) is not defined\b/;

/** Browser APIs a handler called that returned nothing usable under happy-dom, noted per handler call. */
interface HandlerScope {
  readonly lacking: string[];
}
const scope = new AsyncLocalStorage<HandlerScope>();

/**
 * Installs happy-dom's globals. Node's timers stay: the replay's settle loop and the conductor's scheduling keep
 * real-time behaviour, and a browser's `setTimeout` behaves alike for handlers. Call before the app is mounted.
 */
export function installBrowserGlobals(): void {
  const nodeTimers = {
    setTimeout: globalThis.setTimeout,
    clearTimeout: globalThis.clearTimeout,
    setInterval: globalThis.setInterval,
    clearInterval: globalThis.clearInterval,
    queueMicrotask: globalThis.queueMicrotask,
  };
  GlobalRegistrator.register({ url: 'http://localhost/', width: 1280, height: 800 });
  Object.assign(globalThis, nodeTimers);
  // happy-dom answers getContext with null (no rendering backend): a browser never does for '2d'. Noting the
  // call lets a handler that then fails on the null context be named with the real reason.
  const canvas = (globalThis as unknown as { HTMLCanvasElement: { prototype: Record<string, unknown> } })
    .HTMLCanvasElement.prototype;
  const getContext = canvas['getContext'] as (this: unknown, ...args: unknown[]) => unknown;
  canvas['getContext'] = function (this: unknown, ...args: unknown[]) {
    const context = getContext.apply(this, args);
    if (context === null || context === undefined) {
      scope.getStore()?.lacking.push(`HTMLCanvasElement.getContext('${String(args[0])}') returned null`);
    }
    return context;
  };
}

/**
 * Runs one handler call so that browser APIs it reaches (also after an `await`) are noted against it; `onFail`
 * hears why it failed when the failure is the missing browser's, not the app's. The call's result or error is
 * passed through unchanged, so the conductor logs what it would have.
 */
export function runWatched<T>(call: () => T, onBrowserFailure: (reason: string) => void): T {
  const mine: HandlerScope = { lacking: [] };
  const judge = (error: unknown) => {
    const reason = browserReason(error, mine.lacking);
    if (reason !== null) onBrowserFailure(reason);
  };
  let result: T;
  try {
    result = scope.run(mine, call);
  } catch (error) {
    judge(error);
    throw error;
  }
  if (result instanceof Promise) {
    result.catch(judge); // observed, not handled: the conductor still sees the rejection
  }
  return result;
}

/** Why an error is the missing browser's: a browser global not defined, or a failure after an API gave null. */
export function browserReason(error: unknown, lacking: readonly string[]): string | null {
  const message = error instanceof Error ? error.message : String(error);
  const global = BROWSER_GLOBAL.exec(message);
  if (global) return `${global[0]} under ${DOM_IMPLEMENTATION}`;
  if (lacking.length > 0) {
    return `${lacking[0]} under ${DOM_IMPLEMENTATION} (no canvas rendering), then: ${message.split('\n')[0]}`;
  }
  return null;
}
