import { describe, expect, it } from 'vitest';
import { defaultPrefs, parsePrefs } from './prefs';
import { legibleViewport, legibleZoom, regionFor } from '../canvas/legible-fit';

describe('layout prefs', () => {
  it('folds the inspector and shortens the dock on a laptop, opens everything on a wide screen', () => {
    const laptop = defaultPrefs(1366, 768);
    expect(laptop.inspectorOpen).toBe(false);
    expect(laptop.dockHeight).toBeLessThanOrEqual(220);
    expect(defaultPrefs(1920, 1080).inspectorOpen).toBe(true);
  });

  it('keeps saved values, clamps sizes, ignores malformed entries, and never restores presenter mode', () => {
    const d = defaultPrefs(1366, 768);
    const p = parsePrefs(
      JSON.stringify({ paletteOpen: false, inspectorWidth: 9999, dockHeight: 'tall', mapOpen: false, presenter: true }),
      d,
    );
    expect(p.paletteOpen).toBe(false);
    expect(p.inspectorWidth).toBe(520);
    expect(p.dockHeight).toBe(d.dockHeight);
    expect(p.mapOpen).toBe(false);
    expect(p.presenter).toBe(false);
    expect(parsePrefs('{not json', d)).toEqual(d);
  });
});

describe('legible fit', () => {
  const pane = { width: 1000, height: 500 };
  it('fits a small graph whole, no closer than the fit limit', () => {
    const v = legibleViewport({ x: 0, y: 0, width: 400, height: 200 }, pane, legibleZoom(13, 11));
    expect(v.zoom).toBeCloseTo(1.1);
    // Centred.
    expect(v.x + 200 * v.zoom).toBeCloseTo(500);
  });

  it('never zooms out below legible titles; a big graph then starts at its top-left', () => {
    const min = legibleZoom(13, 11);
    const v = legibleViewport({ x: 100, y: 50, width: 4000, height: 1500 }, pane, min);
    expect(v.zoom).toBeGreaterThanOrEqual(min);
    expect(13 * v.zoom).toBeGreaterThanOrEqual(11);
    expect(v.x + 100 * v.zoom).toBeGreaterThan(0);
    expect(v.x + 100 * v.zoom).toBeLessThan(60);
    expect(v.y + 50 * v.zoom).toBeLessThan(60);
  });
});

describe('fitting beside or below the lesson card', () => {
  // A laptop's canvas with the card in its top right corner.
  const pane = { x: 200, y: 44, width: 1150, height: 515 };
  const card = { x: 960, y: 54, width: 380, height: 288 };
  const min = legibleZoom(13, 11);

  it('puts a wide one-row graph below the card, where it has the whole width', () => {
    const r = regionFor({ width: 1300, height: 150 }, min, pane, card);
    expect(r).toEqual({ x: 200, y: 342, width: 1150, height: 217 });
  });

  it('puts a tall graph beside the card, and a small one where it shows largest', () => {
    expect(regionFor({ width: 500, height: 700 }, min, pane, card)).toEqual({ x: 200, y: 44, width: 760, height: 515 });
    expect(regionFor({ width: 300, height: 300 }, min, pane, card).x).toBe(200);
    expect(regionFor({ width: 300, height: 300 }, min, pane, card).height).toBe(515);
  });

  it('uses the whole pane without a card, or when the card leaves too little', () => {
    expect(regionFor({ width: 1300, height: 150 }, min, pane)).toEqual(pane);
    const big = { x: 210, y: 54, width: 1130, height: 480 };
    expect(regionFor({ width: 1300, height: 150 }, min, pane, big)).toEqual(pane);
  });
});
