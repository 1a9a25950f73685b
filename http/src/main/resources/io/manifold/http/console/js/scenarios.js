// #/scenarios: the scenario runner's reports (GET /manifold/scenarios) with links to their HTML,
// and the run going on now (GET /manifold/scenarios/live, every second): its timeline of faults,
// latency and errors, and its expectations as they are met or broken.

import {get} from './api.js';
import {h, s, fill, table} from './dom.js';
import {niceMax, format} from './charts.js';
import {when} from './time.js';

const W = 720;
const BAND = 70;

export function scenariosView(main, scope) {
  const live = h('section', {id: 'scenario-live', class: 'panel', 'aria-labelledby': 'live-title'},
    h('h2', {id: 'live-title'}, 'Running now'), h('div', {class: 'panel-body'}, h('p', {class: 'muted'}, 'Loading…')));
  const runs = h('section', {id: 'scenario-runs', class: 'panel', 'aria-labelledby': 'runs-title'},
    h('h2', {id: 'runs-title'}, 'Reports'), h('div', {class: 'panel-body'}, h('p', {class: 'muted'}, 'Loading…')));
  main.append(h('h1', {}, 'Scenarios'), live, runs);

  scope.every(1000, async () => {
    const now = await get('/manifold/scenarios/live');
    const body = live.querySelector('.panel-body');
    if (!now.running) {
      fill(body, h('p', {id: 'no-scenario'}, 'No scenario running.'));
    } else if (now.problem) {
      fill(body, h('p', {}, `Run ${now.run}: its live view cannot be read: ${now.problem}`));
    } else {
      fill(body, liveView(now.run, now.live));
    }
  });

  scope.every(10000, async () => {
    const list = await get('/manifold/scenarios');
    fill(runs.querySelector('.panel-body'),
      h('p', {class: 'muted'}, `From ${list.reports_dir ?? '(no reports directory: set manifold.scenarios.reports-dir)'}`),
      table('Scenario reports', ['Run', 'Scenario', 'Started', 'Outcome', 'Summary', 'Report'], list.runs.map(r =>
        h('tr', {dataset: {run: r.id, outcome: r.outcome ?? ''}},
          h('th', {scope: 'row'}, r.id),
          h('td', {}, r.scenario ?? '–'),
          h('td', {title: r.started_at}, when(r.started_at)),
          h('td', {}, r.outcome ? h('span', {class: `badge outcome-${r.outcome}`}, r.outcome) : r.state),
          h('td', {}, r.problem ? h('span', {class: 'problem-text'}, r.problem) : (r.summary ?? '')),
          h('td', {}, r.report_url ? h('a', {href: r.report_url, target: '_blank', rel: 'noopener'}, 'report.html') : '–'))),
      'No runs yet.'));
  });
}

function liveView(run, live) {
  const elapsed = Number(live.elapsed_seconds ?? 0);
  const duration = Number(live.duration_seconds ?? 0);
  const progress = duration > 0 ? h('progress', {max: duration, value: Math.min(elapsed, duration), 'aria-label': 'Elapsed'}) : null;
  return [
    h('p', {}, h('strong', {}, live.scenario ?? run), live.app ? ` on ${live.app}` : '', ` — ${format(elapsed)} s`,
      duration > 0 ? ` of ${format(duration)} s ` : ' ', progress, h('span', {class: 'muted'}, ` (run ${run})`)),
    timeline(live, Math.max(duration, elapsed, 1)),
    table('Faults', ['Fault', 'Target', 'From', 'To'], (live.faults ?? []).map(f =>
      h('tr', {}, h('th', {scope: 'row'}, f.name ?? '?'), h('td', {}, f.target ?? ''),
        h('td', {}, `${format(f.from_seconds)} s`), h('td', {}, f.to_seconds == null ? '…' : `${format(f.to_seconds)} s`))),
    'No faults yet.'),
    table('Expectations', ['Expectation', 'State', 'Detail'], (live.expectations ?? []).map(e =>
      h('tr', {dataset: {state: e.state ?? ''}}, h('th', {scope: 'row'}, e.name ?? '?'),
        h('td', {}, h('span', {class: `badge expectation-${e.state}`}, e.state ?? '?')), h('td', {}, e.detail ?? ''))),
    'No expectations.'),
  ];
}

/** Latency (p50, p99) above, errors below, over the run's time, with the faults as shaded bands. */
function timeline(live, span) {
  const points = (live.points ?? []).slice(-600);
  const x = t => 40 + (W - 50) * (Math.min(t, span) / span);
  const maxMs = niceMax(Math.max(0, ...points.flatMap(p => [p.p99_ms ?? 0, p.p50_ms ?? 0])), 10);
  const errorsAt = p => Object.values(p.errors ?? {}).reduce((a, b) => a + b, 0);
  const maxErr = niceMax(Math.max(0, ...points.map(errorsAt)), 1);
  const svg = s('svg', {viewBox: `0 0 ${W} ${2 * BAND + 40}`, class: 'chart timeline', role: 'img',
    'aria-label': `Timeline: ${points.length} seconds, ${(live.faults ?? []).length} faults`});
  for (const f of live.faults ?? []) {
    const from = x(f.from_seconds ?? 0);
    const to = x(f.to_seconds ?? span);
    svg.append(s('rect', {x: from, y: 4, width: Math.max(2, to - from), height: 2 * BAND + 16, class: 'fault'},
      s('title', {}, `${f.name ?? 'fault'} ${f.target ?? ''}`)));
    svg.append(s('text', {x: from + 2, y: 14, class: 'axis'}, f.name ?? 'fault'));
  }
  const line = key => points.filter(p => typeof p[key] === 'number')
    .map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)} ${(4 + BAND * (1 - Math.min(p[key], maxMs) / maxMs)).toFixed(1)}`).join(' ');
  svg.append(s('path', {d: line('p50_ms') || 'M0 0', class: 'line series-0'}), s('path', {d: line('p99_ms') || 'M0 0', class: 'line series-1'}));
  svg.append(s('text', {x: 36, y: 14, class: 'axis', 'text-anchor': 'end'}, `${format(maxMs)} ms`));
  const base = 2 * BAND + 12;
  for (const p of points) {
    const n = errorsAt(p);
    if (n > 0) {
      const height = (BAND - 8) * Math.min(n, maxErr) / maxErr;
      svg.append(s('rect', {x: x(p.t) - 1, y: base - height, width: 3, height, class: 'bar code-0'}));
    }
  }
  svg.append(s('text', {x: 36, y: BAND + 24, class: 'axis', 'text-anchor': 'end'}, `${format(maxErr)} err/s`));
  svg.append(s('text', {x: 40, y: 2 * BAND + 34, class: 'axis'}, '0 s'), s('text', {x: W - 10, y: 2 * BAND + 34, class: 'axis', 'text-anchor': 'end'}, `${format(span)} s`));
  return h('figure', {class: 'chart-box wide'}, h('figcaption', {}, h('strong', {}, 'Timeline'),
    h('span', {}, 'latency p50 and p99 (top), errors (bottom), faults shaded')), svg);
}
