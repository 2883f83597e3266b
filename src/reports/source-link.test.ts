import { describe, expect, it } from 'vitest';
import { sourceUrl, sourceUrlTemplateProblem } from '../model/source-link.js';
import { sourceHtml } from './html-layout.js';

const GITHUB = 'https://github.com/o/r/blob/4f2a9c1/{file}#L{line}';

describe('source links', () => {
  it('fills a GitHub blob template and an editor template', () => {
    expect(sourceUrl(GITHUB, 'src/plugins/canvas/handlers.ts', 42)).toBe(
      'https://github.com/o/r/blob/4f2a9c1/src/plugins/canvas/handlers.ts#L42',
    );
    expect(sourceUrl('vscode://file/home/me/app/{file}:{line}', 'src/a.ts', 7)).toBe(
      'vscode://file/home/me/app/src/a.ts:7',
    );
    expect(sourceUrl('idea://open?file=/repo/{file}&line={line}', 'src/a.ts', 3)).toBe(
      'idea://open?file=/repo/src/a.ts&line=3',
    );
  });

  it('encodes each path segment so a file name cannot change the URL', () => {
    expect(sourceUrl(GITHUB, 'src/my dir/a#b?.ts', 1)).toBe(
      'https://github.com/o/r/blob/4f2a9c1/src/my%20dir/a%23b%3F.ts#L1',
    );
    expect(sourceUrl(GITHUB, 'src\\win\\100%.ts', 2)).toBe('https://github.com/o/r/blob/4f2a9c1/src/win/100%25.ts#L2');
    // `$&` is not a replacement pattern here.
    expect(sourceUrl(GITHUB, 'src/$&.ts', 2)).toBe('https://github.com/o/r/blob/4f2a9c1/src/%24%26.ts#L2');
  });

  it('links line 1 when the line is unknown, and nothing without a template or a file', () => {
    expect(sourceUrl(GITHUB, 'src/a.ts', null)).toBe('https://github.com/o/r/blob/4f2a9c1/src/a.ts#L1');
    expect(sourceUrl(undefined, 'src/a.ts', 3)).toBeNull();
    expect(sourceUrl(GITHUB, null, 3)).toBeNull();
  });

  it('refuses schemes that could run code, and templates without {file}', () => {
    expect(sourceUrl('javascript:alert(1)//{file}', 'a.ts', 1)).toBeNull();
    expect(sourceUrl('data:text/html,{file}', 'a.ts', 1)).toBeNull();
    expect(sourceUrlTemplateProblem('javascript:alert(1)//{file}')).toMatch(/must start with/);
    expect(sourceUrlTemplateProblem('https://github.com/o/r/blob/main/')).toMatch(/no \{file\}/);
    expect(sourceUrlTemplateProblem('not a url {file}')).toMatch(/valid URL/);
    expect(sourceUrlTemplateProblem(GITHUB)).toBeNull();
  });

  it('renders an escaped link in pages, plain text without a template', () => {
    const file = 'src/"><img src=x>.ts';
    const linked = sourceHtml(file, 9, GITHUB);
    expect(linked).toBe(
      '<a class="src-link" href="https://github.com/o/r/blob/4f2a9c1/src/%22%3E%3Cimg%20src%3Dx%3E.ts#L9">src/<wbr>&quot;&gt;&lt;img src=x&gt;.ts:9</a>',
    );
    expect(sourceHtml(file, 9)).toBe('src/<wbr>&quot;&gt;&lt;img src=x&gt;.ts:9');
  });
});
