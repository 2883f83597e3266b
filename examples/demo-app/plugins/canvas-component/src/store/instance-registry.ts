// Canvas instances by id; module state, so it lives as long as the app (one simulated session).

export interface CanvasInstance {
  id: string;
  componentId: string;
  tag: string;
  /** Top-left corner and size in canvas pixels. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Stacking order, 0 = bottom. */
  z: number;
}

const instances = new Map<string, CanvasInstance>();

export const instanceRegistry = {
  get: (id: string) => instances.get(id),
  has: (id: string) => instances.has(id),
  set(instance: CanvasInstance) {
    instances.set(instance.id, instance);
  },
  delete: (id: string) => instances.delete(id),
  all: () => [...instances.values()],
  clear: () => instances.clear(),
};
