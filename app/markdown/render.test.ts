import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './render';

describe('renderMarkdown', () => {
  it('renders the markdown a lesson uses: headings, lists, code, tables', () => {
    const html = renderMarkdown([
      '# Digits',
      '',
      'We train on **MNIST**.',
      '',
      '- one',
      '- two',
      '',
      '```js',
      'const x = 1;',
      '```',
      '',
      '| layer | params |',
      '|:--|--:|',
      '| dense | 100 |',
    ].join('\n'));
    expect(html).toContain('<h1>Digits</h1>');
    expect(html).toContain('<strong>MNIST</strong>');
    expect(html).toMatch(/<ul>\s*<li>one<\/li>/);
    expect(html).toContain('<code class="language-js">const x = 1;');
    expect(html).toContain('<table>');
    expect(html).toContain('<td align="right">100</td>');
  });

  it('makes links open in a new tab without access to the notebook page', () => {
    const html = renderMarkdown('[docs](https://js.tensorflow.org)');
    expect(html).toContain('href="https://js.tensorflow.org"');
    expect(html).toContain('target="_blank"');
    expect(html).toMatch(/rel="[^"]*noopener[^"]*"/);
  });

  it('keeps images with http(s) and relative addresses', () => {
    expect(renderMarkdown('![a](https://example.org/a.png)')).toContain('src="https://example.org/a.png"');
    expect(renderMarkdown('![b](/images/b.png)')).toContain('src="/images/b.png"');
  });

  const payloads: Array<[string, string]> = [
    ['a script tag', '<script>alert(1)</script>'],
    ['an inline event handler', '<img src="x.png" onerror="alert(1)">'],
    ['a javascript: link', '[click](javascript:alert(1))'],
    ['a javascript: link in raw HTML', '<a href="JaVaScRiPt:alert(1)">x</a>'],
    ['an entity-encoded javascript: link', '<a href="&#106;avascript:alert(1)">x</a>'],
    ['a data: image', '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)'],
    ['a style tag', '<style>body{display:none}</style>'],
    ['a style attribute', '<p style="background:url(javascript:alert(1))">hi</p>'],
    ['an iframe', '<iframe src="https://evil.example"></iframe>'],
    ['an svg with onload', '<svg onload="alert(1)"></svg>'],
    ['a form', '<form action="https://evil.example"><button>go</button></form>'],
    ['a protocol-relative image', '<img src="//evil.example/x.png">'],
  ];

  it.each(payloads)('strips %s', (_name, payload) => {
    const html = renderMarkdown(`Hello\n\n${payload}\n\nworld`);
    expect(html).not.toMatch(/<script|<style|<iframe|<svg|<form|<button/i);
    expect(html).not.toMatch(/\son\w+\s*=/i);
    expect(html).not.toMatch(/javascript:/i);
    expect(html).not.toMatch(/data:/i);
    expect(html).not.toMatch(/style=/i);
    expect(html).not.toContain('//evil.example');
    // The harmless text around a payload survives.
    expect(html).toContain('Hello');
    expect(html).toContain('world');
  });

  it('keeps task-list checkboxes but never as live form controls', () => {
    const html = renderMarkdown('- [x] done\n- [ ] todo');
    expect(html).toMatch(/<input type="checkbox" disabled(="")? checked(="")?/);
    expect(renderMarkdown('<input type="text" name="password">')).not.toContain('<input');
  });
});
