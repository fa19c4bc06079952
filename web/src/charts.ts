// ECharts, tree-shaken: only the charts and components the pages use are registered.
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart, PieChart, ScatterChart } from 'echarts/charts';
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { h } from './dom';

echarts.use([
  BarChart, HeatmapChart, LineChart, PieChart, ScatterChart,
  AriaComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, VisualMapComponent,
  CanvasRenderer,
]);

export type Option = echarts.EChartsCoreOption;
export type Chart = echarts.ECharts;

/** Animation is off under automation (tests) and for people who ask for reduced motion. */
export const animate =
  !navigator.webdriver && !(window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches);

/** Colours with enough contrast on white (WCAG AA for large marks). */
export const palette = ['#1f5fa8', '#c0392b', '#2e7d32', '#8e44ad', '#b35c00', '#00796b', '#5d4037', '#ad1457', '#455a64', '#6d7c00'];
export const gradeColours: Record<string, string> = { 非常高: '#1b5e20', 高: '#2e7d32', 中: '#b35c00', 低: '#c0392b' };

const live = new Set<Chart>();
const pending: Promise<void>[] = [];

/**
 * A chart in a new container. `label` is its accessible name; the data is also in a table next
 * to it, for screen readers and for printing. The chart is made on the next frame, once the
 * container is in the document and has a width; `ready` gets it (for click handlers).
 */
export function chart(
  option: Option,
  label: string,
  height = 320,
  attrs: Record<string, string> = {},
  ready?: (c: Chart) => void,
): HTMLElement {
  const el = h('div', { class: 'chart', role: 'img', 'aria-label': label, style: `height:${height}px`, ...attrs });
  pending.push(
    new Promise<void>((resolve) => {
      requestAnimationFrame(() => {
        if (!el.isConnected) return resolve(); // the page was left before it was drawn
        performance.mark('govqm:chart-init');
        const c = echarts.init(el, undefined, { renderer: 'canvas' });
        live.add(c);
        const timer = setTimeout(resolve, 3000); // never hang the ready signal on a chart
        c.on('finished', () => {
          performance.mark('govqm:chart-finished');
          clearTimeout(timer);
          resolve();
        });
        c.setOption({
          animation: animate,
          aria: { enabled: true },
          color: palette,
          textStyle: { fontFamily: 'inherit' },
          ...option,
        });
        // Follow the container's size (window, print layout, a folded table opening beside it).
        let last = el.clientWidth;
        new ResizeObserver(() => {
          if (el.clientWidth !== last && !c.isDisposed()) {
            last = el.clientWidth;
            c.resize();
          }
        }).observe(el);
        ready?.(c);
      });
    }),
  );
  return el;
}

/** Resolves once every chart drawn so far has finished rendering. */
export async function chartsSettled(): Promise<void> {
  const all = pending.splice(0);
  await Promise.all(all);
}

export function disposeAll(): void {
  for (const c of live) c.dispose();
  live.clear();
}

window.addEventListener('beforeprint', () => {
  for (const c of live) c.resize();
});
