import { t } from './i18n';

// Small DOM helpers. Text always goes in through textContent (never innerHTML), so data from the
// server cannot become markup.

type Attrs = Record<string, string | number | boolean | null | undefined>;
type Child = Node | string | number | null | undefined | false;

/** Creates an element: h('button', {type: 'button', class: 'x'}, 'text', otherNode). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = String(v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: (Child | Child[])[]): void {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

export function on<K extends keyof HTMLElementEventMap>(
  el: HTMLElement,
  type: K,
  fn: (ev: HTMLElementEventMap[K]) => void,
): HTMLElement {
  el.addEventListener(type, fn);
  return el;
}

export function button(label: string, onClick: () => void, attrs: Attrs = {}): HTMLButtonElement {
  const b = h('button', { type: 'button', ...attrs }, label);
  b.addEventListener('click', onClick);
  return b;
}

export interface Column<R> {
  /** Header text. */
  head: string;
  /** Cell content: text or a node. */
  cell: (row: R) => Child;
  /** Right-aligned numbers. */
  num?: boolean;
  /** Extra attributes of the cell (e.g. data-testid). */
  attrs?: (row: R) => Attrs;
}

/** A table with a caption, column headers and, optionally, a header cell per row. */
export function table<R>(
  caption: string,
  columns: Column<R>[],
  rows: R[],
  opts: { rowHeader?: boolean; id?: string; empty?: string; rowAttrs?: (row: R) => Attrs } = {},
): HTMLElement {
  const thead = h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : null }, c.head))));
  const tbody = h('tbody');
  for (const r of rows) {
    const tr = h('tr', opts.rowAttrs ? opts.rowAttrs(r) : {});
    columns.forEach((c, i) => {
      const tag = i === 0 && opts.rowHeader ? 'th' : 'td';
      const cell = h(tag, { class: c.num ? 'num' : null, ...(tag === 'th' ? { scope: 'row' } : {}), ...(c.attrs ? c.attrs(r) : {}) });
      append(cell, c.cell(r));
      tr.appendChild(cell);
    });
    tbody.appendChild(tr);
  }
  if (rows.length === 0 && opts.empty) {
    tbody.appendChild(h('tr', {}, h('td', { colspan: columns.length, class: 'empty' }, opts.empty)));
  }
  return h('div', { class: 'table-wrap' }, h('table', { id: opts.id }, h('caption', {}, caption), thead, tbody));
}

/** A section with a heading. */
export function section(title: string, ...children: (Child | Child[])[]): HTMLElement {
  return h('section', { class: 'card' }, h('h2', {}, title), ...children);
}

export function notice(text: string, kind: 'info' | 'error' | 'warn' = 'info'): HTMLElement {
  return h('p', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

/** A labelled <select>. */
export function select(
  label: string,
  options: { value: string; label: string }[],
  value: string,
  onChange: (v: string) => void,
  attrs: Attrs = {},
): HTMLElement {
  const id = `sel-${Math.random().toString(36).slice(2, 9)}`;
  const s = h('select', { id, ...attrs }, options.map((o) => h('option', { value: o.value, selected: o.value === value }, o.label)));
  s.addEventListener('change', () => onChange(s.value));
  return h('label', { class: 'field', for: id }, h('span', {}, label), s);
}

/** A table folded under a summary line (long tables stay out of the way until asked for). */
export function folded(rows: number, tableEl: HTMLElement, open = false): HTMLElement {
  return h('details', { class: 'data-table', open }, h('summary', {}, t('common.table', { n: rows })), tableEl);
}
