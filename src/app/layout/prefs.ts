/**
 * How this person arranged the editor: which panels are open, their sizes, the overview
 * map, presenter mode. Kept per browser in localStorage (not in the graph: a teacher's
 * projector and a student's laptop want different layouts of the same file).
 *
 * A tiny external store read with useSyncExternalStore, so the header, the canvas and
 * the panels share it without a provider.
 */
import { useSyncExternalStore } from 'react';

export interface LayoutPrefs {
  paletteOpen: boolean;
  paletteWidth: number;
  inspectorOpen: boolean;
  inspectorWidth: number;
  dockOpen: boolean;
  /** Height of the training / research dock in pixels, bar included. */
  dockHeight: number;
  mapOpen: boolean;
  presenter: boolean;
}

const KEY = 'wavegraph:layout';
export const LIMITS = {
  paletteWidth: [150, 360],
  inspectorWidth: [220, 520],
  dockHeight: [120, 900],
} as const satisfies Partial<Record<keyof LayoutPrefs, readonly [number, number]>>;

/**
 * Defaults chosen for the screen at hand: on a laptop (1366x768, the common classroom
 * screen) the inspector starts folded and the dock short, so the canvas gets well over
 * half the window; a wide screen opens everything.
 */
export function defaultPrefs(
  width = globalThis.innerWidth ?? 1440,
  height = globalThis.innerHeight ?? 900,
): LayoutPrefs {
  const wide = width >= 1600;
  return {
    paletteOpen: true,
    paletteWidth: wide ? 220 : 190,
    inspectorOpen: width >= 1400,
    inspectorWidth: wide ? 320 : 280,
    dockOpen: true,
    dockHeight: Math.round(Math.max(150, Math.min(320, height * 0.27))),
    mapOpen: width >= 1100,
    presenter: false,
  };
}

const clamp = (v: number, [lo, hi]: readonly [number, number]) => Math.min(hi, Math.max(lo, v));

/** Saved values over the defaults; anything malformed falls back to the default. */
export function parsePrefs(raw: string | null, defaults: LayoutPrefs): LayoutPrefs {
  let saved: Record<string, unknown> = {};
  try {
    const v = JSON.parse(raw ?? '{}');
    if (v && typeof v === 'object') saved = v;
  } catch {
    // A damaged entry is replaced by the defaults.
  }
  const out = { ...defaults };
  for (const k of Object.keys(defaults) as (keyof LayoutPrefs)[]) {
    const v = saved[k];
    if (typeof v !== typeof defaults[k] || (typeof v === 'number' && !Number.isFinite(v))) continue;
    (out as Record<string, unknown>)[k] = k in LIMITS ? clamp(v as number, LIMITS[k as keyof typeof LIMITS]) : v;
  }
  // Presenter mode is for the session at hand: a reload starts in the ordinary editor.
  out.presenter = false;
  return out;
}

let current: LayoutPrefs | null = null;
const listeners = new Set<() => void>();

function read(): LayoutPrefs {
  if (!current) {
    let raw: string | null = null;
    try {
      raw = localStorage.getItem(KEY);
    } catch {
      // Storage can be unavailable (private mode); the defaults then hold for this page.
    }
    current = parsePrefs(raw, defaultPrefs());
  }
  return current;
}

export function setPrefs(patch: Partial<LayoutPrefs>): void {
  const next = { ...read(), ...patch };
  for (const k of Object.keys(LIMITS) as (keyof typeof LIMITS)[]) next[k] = clamp(next[k], LIMITS[k]);
  current = next;
  try {
    localStorage.setItem(KEY, JSON.stringify(next));
  } catch {
    // Not remembered, but the layout still changes for this page.
  }
  for (const l of listeners) l();
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function useLayoutPrefs(): LayoutPrefs {
  return useSyncExternalStore(subscribe, read, read);
}

export function getPrefs(): LayoutPrefs {
  return read();
}
