// 好差评: ratings by unit and by month; the real-name bad-review cases with their deadlines, the
// overdue list, one case's history, and acting on it (POST …/actions with the session's CSRF token).
import { api, pivot, type CaseRow } from '../api';
import { may, scoped, type Ctx, type Page } from '../app';
import { chart } from '../charts';
import { monthsOf, names, nameOf, twelveMonths } from '../data';
import { button, clear, folded, h, notice, section, table } from '../dom';
import { fmtInt, fmtTime, fmtValue } from '../format';
import { label, t } from '../i18n';

const ratings = ['evaluations', 'positive_rate', 'negative_rate', 'top2_rate', 'mean_score', 'active_positive_rate', 'unrated_rate'];
const states = ['open', 'verified', 'rectified', 'revisited', 'closed', 'invalid'];
const pageSize = 25;

/** The steps possible from a state (src/core/closed_loop.cc); invalidate is a supervisor's. */
export function actionsFor(state: string, supervisor: boolean): string[] {
  const a: Record<string, string[]> = {
    open: ['assign', 'verify'],
    verified: ['assign', 'rectify'],
    rectified: ['revisit'],
    revisited: ['close'],
  };
  const out = [...(a[state] ?? [])];
  if (supervisor && state !== 'closed' && state !== 'invalid') out.push('invalidate');
  return out;
}

function caseDetail(ctx: Ctx, id: string, box: HTMLElement, regionNames: Map<string, string>, deptNames: Map<string, string>, onChange: (state: string) => void, done?: string): void {
  clear(box);
  const sec = section(t('reviews.case', { id }));
  sec.id = 'case-detail';
  box.appendChild(sec);
  if (done) sec.appendChild(notice(done, 'info'));
  void (async () => {
    let c: CaseRow;
    try {
      c = await api.caseShow(id);
    } catch (e) {
      sec.appendChild(notice(t('app.error', { message: (e as Error).message }), 'error'));
      return;
    }
    const facts: [string, string][] = [
      [t('reviews.region'), nameOf(regionNames, c.region_code)],
      [t('reviews.dept'), nameOf(deptNames, c.dept_code)],
      [t('reviews.reviewedAt'), fmtTime(c.reviewed_at)],
      [t('common.score'), String(c.score)],
      [t('reviews.state'), label('state', c.state)],
      [t('reviews.next'), c.next_step ? label('action', c.next_step) : '—'],
      [t('reviews.deadline'), fmtTime(c.deadline)],
      [t('reviews.overdue'), c.overdue ? t('common.yes') : t('common.no')],
    ];
    if (typeof c.contact === 'string') facts.push([t('reviews.contact'), c.contact]);
    sec.appendChild(h('dl', { class: 'facts', id: 'case-facts', 'data-state': c.state }, facts.map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v)))));
    sec.appendChild(table(t('reviews.history'), [
      { head: t('audit.at'), cell: (e: NonNullable<CaseRow['history']>[number]) => fmtTime(e.at) },
      { head: t('audit.action'), cell: (e) => label('event', e.event) },
      { head: t('reviews.actor'), cell: (e) => e.actor },
      { head: t('reviews.note'), cell: (e) => e.note ?? '' },
    ], c.history ?? [], { id: 'case-history', empty: t('common.none') }));
    if (!may.actOnCases(ctx.me)) return;
    const actions = actionsFor(c.state, ctx.me?.role === 'supervisor');
    if (!actions.length) {
      sec.appendChild(notice(t('reviews.noActions')));
      return;
    }
    const action = h('select', { id: 'act-action', name: 'action' }, actions.map((a) => h('option', { value: a }, label('action', a))));
    const note = h('input', { id: 'act-note', name: 'note', maxlength: 500 });
    const reason = h('input', { id: 'act-reason', name: 'reason', maxlength: 500 });
    const score = h('input', { id: 'act-score', name: 'revisit_score', type: 'number', min: 1, max: 5, step: 1 });
    const reasonField = h('label', { class: 'field', for: 'act-reason' }, h('span', {}, t('reviews.reason')), reason);
    const scoreField = h('label', { class: 'field', for: 'act-score' }, h('span', {}, t('reviews.revisitScore')), score);
    const status = h('div', { 'aria-live': 'polite' });
    const sync = () => {
      reasonField.hidden = action.value !== 'invalidate';
      reason.required = action.value === 'invalidate';
      scoreField.hidden = action.value !== 'revisit';
      score.required = action.value === 'revisit';
    };
    action.addEventListener('change', sync);
    sync();
    const form = h('form', { class: 'act-form', id: 'act-form' },
      h('h3', {}, t('reviews.act')),
      h('label', { class: 'field', for: 'act-action' }, h('span', {}, t('audit.action')), action),
      h('label', { class: 'field', for: 'act-note' }, h('span', {}, t('reviews.note')), note),
      reasonField, scoreField,
      h('button', { type: 'submit', id: 'act-submit' }, t('reviews.submit')),
      h('p', { class: 'hint' }, t('reviews.actNote')),
      status);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clear(status);
      try {
        const after = await api.caseAct(id, {
          action: action.value,
          note: note.value || undefined,
          reason: action.value === 'invalidate' ? reason.value : undefined,
          revisit_score: action.value === 'revisit' ? Number(score.value) : undefined,
        });
        onChange(after.state);
      } catch (e) {
        status.appendChild(notice(t('app.error', { message: (e as Error).message }), 'error'));
      }
    });
    sec.appendChild(form);
  })();
}

