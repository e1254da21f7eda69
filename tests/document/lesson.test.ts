import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import * as Y from 'yjs';
import { loadDocument, saveDocument, type GraphDocument } from '../../document/graph';
import {
  checkPassed,
  describeCheck,
  lessonWarnings,
  LESSON_LIMITS,
  parseLesson,
  type LessonCheck,
} from '../../document/lesson';
import { decodeShare, encodeShare } from '../../src/app/files/share';
import { docToYDoc, graphMaps, yDocToDoc } from '../../src/collab/ydoc';
import { CollabStore } from '../../src/collab/store';
import { parsePresence } from '../../src/collab/presence';
import { getNodeDefinition } from '../../nodes/registry';
import { oddValue, rng } from '../fuzz/rng';
import { checkParam } from '../../nodes/params';
import type { ParamSpec } from '../../nodes/types';

const template = (name: string) =>
  loadDocument(readFileSync(new URL(`../../templates/${name}.json`, import.meta.url), 'utf8')).doc!;

const base = (): GraphDocument => ({
  format: 'wavegraph',
  version: 2,
  nodes: [
    { id: 'input', type: 'Input', position: { x: 0, y: 0 }, params: {} },
    { id: 'psi', type: 'WaveletConv', position: { x: 200, y: 0 }, params: { L: 8 } },
    { id: 'mod', type: 'Modulus', position: { x: 400, y: 0 }, params: {} },
  ],
  edges: [{ id: 'e1', source: 'input', sourcePort: 'out', target: 'psi', targetPort: 'in' }],
});

const withLesson = (lesson: unknown) => JSON.stringify({ ...base(), lesson });

describe('lesson parsing', () => {
  it('keeps a well-formed lesson through save and load', () => {
    const doc: GraphDocument = {
      ...base(),
      lesson: {
        title: 'Why the modulus',
        steps: [
          { title: 'Look', text: 'A **wavelet** $\\psi$ oscillates.', target: { node: 'psi' } },
          { text: 'Set L.', check: { kind: 'param', node: 'psi', param: 'L', value: 4 } },
          {
            text: 'Train.',
            target: { panel: 'training' },
            check: { kind: 'metric', metric: 'testAcc', op: '>=', value: 0.85 },
          },
        ],
      },
    };
    const back = loadDocument(saveDocument(doc));
    expect(back.diagnostics).toEqual([]);
    expect(back.doc!.lesson).toEqual(doc.lesson);
  });

  it('leaves out a malformed step with a message naming it, and keeps the graph and the other steps', () => {
    const r = loadDocument(
      withLesson({
        steps: [
          { text: 'fine' },
          { title: 'Connect', text: 'x', check: { kind: 'connection', from: 'WaveletConv' } },
          { text: 'also fine', target: { panel: 'kitchen' } },
          'not a step',
        ],
      }),
    );
    expect(r.doc).toBeDefined();
    expect(r.doc!.nodes).toHaveLength(3);
    expect(r.doc!.lesson!.steps).toEqual([{ text: 'fine' }]);
    const messages = r.diagnostics.map((d) => d.message);
    expect(messages[0]).toMatch(/^Lesson step 2 \("Connect"\) was left out: .*check\.to/);
    expect(messages[1]).toMatch(/^Lesson step 3 was left out: .*target/);
    expect(messages[2]).toMatch(/^Lesson step 4 was left out/);
    expect(r.diagnostics.every((d) => d.severity === 'warning' && d.code === 'bad-lesson')).toBe(true);
  });

  it('never throws or drops the graph on hostile lessons', () => {
    const hostile: unknown[] = [
      null,
      42,
      'lesson',
      [],
      { steps: 'many' },
      { steps: [] },
      { title: 7, steps: [{ text: 'ok' }] },
      { steps: [{ text: 'x'.repeat(LESSON_LIMITS.textLength + 1) }] },
      { steps: [{ text: 'x', check: { kind: 'metric', metric: 'testAcc', op: '>=', value: 'NaN' } }] },
      { steps: [{ text: 'x', check: { kind: 'eval', code: 'alert(1)' } }] },
      { steps: [{ text: 'x', target: { node: 'psi', panel: 'training' } }] },
    ];
    for (const lesson of hostile) {
      const r = loadDocument(withLesson(lesson));
      expect(r.doc, JSON.stringify(lesson)).toBeDefined();
      expect(r.doc!.nodes).toHaveLength(3);
      expect(r.diagnostics.length, JSON.stringify(lesson)).toBeGreaterThan(0);
    }
    // The title was wrong, the step fine: the step stays.
    expect(loadDocument(withLesson({ title: 7, steps: [{ text: 'ok' }] })).doc!.lesson).toEqual({
      steps: [{ text: 'ok' }],
    });
  });

  it('keeps the first steps of a lesson longer than the limit, and says so', () => {
    const steps = Array.from({ length: 100_000 }, (_, i) => ({ text: `step ${i}` }));
    const r = parseLesson({ steps });
    expect(r.lesson!.steps).toHaveLength(LESSON_LIMITS.steps);
    expect(r.diagnostics[0].message).toMatch(/100000 steps; the first 60 were kept/);
  });

  it('warns about a step that points at a node the graph lacks', () => {
    const doc = { ...base(), lesson: { steps: [{ text: 'x', target: { node: 'gone' } }] } };
    expect(lessonWarnings(doc)[0].message).toMatch(/Lesson step 1 points at node "gone"/);
    expect(lessonWarnings(base())).toEqual([]);
  });
});

