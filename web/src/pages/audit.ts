// The audit log (admin and auditor): GET /api/v1/audit?from&to, newest first, filtered here.
import { api, type AuditEntry } from '../api';
import type { Page } from '../app';
import { button, h, section, table } from '../dom';
import { fmtTime } from '../format';
import { t } from '../i18n';

const pageSize = 50;

export const auditPage: Page = {
  id: 'audit',
  title: 'audit.title',
  who: ['admin', 'auditor'],
  async render(el, ctx) {
    const entries = (await api.audit({})).slice().reverse();
    const q = (ctx.params.get('q') ?? '').toLowerCase();
    const shown = q ? entries.filter((e) => `${e.actor} ${e.action} ${e.object} ${e.detail}`.toLowerCase().includes(q)) : entries;
    const pageNo = Math.max(1, Number(ctx.params.get('p') ?? '1'));
    const pages = Math.max(1, Math.ceil(shown.length / pageSize));
    const input = h('input', { type: 'search', id: 'audit-q', value: q });
    const form = h('form', { class: 'controls' }, h('label', { class: 'field', for: 'audit-q' }, h('span', {}, t('ctl.search')), input), h('button', { type: 'submit' }, t('ctl.search')));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      ctx.go({ q: input.value || null, p: null });
    });
    el.appendChild(section(t('audit.title'), form,
      table(t('ctl.page', { page: pageNo, pages, total: shown.length }), [
        { head: t('audit.seq'), cell: (e: AuditEntry) => String(e.seq), num: true },
        { head: t('audit.at'), cell: (e) => fmtTime(e.at) },
        { head: t('audit.actor'), cell: (e) => e.actor },
        { head: t('audit.action'), cell: (e) => e.action, attrs: () => ({ 'data-col': 'action' }) },
        { head: t('audit.object'), cell: (e) => e.object },
        { head: t('audit.detail'), cell: (e) => e.detail },
      ], shown.slice((pageNo - 1) * pageSize, pageNo * pageSize), { rowHeader: true, id: 'audit-table', empty: t('common.noData') }),
      h('div', { class: 'pager' },
        button(t('ctl.prev'), () => ctx.go({ p: String(pageNo - 1) }), { disabled: pageNo <= 1 }),
        button(t('ctl.next'), () => ctx.go({ p: String(pageNo + 1) }), { disabled: pageNo >= pages }))));
  },
};