async function casesBox(ctx: Ctx, el: HTMLElement): Promise<void> {
  const at = ctx.params.get('at') ?? ctx.to;
  const state = ctx.params.get('state') ?? '';
  const overdue = (ctx.params.get('overdue') ?? '1') === '1';
  const pageNo = Math.max(1, Number(ctx.params.get('p') ?? '1'));
  const [list, groups, regionNames, deptNames] = await Promise.all([
    api.cases({ at, state: state || undefined, overdue: overdue || undefined }),
    api.cases({ at, by: 'region' }),
    names(ctx.from, ctx.to, 'region'),
    names(ctx.from, ctx.to, 'dept'),
  ]);
  const detail = h('div', { id: 'case-box' });
  // After an action the page is drawn again (the list may change) with the case open.
  const refresh = (id: string) => (state: string) => ctx.go({ case: id, acted: state, t: String(Date.now()) });

  // Filters.
  const atIn = h('input', { type: 'date', id: 'cases-at', value: at });
  const stateSel = h('select', { id: 'cases-state' }, h('option', { value: '' }, t('common.all')), states.map((s) => h('option', { value: s, selected: s === state }, label('state', s))));
  const overdueIn = h('input', { type: 'checkbox', id: 'cases-overdue', checked: overdue });
  const filter = h('form', { class: 'controls', id: 'cases-filter' },
    h('label', { class: 'field', for: 'cases-at' }, h('span', {}, t('reviews.at')), atIn),
    h('label', { class: 'field', for: 'cases-state' }, h('span', {}, t('reviews.state')), stateSel),
    h('label', { class: 'check', for: 'cases-overdue' }, overdueIn, h('span', {}, t('reviews.overdueOnly'))),
    h('button', { type: 'submit', id: 'cases-apply' }, t('ctl.search')));
  filter.addEventListener('submit', (ev) => {
    ev.preventDefault();
    ctx.go({ at: atIn.value || null, state: stateSel.value || null, overdue: overdueIn.checked ? '1' : '0', p: null });
  });

  const rows = list.cases ?? [];
  const pages = Math.max(1, Math.ceil(rows.length / pageSize));
  const shown = rows.slice((pageNo - 1) * pageSize, pageNo * pageSize);
  const sec = section(t('reviews.cases'), filter,
    table(`${t('reviews.cases')} · ${t('ctl.page', { page: pageNo, pages, total: rows.length })}`, [
      { head: t('reviews.id'), cell: (c: CaseRow) => c.id },
      { head: t('reviews.region'), cell: (c) => nameOf(regionNames, c.region_code) },
      { head: t('reviews.dept'), cell: (c) => nameOf(deptNames, c.dept_code) },
      { head: t('reviews.reviewedAt'), cell: (c) => fmtTime(c.reviewed_at) },
      { head: t('reviews.state'), cell: (c) => label('state', c.state), attrs: () => ({ 'data-col': 'state' }) },
      { head: t('reviews.next'), cell: (c) => (c.next_step ? label('action', c.next_step) : '—') },
      { head: t('reviews.deadline'), cell: (c) => fmtTime(c.deadline) },
      { head: t('reviews.overdue'), cell: (c) => (c.overdue ? h('span', { class: 'flag-overdue' }, t('reviews.overdue')) : '') },
      { head: '', cell: (c) => button(t('ctl.show'), () => caseDetail(ctx, c.id, detail, regionNames, deptNames, refresh(c.id)), { 'data-case': c.id }) },
    ], shown, { rowHeader: true, id: 'cases-table', empty: t('common.noData'), rowAttrs: (c) => ({ 'data-case-row': c.id }) }),
    h('div', { class: 'pager' },
      button(t('ctl.prev'), () => ctx.go({ p: String(pageNo - 1) }), { disabled: pageNo <= 1 }),
      button(t('ctl.next'), () => ctx.go({ p: String(pageNo + 1) }), { disabled: pageNo >= pages })));
  sec.id = 'cases';
  el.appendChild(sec);
  el.appendChild(detail);

  const g = groups.groups ?? [];
  el.appendChild(section(t('reviews.casesSummary'), folded(g.length,
    table(t('reviews.casesSummary'), [
      { head: t('reviews.region'), cell: (r: (typeof g)[number]) => nameOf(regionNames, String(r.region_code)) },
      { head: t('common.total'), cell: (r) => fmtInt(r.cases), num: true },
      ...states.map((s) => ({ head: label('state', s), cell: (r: (typeof g)[number]) => fmtInt(r[s] as number), num: true })),
      { head: t('reviews.overdue'), cell: (r) => fmtInt(r.overdue), num: true, attrs: () => ({ 'data-col': 'overdue' }) },
    ], g, { rowHeader: true, id: 'cases-summary', rowAttrs: (r) => ({ 'data-key': String(r.region_code) }) }))));
  const open = ctx.params.get('case');
  const acted = ctx.params.get('acted');
  if (open) caseDetail(ctx, open, detail, regionNames, deptNames, refresh(open), acted ? t('reviews.done', { id: open, state: label('state', acted) }) : undefined);
}

