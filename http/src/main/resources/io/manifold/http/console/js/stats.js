// The router's live figures for the app: requests per second, p50/p99 latency and errors by H-code,
// one point a second for the last minute, from GET /manifold/apps/NAME/router-stats (the node's
// counters compared with a second ago, on the server).

import {get} from './api.js';
import {h, fill, panel} from './dom.js';
import {lineChart, errorChart, format} from './charts.js';

export function routerPanel(page, scope) {
  const {el, body} = panel('router', 'Router');
  const rate = lineChart({id: 'chart-rps', title: 'Requests', unit: 'req/s', series: [{key: 'requests_per_second', name: 'rate'}]});
  const latency = lineChart({id: 'chart-latency', title: 'Latency', unit: 'ms',
    series: [{key: 'p50_ms', name: 'p50'}, {key: 'p99_ms', name: 'p99'}]});
  const errors = errorChart({id: 'chart-errors', title: 'Errors by H-code'});
  const load = h('p', {id: 'router-load', class: 'muted'});
  body.append(rate.el, latency.el, errors.el, load);

  scope.every(1000, async () => {
    const stats = await get(`/manifold${page.path}/router-stats`);
    rate.push(stats);
    latency.push(stats);
    errors.push(stats.errors, stats.total_errors);
    fill(load, `${stats.requests.toLocaleString()} requests in all · ${stats.in_flight} in flight · `
      + `${stats.backlog} in the backlog · window ${format(stats.window_seconds)} s`);
  });
  return {el, refresh: async () => {}};
}
