// Small SVG charts drawn by hand: the last minute of a figure, one point a second. Each chart is a
// figure whose caption says the current values in words, so that nothing is only a picture.

import {h, s, fill} from './dom.js';

const W = 360;
const H = 130;
const LEFT = 40;
const RIGHT = 6;
const TOP = 8;
const BOTTOM = 18;
export const POINTS = 60;

/** A round maximum for the y axis: 1, 2 or 5 times a power of ten, at least `least`. */
export function niceMax(value, least = 1) {
  const v = Math.max(value, least);
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5, 10].map(m => m * p).find(m => m >= v);
}

export function format(value) {
  if (value === null || value === undefined || Number.isNaN(value)) {
    return '–';
  }
  if (Number.isInteger(value) || value >= 100) {
    return Math.round(value).toLocaleString();
  }
  return value.toFixed(value >= 10 ? 1 : 2);
}

function frame(svg, max, unit, points) {
  const plotW = W - LEFT - RIGHT;
  const plotH = H - TOP - BOTTOM;
  for (const f of [0, 0.5, 1]) {
    const y = TOP + plotH * (1 - f);
    svg.append(s('line', {x1: LEFT, x2: W - RIGHT, y1: y, y2: y, class: 'grid'}));
    svg.append(s('text', {x: LEFT - 4, y: y + 4, class: 'axis', 'text-anchor': 'end'}, format(max * f)));
  }
  svg.append(s('text', {x: LEFT, y: H - 4, class: 'axis'}, `${points}s ago`));
  svg.append(s('text', {x: W - RIGHT, y: H - 4, class: 'axis', 'text-anchor': 'end'}, `now (${unit})`));
  return {
    x: i => LEFT + plotW * (i / (POINTS - 1)),
    y: v => TOP + plotH * (1 - Math.min(v, max) / max),
    plotH,
  };
}

/**
 * A line chart of a few series over the last minute.
 * series: [{key, name}]; push({key: number or null}) adds a second's values (null: no value, a gap).
 */
export function lineChart({id, title, unit, series}) {
  const data = series.map(() => []);
  const svg = s('svg', {viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-labelledby': `${id}-caption`});
  const caption = h('figcaption', {id: `${id}-caption`});
  const el = h('figure', {class: 'chart-box', id}, caption, svg);

  function draw() {
    const values = data.flat().filter(v => v !== null);
    const max = niceMax(Math.max(0, ...values), unit === 'ms' ? 10 : 1);
    svg.replaceChildren();
    const at = frame(svg, max, unit, POINTS);
    series.forEach((serie, n) => {
      const points = data[n];
      const offset = POINTS - points.length;
      let d = '';
      let pen = false;
      points.forEach((v, i) => {
        if (v === null) {
          pen = false;
          return;
        }
        d += `${pen ? 'L' : 'M'}${at.x(offset + i).toFixed(1)} ${at.y(v).toFixed(1)} `;
        pen = true;
      });
      svg.append(s('path', {d: d || 'M0 0', class: `line series-${n}`}));
    });
    fill(caption, h('strong', {}, title), series.map((serie, n) => {
      const last = data[n].length ? data[n][data[n].length - 1] : null;
      return h('span', {class: `value series-${n}`, dataset: {key: serie.key}}, `${serie.name} ${format(last)} ${unit}`);
    }));
  }

  function push(values) {
    series.forEach((serie, n) => {
      const v = values[serie.key];
      data[n].push(typeof v === 'number' ? v : null);
      if (data[n].length > POINTS) {
        data[n].shift();
      }
    });
    draw();
  }

  draw();
  return {el, push};
}

/**
 * Errors by H-code as stacked bars, one a second, with a legend of each code's count in the last
 * second and since the start. push(errorsInWindow, totalErrors), both {code: count}.
 */
export function errorChart({id, title}) {
  const ticks = [];
  const codes = [];
  const svg = s('svg', {viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-labelledby': `${id}-caption`});
  const caption = h('figcaption', {id: `${id}-caption`});
  const legend = h('ul', {class: 'legend'});
  const el = h('figure', {class: 'chart-box', id}, caption, svg, legend);

  function colour(code) {
    if (!codes.includes(code)) {
      codes.push(code);
    }
    return `code-${codes.indexOf(code) % 6}`;
  }

  function push(errors, totals) {
    ticks.push(errors ?? {});
    if (ticks.length > POINTS) {
      ticks.shift();
    }
    draw(errors, totals);
  }

  function draw(errors, totals) {
    const sums = ticks.map(t => Object.values(t).reduce((a, b) => a + b, 0));
    const max = niceMax(Math.max(0, ...sums), 1);
    svg.replaceChildren();
    const at = frame(svg, max, 'errors/s', POINTS);
    const width = Math.max(1, at.x(1) - at.x(0) - 1);
    const offset = POINTS - ticks.length;
    ticks.forEach((tick, i) => {
      let base = 0;
      for (const [code, n] of Object.entries(tick).sort()) {
        const top = at.y(base + n);
        svg.append(s('rect', {x: at.x(offset + i) - width / 2, y: top, width, height: Math.max(0, at.y(base) - top),
          class: `bar ${colour(code)}`}));
        base += n;
      }
    });
    const all = Object.entries(totals ?? {}).sort();
    const now = sums.length ? sums[sums.length - 1] : 0;
    fill(caption, h('strong', {}, title), h('span', {}, `${now} in the last second`));
    fill(legend, all.length === 0 ? h('li', {class: 'muted'}, 'No H-code errors yet') : all.map(([code, total]) =>
      h('li', {dataset: {code}}, h('span', {class: `swatch ${colour(code)}`, 'aria-hidden': 'true'}),
        h('strong', {}, code), ` ${errors?.[code] ?? 0} now, ${total} in all`)));
  }

  draw({}, {});
  return {el, push};
}
