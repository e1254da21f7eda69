import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown, texParts, texToText } from './markdown';

describe('lesson Markdown', () => {
  it('reads paragraphs, headings, lists, quotes and display math', () => {
    const blocks = parseMarkdown(
      '# Title\n\nOne line\nand the next.\n\n- a\n- b\n\n1. first\n2. second\n\n> note\n\n$$\n\\sum_j x_j\n$$',
    );
    expect(blocks.map((b) => b.t)).toEqual(['h', 'p', 'ul', 'ol', 'quote', 'math']);
    expect(blocks[1]).toEqual({ t: 'p', c: [{ t: 'text', v: 'One line and the next.' }] });
    expect(blocks[2]).toMatchObject({ items: [[{ v: 'a' }], [{ v: 'b' }]] });
    expect(blocks[5]).toMatchObject({ t: 'math', v: '∑ⱼ xⱼ' });
  });

  it('reads inline spans, and leaves an unclosed one as text', () => {
    expect(parseInline('a **bold *and* more** `c` $x^2$')).toEqual([
      { t: 'text', v: 'a ' },
      {
        t: 'strong',
        c: [
          { t: 'text', v: 'bold ' },
          { t: 'em', c: [{ t: 'text', v: 'and' }] },
          { t: 'text', v: ' more' },
        ],
      },
      { t: 'text', v: ' ' },
      { t: 'code', v: 'c' },
      { t: 'text', v: ' ' },
      { t: 'math', tex: 'x^2', v: 'x²' },
    ]);
    expect(parseInline('2 * 3 costs $5')).toEqual([{ t: 'text', v: '2 * 3 costs $5' }]);
  });

  it('keeps only web links; markup and script URLs stay inert text', () => {
    expect(parseInline('[site](https://example.org/a)')).toEqual([
      { t: 'link', href: 'https://example.org/a', c: [{ t: 'text', v: 'site' }] },
    ]);
    expect(parseInline('[x](javascript:alert(1))')).toEqual([
      { t: 'text', v: 'x' },
      { t: 'text', v: ')' },
    ]);
    expect(parseInline('<img src=x onerror=alert(1)>')).toEqual([{ t: 'text', v: '<img src=x onerror=alert(1)>' }]);
  });

  it('turns TeX into Unicode text', () => {
    expect(texToText('|x \\star \\psi_{j,\\theta}|')).toBe('|x ⋆ ψ_(j,θ)|');
    expect(texToText('\\frac{1}{2^J}')).toBe('1/(2^J)');
    expect(texToText('\\sqrt{a^2+b^2}')).toBe('√(a²+b²)');
    expect(texToText('\\lambda \\ge 0')).toBe('λ ≥ 0');
    expect(texToText('\\mathrm{ReLU}(x)')).toBe('ReLU(x)');
  });
});

describe('math parts', () => {
  it('keeps scripts Unicode cannot write as sub/sup parts', () => {
    expect(texParts('x \\star \\psi_{j,\\theta}')).toEqual([
      { t: 'text', v: 'x ⋆ ψ' },
      { t: 'sub', v: 'j,θ' },
    ]);
    expect(texParts('2^J + x_1')).toEqual([
      { t: 'text', v: '2' },
      { t: 'sup', v: 'J' },
      { t: 'text', v: ' + x₁' },
    ]);
  });
});