describe('lesson checks', () => {
  const doc = base();
  const pass = (c: LessonCheck, d = doc, m = {}) => checkPassed(c, d, m);

  it('a param value, by node id or by type, with a declared default', () => {
    expect(pass({ kind: 'param', node: 'psi', param: 'L', value: 8 })).toBe(true);
    expect(pass({ kind: 'param', node: 'WaveletConv', param: 'L', value: 8 })).toBe(true);
    expect(pass({ kind: 'param', node: 'psi', param: 'L', value: 4 })).toBe(false);
    expect(pass({ kind: 'param', node: 'mod', param: 'L', value: 8 })).toBe(false);
    const withDefault = checkPassed({ kind: 'param', node: 'psi', param: 'J', value: 2 }, doc, {}, (t, p) =>
      t === 'WaveletConv' && p === 'J' ? 2 : undefined,
    );
    expect(withDefault).toBe(true);
  });

  it('a connection from one node (or type) into another', () => {
    const c: LessonCheck = { kind: 'connection', from: 'WaveletConv', to: 'Modulus' };
    expect(pass(c)).toBe(false);
    const wired = {
      ...doc,
      edges: [...doc.edges, { id: 'e2', source: 'psi', sourcePort: 'out', target: 'mod', targetPort: 'in' }],
    };
    expect(pass(c, wired)).toBe(true);
    expect(pass({ kind: 'connection', from: 'mod', to: 'psi' }, wired)).toBe(false);
  });

  it('a node present, with a count', () => {
    expect(pass({ kind: 'node', node: 'Modulus' })).toBe(true);
    expect(pass({ kind: 'node', node: 'Modulus', count: 2 })).toBe(false);
    expect(pass({ kind: 'node', node: 'LISTA' })).toBe(false);
  });

  it('a metric threshold, either way', () => {
    const c: LessonCheck = { kind: 'metric', metric: 'testAcc', op: '>=', value: 0.85 };
    expect(pass(c, doc, {})).toBe(false);
    expect(pass(c, doc, { testAcc: 0.84 })).toBe(false);
    expect(pass(c, doc, { testAcc: 0.85 })).toBe(true);
    expect(pass({ kind: 'metric', metric: 'loss', op: '<=', value: 0.5 }, doc, { loss: 0.4 })).toBe(true);
    expect(pass({ kind: 'metric', metric: 'loss', op: '<=', value: 0.5 }, doc, { loss: NaN })).toBe(false);
    expect(describeCheck(c)).toBe('test accuracy ≥ 85%');
  });
});