export const reviewsPage: Page = {
  id: 'reviews',
  title: 'reviews.title',
  who: scoped,
  level: true,
  period: true,
  async render(el, ctx) {
    const span = twelveMonths(ctx.to);
    const [byUnit, byMonth, unitNames] = await Promise.all([
      api.indicators({ from: ctx.from, to: ctx.to, by: ctx.by, only: ratings.join(',') }),
      api.indicators({ from: span.from, to: span.to, by: 'month', only: ratings.join(',') }),
      names(ctx.from, ctx.to, ctx.by),
    ]);
    const up = pivot(byUnit, ctx.by);
    const units = [...up.keys()].filter((k) => (up.get(k)?.get('evaluations')?.value ?? 0) > 0);
    const mp = pivot(byMonth, 'month');
    const months = monthsOf(span.from, span.to);
    const grid = h('div', { class: 'grid-2' });
    el.appendChild(grid);
    grid.appendChild(section(t('reviews.byUnit'),
      chart({
        grid: { left: 120, right: 50, top: 30, bottom: 30 },
        legend: { top: 0 },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        xAxis: { type: 'value', name: label('ind', 'negative_rate'), axisLabel: { formatter: (v: number) => `${(v * 100).toFixed(1)}%` } },
        yAxis: { type: 'category', inverse: true, data: units.slice(0, 40).map((k) => nameOf(unitNames, k)), axisLabel: { interval: 0 } },
        series: [{ type: 'bar', name: label('ind', 'negative_rate'), itemStyle: { color: '#c0392b' }, data: units.slice(0, 40).map((k) => up.get(k)?.get('negative_rate')?.value ?? null) }],
      }, t('reviews.byUnit'), Math.max(200, Math.min(40, units.length) * 22 + 60), { id: 'ratings-chart' }),
      table(t('reviews.byUnit'), [
        { head: label('level', ctx.by), cell: (k: string) => nameOf(unitNames, k) },
        ...ratings.map((c) => ({ head: label('ind', c), num: true, cell: (k: string) => fmtValue(c, up.get(k)?.get(c)?.value), attrs: () => ({ 'data-col': c }) })),
      ], units, { rowHeader: true, id: 'ratings-table', rowAttrs: (k) => ({ 'data-key': k }) })));
    grid.appendChild(section(t('reviews.byMonth'),
      chart({
        grid: { left: 60, right: 60, top: 40, bottom: 30 },
        legend: { top: 0 },
        tooltip: { trigger: 'axis' },
        xAxis: { type: 'category', data: months },
        yAxis: [{ type: 'value', scale: true, axisLabel: { formatter: (v: number) => `${(v * 100).toFixed(1)}%` } }, { type: 'value', min: 1, max: 5 }],
        series: [
          { type: 'line', name: label('ind', 'positive_rate'), data: months.map((m) => mp.get(m)?.get('positive_rate')?.value ?? null) },
          { type: 'line', name: label('ind', 'mean_score'), yAxisIndex: 1, data: months.map((m) => mp.get(m)?.get('mean_score')?.value ?? null) },
        ],
      }, t('reviews.byMonth'), 280, { id: 'ratings-month-chart' }),
      table(t('reviews.byMonth'), [
        { head: t('common.month'), cell: (m: string) => m },
        ...ratings.map((c) => ({ head: label('ind', c), num: true, cell: (m: string) => fmtValue(c, mp.get(m)?.get(c)?.value) })),
      ], months, { rowHeader: true, id: 'ratings-month-table' })));
    if (may.cases(ctx.me)) await casesBox(ctx, el);
  },
};

