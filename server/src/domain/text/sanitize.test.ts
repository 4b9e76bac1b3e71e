import { describe, expect, it } from 'vitest';
import { htmlToPlainText, plainTextToHtml, registerOwnOrigin, sanitizeRichText } from './sanitize';

describe('sanitizeRichText', () => {
  it('removes script and style elements with their content', () => {
    const out = sanitizeRichText('<p>hi</p><script>alert(1)</script><style>p{color:red}</style><SCRIPT src="x.js"></SCRIPT>');
    expect(out).toBe('<p>hi</p>');
    expect(out.toLowerCase()).not.toContain('script');
    expect(out).not.toContain('alert');
  });

  it('removes event handler attributes', () => {
    const out = sanitizeRichText(
      '<p onclick="steal()">a</p><img src="https://x.test/a.png" onerror="steal()" alt="a"><b onmouseover=steal()>b</b>',
    );
    expect(out).not.toMatch(/\son\w+\s*=/i);
    expect(out).not.toContain('steal');
    expect(out).toContain('<img src="https://x.test/a.png" alt="a" />');
    expect(out).toContain('<b>b</b>');
  });

  it('drops javascript:, data: and vbscript: URLs, also when obfuscated', () => {
    for (const href of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      ' javascript:alert(1)',
      'java&#x09;script:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
    ]) {
      const out = sanitizeRichText(`<a href="${href}">x</a>`);
      expect(out, href).not.toMatch(/javascript|vbscript|data:/i);
      expect(out, href).toContain('>x</a>');
    }
    expect(sanitizeRichText('<img src="javascript:alert(1)">')).not.toContain('javascript');
  });

  it('keeps safe links and marks them noopener noreferrer nofollow', () => {
    const out = sanitizeRichText('<a href="https://example.com/x?a=1&amp;b=2" rel="opener" target="_self" style="x">link</a>');
    expect(out).toContain('href="https://example.com/x?a=1&amp;b=2"');
    expect(out).toContain('rel="noopener noreferrer nofollow"');
    expect(out).toContain('target="_blank"');
    expect(out).not.toContain('style');
    expect(out).not.toContain('rel="opener"');
    expect(out).not.toContain('_self');
  });

  it('drops disallowed tags like iframe, object, form and svg', () => {
    const out = sanitizeRichText(
      '<iframe src="https://evil.test"></iframe><object data="x"></object><form><input></form><svg onload="x()"></svg>ok',
    );
    expect(out).toBe('ok');
  });
});

describe('htmlToPlainText', () => {
  it('strips tags and decodes entities', () => {
    expect(htmlToPlainText('<p>Fish &amp; chips &lt;b&gt; &quot;q&quot; &#39;s&#39; &nbsp;x</p>')).toBe(
      'Fish & chips <b> "q" \'s\' \u00a0x',
    );
  });

  it('keeps line breaks at block ends and <br>', () => {
    expect(htmlToPlainText('<p>one</p><p>two</p>line<br>three<br/>four')).toBe('one\ntwo\nline\nthree\nfour');
    expect(htmlToPlainText('<ul><li>a</li><li>b</li></ul>')).toBe('a\nb');
  });

  it('collapses runs of blank lines to one', () => {
    expect(htmlToPlainText('a<br><br><br><br>b')).toBe('a\n\nb');
  });

  it('does not leave markup in its output', () => {
    expect(htmlToPlainText(sanitizeRichText('<p>hi<script>alert(1)</script></p>'))).toBe('hi');
  });
});

describe('plainTextToHtml', () => {
  it('escapes markup so it is never interpreted', () => {
    const html = plainTextToHtml('<script>alert("x")</script> & <img src=x onerror=alert(1)>');
    expect(html).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<');
  });

  it('turns line breaks into <br> and round-trips through htmlToPlainText', () => {
    const text = 'line one\r\nline <two>\nline & three';
    const html = plainTextToHtml(text);
    expect(html).toBe('line one<br>line &lt;two&gt;<br>line &amp; three');
    expect(htmlToPlainText(html)).toBe('line one\nline <two>\nline & three');
  });
});

describe('sanitizeRichText: reply editor output', () => {
  it('keeps @mention spans and images of our own uploads', () => {
    const id = '3f2b8c1e-1d2a-4c5b-9e8f-0a1b2c3d4e5f';
    const out = sanitizeRichText(
      `<p>Hi <span data-type="mention" class="mention" data-id="${id}" data-label="Bob" onclick="x()">@Bob</span></p>` +
        '<p><img src="/uploads/agent/abc.png" alt="shot"></p>',
    );
    expect(out).toContain(`<span data-type="mention" class="mention" data-id="${id}" data-label="Bob">@Bob</span>`);
    expect(out).toContain('<img src="/uploads/agent/abc.png" alt="shot" />');
    expect(out).not.toContain('onclick');
  });

  it('drops other attributes and classes on spans, and script URLs on images', () => {
    const out = sanitizeRichText('<span class="evil" style="x" data-x="1">a</span><img src="javascript:alert(1)">');
    expect(out).toBe('<span>a</span><img />');
  });
});

describe('images in messages', () => {
  it('turns images from other hosts into links, keeps our own uploads and relative images', () => {
    registerOwnOrigin('https://crm.example');
    const out = sanitizeRichText(
      '<p><img src="https://tracker.example/pixel.gif?who=ada" alt="pixel"><img src="http://x.example/a.png"></p>' +
        '<p><img src="https://evil.example/widget-uploads/abcDEF_123/x.png" alt="fake"></p>' +
        '<p><img src="https://crm.example/widget-uploads/abcDEF_123/shot.png" alt="shot"><img src="/logo.png"></p>',
      { message: true },
    );
    expect(out).not.toMatch(/<img[^>]+tracker\.example/);
    expect(out).not.toMatch(/<img[^>]+x\.example/);
    expect(out).toContain(
      '<a href="https://tracker.example/pixel.gif?who=ada" rel="noopener noreferrer nofollow" target="_blank">[image: pixel]</a>',
    );
    expect(out).toContain('[image: x.example]');
    expect(out).toContain('[image: fake]');
    expect(out).toContain('<img src="https://crm.example/widget-uploads/abcDEF_123/shot.png" alt="shot" />');
    expect(out).toContain('<img src="/logo.png" />');
  });
});
