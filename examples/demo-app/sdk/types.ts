// Minimal host-SDK types shared by the demo plugins (RenderX plugins import the same shapes from their host SDK).

/** The per-request data baton: handlers add, update and remove keys; the conductor logs the diff after each handler. */
export type Payload = Record<string, unknown>;

/** What `musical-conductor` passes as the second handler argument (PluginManager builds it per request). */
export interface HandlerContext {
  payload: Payload;
  conductor?: { play(pluginId: string, sequenceId: string, data?: Record<string, unknown>): unknown };
  plugin?: { id: string };
}

/** The subset of the conductor client a plugin's `register()` needs. */
export interface ConductorLike {
  mount(sequence: unknown, handlers: Record<string, unknown>, pluginId?: string): Promise<unknown>;
}

/** Resolves after `ms` milliseconds; stands in for network or storage latency. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
