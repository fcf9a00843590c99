/**
 * The one way answer HTML becomes safe to insert: the string pass of
 * `inertHtml` (so no parser ever sees a handler or inline style), then
 * DOMPurify in its inert document (allow-lists of elements, attributes and
 * URL schemes). Links open outside the app; nothing that would load from
 * another origin is kept, since the CSP would block it and report it.
 */
import DOMPurify from 'dompurify';
import { scrubMarkup } from './inertHtml';

/** Where the CSP lets an image come from besides the app itself: inline data. */
const DATA_IMAGE = /^data:image\/(png|gif|jpe?g|webp|avif);/i;
/** Elements that load what their src/href names (DOMPurify keeps these three; audio/video/source/picture are forbidden below). */
const LOADERS = new Set(['img', 'image', 'feimage']);

const isDataImage = (value: string | null): boolean => value !== null && DATA_IMAGE.test(value.trim());

/**
 * A remote (or relative) image becomes a link to its address with its alt
 * text, before its attributes are checked: nothing is lost and nothing is
 * fetched. The link is then sanitised like any other (it is visited next).
 */
function imageToLink(node: Element): void {
  if (node.localName !== 'img' || isDataImage(node.getAttribute('src'))) return;
  const src = node.getAttribute('src')?.trim() ?? '';
  const alt = node.getAttribute('alt') ?? '';
  const doc = node.ownerDocument;
  if (/^https?:\/\//i.test(src)) {
    const a = doc.createElement('a');
    a.setAttribute('href', src);
    a.textContent = alt || src;
    node.replaceWith(a);
  } else {
    node.replaceWith(doc.createTextNode(alt));
  }
}

/** SVG's <image> and <feImage> load their href: only inline data may stay. */
function keepInlineHrefs(node: Element): void {
  if (!LOADERS.has(node.localName.toLowerCase())) return;
  for (const attr of ['src', 'href', 'xlink:href']) if (node.hasAttribute(attr) && !isDataImage(node.getAttribute(attr))) node.removeAttribute(attr);
}

let hooked = false;
function purifier(): typeof DOMPurify {
  if (hooked) return DOMPurify;
  hooked = true;
  DOMPurify.addHook('beforeSanitizeAttributes', imageToLink);
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A' && node.getAttribute('href')) {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    }
    keepInlineHrefs(node);
  });
  return DOMPurify;
}

const CONFIG = {
  FORBID_ATTR: ['style', 'srcset', 'poster', 'background', 'srcdoc'],
  FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'audio', 'video', 'source', 'track', 'picture'],
  // KaTeX's MathML keeps the TeX source in <semantics><annotation>, which browsers do not display.
  ADD_TAGS: ['semantics', 'annotation'],
};

/**
 * Answer HTML (markdown output, KaTeX output) as HTML that can be set as
 * innerHTML of the page: no handler, script, inline style or remote load.
 *
 * @example sanitizeHtml('<p onclick="x()">hi</p>') === '<p>hi</p>'
 */
export function sanitizeHtml(html: string): string {
  return purifier().sanitize(scrubMarkup(html), CONFIG);
}
