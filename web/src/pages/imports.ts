// Imports (admin, operator in scope): POST /api/v1/imports/{kind}?map=NAME&atomic=1 with the file
// as the body; the summary, and the link to the rejected rows (GET …/{import_id}/rejects).
import { api, ApiError, type ImportResult } from '../api';
import type { Page } from '../app';
import { append, clear, h, notice, section, table } from '../dom';
import { fmtInt } from '../format';
import { label, t } from '../i18n';

export const kinds = ['transactions', 'evaluations', 'rectifications', 'probes', 'guides', 'org', 'regions', 'departments', 'items'];
/** The mappings shipped in config/mappings (the server names them). */
const mappings = ['nyc311-api', 'nyc311-legacy', 'boston311', 'la311-2020'];

function summary(r: ImportResult): HTMLElement {
  const box = section(t('imports.result'));
  box.id = 'import-result';
  if (r.atomic_refused) box.appendChild(notice(t('imports.refused'), 'warn'));
  box.appendChild(h('dl', { class: 'kpis', 'data-import-id': r.import_id },
    ([['imports.read', r.read, 'read'], ['imports.loaded', r.loaded, 'loaded'], ['imports.replaced', r.replaced, 'replaced'], ['imports.rejected', r.rejected, 'rejected']] as const)
      .map(([k, v, id]) => h('div', {}, h('dt', {}, t(k)), h('dd', { 'data-stat': id }, fmtInt(v))))));
  box.appendChild(table(t('imports.file'), [
    { head: t('imports.file'), cell: (f: ImportResult['files'][number]) => f.file },
    { head: t('imports.format'), cell: (f) => `${f.format} · ${f.encoding}` },
    { head: t('imports.read'), cell: (f) => fmtInt(f.read), num: true },
    { head: t('imports.rejected'), cell: (f) => fmtInt(f.rejected), num: true },
    { head: t('imports.warnings'), cell: (f) => [...f.warnings, ...f.ignored_columns.map((c) => t('imports.ignored', { column: c }))].join('; ') },
  ], r.files, { rowHeader: true, id: 'import-files' }));
  const unknown = Object.entries(r.unknown_codes ?? {});
  if (unknown.length) {
    box.appendChild(h('p', {}, `${t('imports.unknown')}: `, unknown.map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}`).join(' · ')));
  }
  if (r.rejected > 0 && r.rejects_file) {
    box.appendChild(h('p', {}, h('a', { href: r.rejects_file, id: 'rejects-link', download: `${r.kind}-${r.import_id}.rejects.csv` }, t('imports.rejects'))));
  }
  return box;
}

export const importsPage: Page = {
  id: 'imports',
  title: 'imports.title',
  who: ['admin', 'operator'],
  async render(el) {
    const kind = h('select', { id: 'import-kind', name: 'kind' }, kinds.map((k) => h('option', { value: k }, `${label('kind', k)} (${k})`)));
    const map = h('input', { id: 'import-map', name: 'map', list: 'import-maps', placeholder: 'nyc311-api' });
    const maps = h('datalist', { id: 'import-maps' }, mappings.map((m) => h('option', { value: m })));
    const atomic = h('input', { id: 'import-atomic', type: 'checkbox', name: 'atomic', checked: true });
    const file = h('input', { id: 'import-file', type: 'file', name: 'file', required: true, accept: '.csv,.ndjson,.json,.jsonl,text/csv,application/json' });
    const status = h('div', { 'aria-live': 'polite', id: 'import-status' });
    const result = h('div');
    const form = h('form', { class: 'card import-form', id: 'import-form' },
      h('label', { class: 'field', for: 'import-kind' }, h('span', {}, t('imports.kind')), kind),
      h('label', { class: 'field', for: 'import-map' }, h('span', {}, t('imports.map')), map), maps,
      h('label', { class: 'check', for: 'import-atomic' }, atomic, h('span', {}, t('imports.atomic'))),
      h('label', { class: 'field', for: 'import-file' }, h('span', {}, t('imports.file')), file),
      h('button', { type: 'submit', id: 'import-submit' }, t('imports.submit')),
      status);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clear(status);
      clear(result);
      const f = file.files?.[0];
      if (!f) {
        status.appendChild(notice(t('imports.choose'), 'error'));
        return;
      }
      status.appendChild(notice(t('imports.busy')));
      try {
        const r = await api.importFile(kind.value, f, { map: map.value.trim() || undefined, atomic: atomic.checked || undefined, filename: f.name });
        clear(status);
        result.appendChild(summary(r));
      } catch (e) {
        clear(status);
        const body = e instanceof ApiError ? (e.body as { import?: ImportResult } | null) : null;
        status.appendChild(notice(t('app.error', { message: (e as Error).message }), 'error'));
        if (body?.import) result.appendChild(summary(body.import));
      }
    });
    append(el, form, result);
  },
};
