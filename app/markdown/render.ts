import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/**
 * Markdown written by one student is shown to others (teachers, classmates), so the HTML
 * that `marked` produces is never trusted: it is cut down to a fixed, safe subset here,
 * in the one place every markdown cell goes through.
 */

// A private instance so no other module's marked.use() can change what we render.
const markdown = new Marked({ gfm: true, breaks: false, async: false });

const SAFE_HTML: sanitizeHtml.IOptions = {
  allowedTags: [
    'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'blockquote',
    'ul', 'ol', 'li', 'strong', 'em', 'del', 's', 'code', 'pre', 'a', 'img',
    'table', 'thead', 'tbody', 'tr', 'th', 'td', 'input', 'sup', 'sub', 'span',
  ],
  allowedAttributes: {
    a: ['href', 'title'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    th: ['align'],
    td: ['align'],
    // Task-list checkboxes from GFM; forced disabled below so they stay decoration.
    input: ['type', 'checked', 'disabled'],
    code: ['class'],
  },
  allowedClasses: { code: [/^language-[\w-]+$/] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    // Links open in a new tab (the notebook must not be navigated away from) and cannot
    // reach back into this page through window.opener.
    a: (tagName, attribs) => ({
      tagName,
      attribs: { ...attribs, target: '_blank', rel: 'noopener noreferrer nofollow' },
    }),
    input: (tagName, attribs) => ({
      tagName,
      attribs: attribs.type === 'checkbox'
        ? { type: 'checkbox', disabled: '', ...(attribs.checked !== undefined ? { checked: '' } : {}) }
        : {},
    }),
  },
  exclusiveFilter: (frame) => frame.tag === 'input' && frame.attribs.type !== 'checkbox',
};
// transformTags adds target/rel after the attribute filter has run, so allow them for <a>.
(SAFE_HTML.allowedAttributes as Record<string, string[]>).a.push('target', 'rel');

/** Markdown source → HTML that is safe to put into the page with dangerouslySetInnerHTML. */
export function renderMarkdown(source: string): string {
  const html = markdown.parse(source, { async: false });
  return sanitizeHtml(html, SAFE_HTML);
}
