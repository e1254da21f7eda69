/**
 * The Markdown a lesson step is written in, parsed to a small tree that the panel turns
 * into React elements: text never becomes HTML, so a lesson from a stranger's file or
 * room cannot inject markup. What is understood: paragraphs, # headings, - and 1.
 * lists, > quotes, **bold**, *italic*, `code`, [links](https://...), $inline math$ and
 * $$display math$$. Math is drawn as styled text, TeX commands turned into Unicode.
 */

export type Inline =
  | { t: 'text'; v: string }
  | { t: 'strong'; c: Inline[] }
  | { t: 'em'; c: Inline[] }
  | { t: 'code'; v: string }
  | { t: 'math'; v: string; tex: string }
  | { t: 'link'; href: string; c: Inline[] };

export type Block =
  | { t: 'p'; c: Inline[] }
  | { t: 'h'; level: 1 | 2 | 3; c: Inline[] }
  | { t: 'ul' | 'ol'; items: Inline[][] }
  | { t: 'quote'; c: Inline[] }
  | { t: 'math'; v: string; tex: string };

export function parseMarkdown(text: string): Block[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const out: Block[] = [];
  let para: string[] = [];
  const endPara = () => {
    if (para.length) out.push({ t: 'p', c: parseInline(para.join(' ')) });
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) {
      endPara();
      continue;
    }
    if (line.startsWith('$$')) {
      endPara();
      const body: string[] = [line.slice(2)];
      let closed = body[0].endsWith('$$') && body[0].length >= 2;
      if (closed) body[0] = body[0].slice(0, -2);
      while (!closed && i + 1 < lines.length) {
        const next = lines[++i];
        const end = next.indexOf('$$');
        if (end >= 0) {
          body.push(next.slice(0, end));
          closed = true;
        } else body.push(next);
      }
      const tex = body.join(' ').trim();
      out.push({ t: 'math', tex, v: texToText(tex) });
      continue;
    }
    const h = /^(#{1,3})\s+(.*)$/.exec(line);
    if (h) {
      endPara();
      out.push({ t: 'h', level: h[1].length as 1 | 2 | 3, c: parseInline(h[2]) });
      continue;
    }
    const item = /^(?:([-*+])|(\d{1,3})[.)])\s+(.*)$/.exec(line);
    if (item) {
      endPara();
      const kind = item[1] ? 'ul' : 'ol';
      const last = out[out.length - 1];
      const list =
        last && last.t === kind ? last : (out[out.push({ t: kind, items: [] }) - 1] as { items: Inline[][] });
      list.items.push(parseInline(item[3]));
      continue;
    }
    if (line.startsWith('>')) {
      endPara();
      out.push({ t: 'quote', c: parseInline(line.replace(/^>\s?/, '')) });
      continue;
    }
    para.push(line);
  }
  endPara();
  return out;
}

const SAFE_HREF = /^https?:\/\/[^\s]+$/i;

/** Inline spans, left to right; an opener without its closer stays plain text. */
export function parseInline(s: string): Inline[] {
  const out: Inline[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push({ t: 'text', v: text });
    text = '';
  };
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length && /[\\`*_$[\]()#>-]/.test(s[i + 1])) {
      text += s[i + 1];
      i += 2;
      continue;
    }
    if (c === '`' || c === '$') {
      const end = s.indexOf(c, i + 1);
      if (end > i + 1) {
        flush();
        const body = s.slice(i + 1, end);
        out.push(c === '`' ? { t: 'code', v: body } : { t: 'math', tex: body, v: texToText(body) });
        i = end + 1;
        continue;
      }
    }
    if (s.startsWith('**', i)) {
      const end = s.indexOf('**', i + 2);
      if (end > i + 2) {
        flush();
        out.push({ t: 'strong', c: parseInline(s.slice(i + 2, end)) });
        i = end + 2;
        continue;
      }
    }
    if ((c === '*' || c === '_') && s[i + 1] !== ' ') {
      const end = s.indexOf(c, i + 1);
      if (end > i + 1 && s[end - 1] !== ' ') {
        flush();
        out.push({ t: 'em', c: parseInline(s.slice(i + 1, end)) });
        i = end + 1;
        continue;
      }
    }
    if (c === '[') {
      const m = /^\[([^\]]+)\]\(([^)\s]+)\)/.exec(s.slice(i));
      if (m) {
        flush();
        const label = parseInline(m[1]);
        // Only web links: a javascript: or data: URL in a lesson stays inert text.
        if (SAFE_HREF.test(m[2])) out.push({ t: 'link', href: m[2], c: label });
        else out.push(...label);
        i += m[0].length;
        continue;
      }
    }
    text += c;
    i++;
  }
  flush();
  return out;
}

