// The router's live figures for the app: requests per second, p50/p99 latency and errors by H-code,
// one point a second for the last minute, from GET /manifold/apps/NAME/router-stats. Each node's
// router counts what went through it; the API sums every node's (the latency quantiles from their
// histograms together) and says which nodes did not answer, which is shown rather than hidden: a
// sum without them is smaller than the truth.

import {get} from './api.js';
import {h, fill, panel, table} from './dom.js';
import {lineChart, errorChart, format} from './charts.js';

export function routerPanel(page, scope) {
  const {el, body} = panel('router', 'Router');
  const rate = lineChart({id: 'chart-rps', title: 'Requests', unit: 'req/s', series: [{key: 'requests_per_second', name: 'rate'}]});
  const latency = lineChart({id: 'chart-latency', title: 'Latency', unit: 'ms',
    series: [{key: 'p50_ms', name: 'p50'}, {key: 'p99_ms', name: 'p99'}]});
  const errors = errorChart({id: 'chart-errors', title: 'Errors by H-code'});
  const load = h('p', {id: 'router-load', class: 'muted'});
  const missing = h('p', {id: 'router-missing', class: 'problem-text', role: 'status', hidden: true});
  const nodes = h('div', {id: 'router-nodes'});
  body.append(rate.el, latency.el, errors.el, load, missing,
    h('details', {id: 'router-nodes-box'}, h('summary', {}, 'Per node'), nodes));

  scope.every(1000, async () => {
    const stats = await get(`/manifold${page.path}/router-stats`);
    rate.push(stats);
    latency.push(stats);
    errors.push(stats.errors, stats.total_errors);
    const counted = stats.nodes.length;
    fill(load, `${stats.requests.toLocaleString()} requests in all · ${stats.in_flight} in flight · `
      + `${stats.backlog} in the backlog · window ${format(stats.window_seconds)} s · `
      + `the routers of ${counted} node${counted === 1 ? '' : 's'}`);
    missing.hidden = stats.missing.length === 0;
    fill(missing, stats.missing.length === 0 ? '' : `Left out: ${stats.missing.map(m => `${m.node} (${m.reason})`).join(', ')}. `
      + `The figures above are the other nodes' routers' only.`);
    fill(nodes, table('Router figures per node', ['Node', 'Rate', 'p50', 'p99', 'Errors now', 'In all', 'In flight'], [
      ...stats.nodes.map(n => h('tr', {dataset: {node: n.node, requests: String(n.requests)}},
        h('th', {scope: 'row'}, n.node),
        h('td', {}, `${format(n.requests_per_second)} req/s`),
        h('td', {}, `${format(n.p50_ms)} ms`),
        h('td', {}, `${format(n.p99_ms)} ms`),
        h('td', {}, Object.entries(n.errors).map(([code, count]) => `${code} ${count}`).join(', ') || '0'),
        h('td', {}, n.requests.toLocaleString()),
        h('td', {}, String(n.in_flight)))),
      ...stats.missing.map(m => h('tr', {dataset: {node: m.node, missing: 'true'}},
        h('th', {scope: 'row'}, m.node), h('td', {colspan: 6, class: 'problem-text'}, `left out: ${m.reason}`))),
    ], 'No node answered.'));
  });
  return {el, refresh: async () => {}};
}
