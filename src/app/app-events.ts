/**
 * Events between parts of the app that share no React state: a command asks the
 * training panel to start, the trainer tells the header its backend and the
 * collaboration bar its progress. The module that emits an event declares it, with
 * its detail type, in WindowEventMap (search for `interface WindowEventMap`), so
 * `emit` and `listen` check the name and the detail on both sides.
 */
type Detail<E> = E extends CustomEvent<infer D> ? D : never;

/** The app's own events on `window`. */
export type AppEventName = {
  [K in keyof WindowEventMap]: K extends `wavegraph:${string}` ? K : never;
}[keyof WindowEventMap];

export function emit<K extends AppEventName>(name: K, detail: Detail<WindowEventMap[K]>): void {
  window.dispatchEvent(new CustomEvent(name, { detail }));
}

/** Calls `handler` with each event's detail; returns the unsubscribe function (an effect's cleanup). */
export function listen<K extends AppEventName>(
  name: K,
  handler: (detail: Detail<WindowEventMap[K]>) => void,
): () => void {
  const on = (e: Event) => handler((e as CustomEvent<Detail<WindowEventMap[K]>>).detail);
  window.addEventListener(name, on);
  return () => window.removeEventListener(name, on);
}