/** TeX command -> text, as "name text" pairs; an empty text drops the command (\left, \mathrm). */
const SYMBOLS: Record<string, string> = Object.fromEntries(
  (
    'alpha α beta β gamma γ delta δ epsilon ε varepsilon ε zeta ζ eta η theta θ kappa κ lambda λ mu μ ' +
    'nu ν xi ξ pi π rho ρ sigma σ tau τ phi φ varphi φ chi χ psi ψ omega ω Gamma Γ Delta Δ Theta Θ ' +
    'Lambda Λ Xi Ξ Pi Π Sigma Σ Phi Φ Psi Ψ Omega Ω sum ∑ prod ∏ int ∫ partial ∂ nabla ∇ infty ∞ ' +
    'le ≤ leq ≤ ge ≥ geq ≥ ne ≠ neq ≠ approx ≈ sim ∼ equiv ≡ cdot · times × ast ∗ star ⋆ circ ∘ pm ± ' +
    'to → rightarrow → leftarrow ← mapsto ↦ in ∈ subset ⊂ forall ∀ exists ∃ ell ℓ lVert ‖ rVert ‖ ' +
    'lvert | rvert | langle ⟨ rangle ⟩ dots … ldots … odot ⊙ otimes ⊗ top ᵀ Re Re Im Im max max ' +
    'min min log log exp exp arg arg quad _ qquad _ mathbb _ mathrm _ mathbf _ operatorname _ left _ right _'
  )
    .split(' ')
    .reduce<[string, string][]>(
      (pairs, w, i, ws) => (i % 2 ? pairs : [...pairs, [w, ws[i + 1] === '_' ? '' : ws[i + 1]]]),
      [],
    ),
);
const table = (keys: string, values: string) =>
  Object.fromEntries([...keys].map((k, i) => [k, [...values][i]])) as Record<string, string>;
const SUP = table('0123456789+-=()nijkT', '⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱʲᵏᵀ');
const SUB = table('0123456789+-=()aeijklmnoprstuvx', '₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ');

/** Drawn math: text runs, and scripts Unicode has no characters for (the panel draws them as <sub>/<sup>). */
export type MathPart = { t: 'text' | 'sub' | 'sup'; v: string };

function joinParts(parts: MathPart[]): string {
  const text = parts
    .map((p) => (p.t === 'text' ? p.v : `${p.t === 'sup' ? '^' : '_'}${[...p.v].length === 1 ? p.v : `(${p.v})`}`))
    .join('');
  return text.replace(/\s+/g, ' ').trim();
}

/** A {group} or one character starting at i; returns its text and where it ends. */
function group(s: string, i: number): [string, number] {
  if (s[i] !== '{') return [s[i] ?? '', i + 1];
  let depth = 0;
  for (let j = i; j < s.length; j++) {
    if (s[j] === '{') depth++;
    else if (s[j] === '}' && --depth === 0) return [s.slice(i + 1, j), j + 1];
  }
  return [s.slice(i + 1), s.length];
}

/** TeX, as far as a lesson needs it, as readable Unicode text. */
export function texToText(tex: string): string {
  return joinParts(texParts(tex));
}

/** TeX as text runs and scripts: commands become Unicode, a script becomes super/subscript characters where they all exist. */
export function texParts(tex: string): MathPart[] {
  const parts: MathPart[] = [];
  let out = '';
  let i = 0;
  while (i < tex.length) {
    const c = tex[i];
    if (c === '\\') {
      const m = /^\\([A-Za-z]+|.)/.exec(tex.slice(i))!;
      const name = m[1];
      i += m[0].length;
      if (name === 'frac') {
        const [a, j] = group(tex, i);
        const [b, k] = group(tex, j);
        const wrap = (x: string) => (/^[\w\u0370-\u03ff]+$/u.test(x) ? x : `(${x})`);
        out += `${wrap(texToText(a))}/${wrap(texToText(b))}`;
        i = k;
      } else if (name === 'sqrt') {
        const [a, j] = group(tex, i);
        out += `√(${texToText(a)})`;
        i = j;
      } else if (name === '|') out += '‖';
      else if (name === ',' || name === ';' || name === ' ') out += ' ';
      else out += SYMBOLS[name] ?? name;
    } else if (c === '^' || c === '_') {
      const [body, j] = group(tex, i + 1);
      const v = texToText(body);
      const table = c === '^' ? SUP : SUB;
      if ([...v].every((ch) => ch in table)) out += [...v].map((ch) => table[ch]).join('');
      else {
        parts.push({ t: 'text', v: out });
        parts.push({ t: c === '^' ? 'sup' : 'sub', v });
        out = '';
      }
      i = j;
    } else if (c === '{' || c === '}') i++;
    else {
      out += c;
      i++;
    }
  }
  parts.push({ t: 'text', v: out });
  return parts.filter((p) => p.v !== '');
}
