// The public page (anonymous): GET /api/v1/public/score and /public/indicators. A value from
// fewer than k records is suppressed by the server ("value": null, "suppressed": true) and shown
// as such; its row stays.
import { api, pivot } from '../api';
import type { Page } from '../app';
import { h, section, table } from '../dom';
import { fmtCell, fmtScore } from '../format';
import { label, t, unitName } from '../i18n';

export const publicK = 10;
const shown = ['volume', 'online_rate', 'one_visit_rate', 'on_time_rate', 'positive_rate', 'mean_score', 'reply_rate'];

export const publicPage: Page = {
  id: 'public',
  title: 'public.title',
  who: 'anyone',
  level: true,
  period: true,
  async render(el, ctx) {
    const p = { from: ctx.from, to: ctx.to, by: ctx.by };
    const [s, rows] = await Promise.all([api.publicScore(p), api.publicIndicators({ ...p, only: shown.join(',') })]);
    const names = new Map(s.units.map((u) => [u.unit, u.name ?? u.unit]));
    el.appendChild(h('p', { class: 'intro' }, t('public.intro', { k: publicK })));
    const units = s.units.filter((u) => !(u.sample === null && u.index === null && u.unit.endsWith('0000')));
    el.appendChild(section(t('public.score'), table(t('public.score'), [
      { head: t('common.unit'), cell: (u: (typeof units)[number]) => unitName(u.unit, u.name) },
      { head: t('common.index'), cell: (u) => (u.suppressed ? t('common.suppressed', { k: publicK }) : fmtScore(u.index)), num: true, attrs: () => ({ 'data-col': 'index' }) },
      { head: t('common.grade'), cell: (u) => (u.grade ? label('grade', u.grade) : '—') },
      { head: t('common.rank'), cell: (u) => (u.rank === null ? '—' : String(u.rank)), num: true },
    ], units, { rowHeader: true, id: 'public-score', rowAttrs: (u) => ({ 'data-unit': u.unit }) })));
    const pv = pivot(rows, ctx.by);
    el.appendChild(section(t('public.indicators'), table(t('public.indicators'), [
      { head: t('common.unit'), cell: (k: string) => unitName(k, names.get(k)) },
      ...shown.map((c) => ({
        head: label('ind', c),
        num: true,
        cell: (k: string) => {
          const r = pv.get(k)?.get(c);
          return r?.suppressed ? h('span', { class: 'suppressed' }, fmtCell(c, null, true, publicK)) : fmtCell(c, r?.value ?? null);
        },
        attrs: () => ({ 'data-col': c }),
      })),
    ], [...pv.keys()], { rowHeader: true, id: 'public-indicators', rowAttrs: (k) => ({ 'data-key': k }) })));
  },
};