describe('lessons travel with the graph', () => {
  const doc: GraphDocument = {
    ...base(),
    lesson: { title: 'T', steps: [{ text: 'one', target: { node: 'psi' } }, { text: 'two' }] },
  };

  it('through a share link', async () => {
    expect((await decodeShare(await encodeShare(doc))).doc!.lesson).toEqual(doc.lesson);
  });

  it('through the shared Y.Doc, edits included, and a peer writing garbage loses only the bad steps', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    a.on('update', (u: Uint8Array) => Y.applyUpdate(b, u));
    b.on('update', (u: Uint8Array) => Y.applyUpdate(a, u));
    docToYDoc(doc, a);
    expect(yDocToDoc(b).lesson).toEqual(doc.lesson);
    const store = new CollabStore(a);
    store.transact((d) => void (d.lesson!.steps[1].text = 'two, edited'), 'Edit lesson');
    expect(yDocToDoc(b).lesson!.steps[1].text).toBe('two, edited');
    graphMaps(b).meta.set('lesson', { steps: [{ text: 'kept' }, { text: 5 }] });
    expect(yDocToDoc(b).lesson).toEqual({ steps: [{ text: 'kept' }] });
    expect(yDocToDoc(b).nodes).toHaveLength(3);
    store.transact((d) => void delete d.lesson, 'Remove lesson');
    expect(yDocToDoc(b).lesson).toBeUndefined();
  });

  it('two teachers editing different steps at once both keep their edit; an edit sends one step, not the lesson', () => {
    const long = { steps: Array.from({ length: 40 }, (_, i) => ({ text: `step ${i} `.padEnd(2000, '.') })) };
    const a = new Y.Doc();
    const b = new Y.Doc();
    docToYDoc({ ...base(), lesson: long }, a);
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const sa = new CollabStore(a);
    const sb = new CollabStore(b);
    let sent = 0;
    a.on('update', (u: Uint8Array) => (sent += u.length));
    sa.transact((d) => void (d.lesson!.steps[3].text = 'three, by A'), 'Edit');
    expect(sent).toBeLessThan(2000 * 2);
    sb.transact((d) => void (d.lesson!.steps[30].text = 'thirty, by B'), 'Edit');
    sb.transact((d) => void d.lesson!.steps.splice(10, 1), 'Remove');
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    for (const doc of [yDocToDoc(a), yDocToDoc(b)]) {
      expect(doc.lesson!.steps).toHaveLength(39);
      expect(doc.lesson!.steps[3].text).toBe('three, by A');
      expect(doc.lesson!.steps[29].text).toBe('thirty, by B');
    }
    // Undo is per person and covers the lesson too.
    sa.undo();
    expect(yDocToDoc(a).lesson!.steps[3].text).toMatch(/^step 3 /);
  });

  it('the step a teacher leads is part of the presence schema, within bounds', () => {
    const user = { name: 'Ada', color: '#abcdef' };
    expect(parsePresence({ user, leadStep: 3 })?.leadStep).toBe(3);
    expect(parsePresence({ user, leadStep: -1 })).toBeUndefined();
    expect(parsePresence({ user, leadStep: 1.5 })).toBeUndefined();
  });

  it('every template carries a lesson with real checks that name its nodes', () => {
    const names = readdirSync(new URL('../../templates/', import.meta.url)).map((f) => f.replace(/\.json$/, ''));
    expect(names.length).toBeGreaterThanOrEqual(14);
    for (const name of names) {
      const t = loadDocument(readFileSync(new URL(`../../templates/${name}.json`, import.meta.url), 'utf8'));
      expect(t.diagnostics, name).toEqual([]);
      const lesson = t.doc!.lesson;
      expect(lesson, name).toBeDefined();
      expect(lessonWarnings(t.doc!), name).toEqual([]);
      const checks = lesson!.steps.flatMap((s) => (s.check ? [s.check] : []));
      expect(checks.length, name).toBeGreaterThanOrEqual(2);
      // Graph checks must not already hold on the template as shipped: the student has something to do.
      for (const c of checks)
        if (c.kind !== 'metric') expect(checkPassed(c, t.doc!, {}), `${name}: ${describeCheck(c)}`).toBe(false);
      // ...and must be doable: the parameter exists on the node and the value is one it accepts.
      for (const c of checks) {
        if (c.kind !== 'param') continue;
        const node = t.doc!.nodes.find((n) => n.id === c.node || n.type === c.node);
        const spec = (getNodeDefinition(node!.type)!.params as Record<string, ParamSpec>)[c.param];
        expect(spec, `${name}: ${c.param}`).toBeDefined();
        expect(checkParam(spec, c.value), `${name}: ${describeCheck(c)}`).toBe(true);
      }
    }
    expect(template('scattering-linear').lesson!.steps[0].target).toBeDefined();
  });
});

describe('lessons from hostile files and peers (fuzz)', () => {
  it('2,000 mutated template lessons: no throw, the graph kept, every step kept or named in a message', () => {
    const lessons = readdirSync(new URL('../../templates/', import.meta.url))
      .map((f) => loadDocument(readFileSync(new URL(`../../templates/${f}`, import.meta.url), 'utf8')).doc!)
      .filter((d) => d.lesson);
    const g = rng(19);
    for (let i = 0; i < 2000; i++) {
      const doc = structuredClone(g.pick(lessons)) as any;
      const steps = doc.lesson.steps as any[];
      for (let k = g.int(1, 3); k > 0; k--) {
        const s = g.pick(steps);
        const where = g.pick(['text', 'title', 'target', 'check', 'check.value', 'check.kind', 'target.node', 'step']);
        if (where === 'step') steps[g.int(0, steps.length - 1)] = oddValue(g);
        else if (where.includes('.')) {
          const [a, b] = where.split('.');
          if (s && typeof s === 'object' && s[a] && typeof s[a] === 'object') s[a][b] = oddValue(g);
        } else if (s && typeof s === 'object') s[where] = oddValue(g);
      }
      const text = JSON.stringify(doc);
      const r = loadDocument(text);
      expect(r.doc, text.slice(0, 200)).toBeDefined();
      expect(r.doc!.nodes.length).toBe(doc.nodes.length);
      const kept = r.doc!.lesson?.steps.length ?? 0;
      const named = r.diagnostics.filter((d) => /^Lesson step \d+/.test(d.message)).length;
      expect(kept + named, text.slice(0, 200)).toBe(steps.length);
      // What was kept saves and loads back to the same lesson.
      if (r.doc!.lesson) expect(loadDocument(saveDocument(r.doc!)).doc!.lesson).toEqual(r.doc!.lesson);
    }
  });
});
