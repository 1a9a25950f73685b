// #/scenarios: the scenario runner's reports (GET /manifold/scenarios) with links to their HTML,
// and the run going on now (GET /manifold/scenarios/live, every second): its timeline of faults,
// latency and errors, and its expectations as they are met or broken.

import {get} from './api.js';
import {h, s, fill, table} from './dom.js';
import {niceMax, format} from './charts.js';
import {when} from './time.js';

const W = 720;
const BAND = 70;

/**
 * What this view reads of a run's live.json, as the scenario runner writes it (LiveReport in the
 * scenarios module), with each field's JSON type. The view reads the run as `live`, a fault as
 * `f`, a point as `p` and an expectation as `e`, and nothing undeclared here: a test in the
 * scenarios module writes a live.json with the real writer and checks it against this list, and
 * checks that this file reads no other field, so that the two cannot drift apart unnoticed.
 * Units are in the names: seconds since the run's start, milliseconds, errors per second by code.
 */
export const LIVE_JSON = {
  run: {state: 'string', scenario: 'string', app: 'string', elapsed_seconds: 'number', duration_seconds: 'number',
    faults: 'array', points: 'array', expectations: 'array'},
  fault: {name: 'string', description: 'string', target: 'string', from_seconds: 'number', to_seconds: 'number|null',
    problem: 'string|null'},
  point: {t: 'number', p50_ms: 'number|null', p99_ms: 'number|null', errors: 'object', dynos_up: 'number', dynos_wanted: 'number'},
  expectation: {name: 'string', state: 'string', detail: 'string'},
};

export function scenariosView(main, scope) {
  const livePanel = h('section', {id: 'scenario-live', class: 'panel', 'aria-labelledby': 'live-title'},
    h('h2', {id: 'live-title'}, 'Running now'), h('div', {class: 'panel-body'}, h('p', {class: 'muted'}, 'Loading…')));
  const runs = h('section', {id: 'scenario-runs', class: 'panel', 'aria-labelledby': 'runs-title'},
    h('h2', {id: 'runs-title'}, 'Reports'), h('div', {class: 'panel-body'}, h('p', {class: 'muted'}, 'Loading…')));
  main.append(h('h1', {}, 'Scenarios'), livePanel, runs);

  scope.every(1000, async () => {
    const now = await get('/manifold/scenarios/live');
    const body = livePanel.querySelector('.panel-body');
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
  const p = (live.points ?? []).at(-1); // the latest second
  return [
    h('p', {}, h('strong', {}, live.scenario ?? run), live.app ? ` on ${live.app}` : '', ` — ${format(elapsed)} s`,
      duration > 0 ? ` of ${format(duration)} s ` : ' ', progress, h('span', {class: 'muted'}, ` (run ${run})`)),
    p ? h('p', {id: 'scenario-dynos', class: 'muted'}, `Dynos up: ${p.dynos_up} of ${p.dynos_wanted} wanted, at ${format(p.t)} s`) : null,
    timeline(live, Math.max(duration, elapsed, 1)),
    table('Faults', ['Fault', 'Target', 'From', 'To', 'What'], (live.faults ?? []).map(f =>
      h('tr', {dataset: {fault: f.name ?? '', problem: f.problem ? 'true' : 'false'}}, h('th', {scope: 'row'}, f.name ?? '?'),
        h('td', {}, f.target ?? ''), h('td', {}, `${format(f.from_seconds)} s`),
        h('td', {}, f.to_seconds == null ? (f.problem ? '–' : '…') : `${format(f.to_seconds)} s`),
        h('td', {}, f.description ?? '', f.problem ? h('span', {class: 'problem-text'}, ` (${f.problem})`) : null))),
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
    // a fault that could not be applied never lasted: a mark where it was tried, not a band to now
    const to = f.to_seconds == null ? (f.problem ? from : x(span)) : x(f.to_seconds);
    svg.append(s('rect', {x: from, y: 4, width: Math.max(2, to - from), height: 2 * BAND + 16, class: f.problem ? 'fault failed' : 'fault'},
      s('title', {}, `${f.description ?? f.name ?? 'fault'}${f.problem ? ` (${f.problem})` : ''}`)));
    svg.append(s('text', {x: from + 2, y: 14, class: 'axis'}, `${f.name ?? 'fault'}${f.problem ? ' (failed)' : ''}`));
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
