/**
 * Trip stories are HTML that the backend sanitises (p br b i em strong u ul ol li a blockquote).
 * The browser sanitises again before rendering, with the same allow-list, and converts the
 * plain text the editor uses to and from that HTML.
 */
const ALLOWED = new Set(['P', 'BR', 'B', 'I', 'EM', 'STRONG', 'U', 'UL', 'OL', 'LI', 'A', 'BLOCKQUOTE']);
const SAFE_PROTOCOL = /^(https?:|mailto:)/i;

function clean(node: Node, doc: Document): Node | null {
  if (node.nodeType === Node.TEXT_NODE) return doc.createTextNode(node.textContent ?? '');
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const el = node as Element;
  const children = Array.from(el.childNodes)
    .map((child) => clean(child, doc))
    .filter((child): child is Node => child !== null);
  if (!ALLOWED.has(el.tagName)) {
    if (['SCRIPT', 'STYLE', 'IFRAME', 'OBJECT', 'TEMPLATE'].includes(el.tagName)) return null;
    const fragment = doc.createDocumentFragment();
    children.forEach((child) => fragment.appendChild(child));
    return fragment;
  }
  const out = doc.createElement(el.tagName.toLowerCase());
  if (el.tagName === 'A') {
    const href = el.getAttribute('href')?.trim() ?? '';
    if (SAFE_PROTOCOL.test(href)) {
      out.setAttribute('href', href);
      out.setAttribute('rel', 'noopener noreferrer nofollow');
      out.setAttribute('target', '_blank');
    }
    const title = el.getAttribute('title');
    if (title) out.setAttribute('title', title);
  }
  children.forEach((child) => out.appendChild(child));
  return out;
}

export function sanitizeHtml(html: string): string {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  const target = document.implementation.createHTMLDocument('');
  const container = target.createElement('div');
  Array.from(doc.body.childNodes).forEach((child) => {
    const cleaned = clean(child, target);
    if (cleaned) container.appendChild(cleaned);
  });
  return container.innerHTML;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Plain text (paragraphs split by blank lines) to the story HTML. */
export function textToHtml(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

/** Story HTML back to editable plain text. */
export function htmlToText(html: string): string {
  if (!/[<&]/.test(html)) return html;
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  const blocks: string[] = [];
  let current = '';
  const walk = (node: Node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      current += node.textContent ?? '';
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    const tag = (node as Element).tagName;
    if (tag === 'BR') {
      current += '\n';
      return;
    }
    const block = ['P', 'LI', 'BLOCKQUOTE', 'DIV', 'UL', 'OL'].includes(tag);
    if (block && current.trim()) {
      blocks.push(current.trim());
      current = '';
    }
    node.childNodes.forEach(walk);
    if (block && current.trim()) {
      blocks.push(current.trim());
      current = '';
    }
  };
  doc.body.childNodes.forEach(walk);
  if (current.trim()) blocks.push(current.trim());
  return blocks.join('\n\n');
}

/** Visible text of story HTML, for excerpts. */
export function plainExcerpt(html: string, max = 180): string {
  const text = htmlToText(html).replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}
