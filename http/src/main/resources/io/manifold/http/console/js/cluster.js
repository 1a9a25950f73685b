// #/cluster: every node, its status and the dynos it runs, from GET /manifold/nodes every second.
// What changed between two readings is kept in a short list (a node's status, a dyno leaving one
// node or starting on another), so that a node's loss and its dynos coming back elsewhere can be
// watched as they happen. A node seen before and now missing stays on the page as gone.

import {get} from './api.js';
import {h, fill, table} from './dom.js';
import {ago, clock} from './time.js';

const CHANGES = 50;
const REMEMBERED = 100;
/** What a status means for the node's dynos, for the statuses of a node on its way out. */
const NOTES = {
  unreachable: 'The other nodes no longer hear it. If it stays so, the cluster downs it and its dynos start again on the others.',
  down: 'Downed by the cluster: its dynos start again on the others once it is removed.',
  leaving: 'Leaving the cluster: its dynos stop and start again on the others.',
  exiting: 'Leaving the cluster: its dynos stop and start again on the others.',
  unknown: 'No longer a member of the cluster. The dynos below last reported from it; they start again on the others.',
};

export function clusterView(main, scope) {
  const nodesEl = h('div', {id: 'nodes', class: 'nodes'}, h('p', {class: 'muted'}, 'Loading…'));
  const changesEl = h('ol', {id: 'changes', class: 'changes', 'aria-live': 'polite'});
  const summary = h('p', {id: 'cluster-summary', class: 'muted'});
  main.append(h('h1', {}, 'Cluster'), summary, nodesEl,
    h('section', {class: 'panel', 'aria-labelledby': 'changes-title'}, h('h2', {id: 'changes-title'}, 'Changes'),
      changesEl, h('p', {class: 'muted'}, 'What changed since this page was opened: nodes, their status, dynos leaving and starting. '
        + 'One reading a second.')));

  let before = null; // node name -> {status, dynos: Map(key -> node)}
  const gone = new Map(); // node name -> when it was last seen

  function change(text, kind) {
    changesEl.prepend(h('li', {class: kind}, h('time', {}, clock()), ' ', text));
    while (changesEl.children.length > CHANGES) {
      changesEl.lastElementChild.remove();
    }
  }

  function compare(nodes) {
    const now = new Map(nodes.map(n => [n.name, n]));
    const where = new Map();
    nodes.forEach(n => n.dynos.forEach(d => where.set(`${d.app.name} ${d.name}`, {node: n.name, state: d.state})));
    if (before) {
      for (const [name, n] of now) {
        const was = before.nodes.get(name);
        if (!was) {
          change(`node ${name} appeared (${n.status})`, 'node');
        } else if (was.status !== n.status) {
          change(`node ${name}: ${was.status} → ${n.status}`, n.status === 'up' ? 'node' : 'loss');
        }
        gone.delete(name);
      }
      for (const name of before.nodes.keys()) {
        if (!now.has(name)) {
          change(`node ${name} is gone`, 'loss');
          gone.set(name, new Date());
        }
      }
      for (const [key, at] of where) {
        const was = before.where.get(key);
        if (!was) {
          change(`${key} started on ${at.node}`, 'dyno');
        } else if (was.node !== at.node) {
          change(`${key} moved from ${was.node} to ${at.node}`, 'dyno');
        }
      }
      for (const [key, was] of before.where) {
        if (!where.has(key)) {
          change(`${key} left ${was.node}`, 'dyno');
        }
      }
    }
    before = {nodes: now, where};
    while (gone.size > REMEMBERED) {
      gone.delete(gone.keys().next().value);
    }
  }

  function nodeCard(n) {
    const apps = new Set(n.dynos.map(d => d.app.name));
    return h('section', {class: `node-card status-${n.status}`, dataset: {node: n.name, status: n.status}, 'aria-labelledby': `node-${n.name}`},
      h('h2', {id: `node-${n.name}`}, n.name, ' ', h('span', {class: `badge status-${n.status}`}, n.status)),
      NOTES[n.status] ? h('p', {class: 'status-note'}, NOTES[n.status]) : null,
      h('p', {class: 'muted'}, `${n.dynos.length} dyno${n.dynos.length === 1 ? '' : 's'} of ${apps.size} app${apps.size === 1 ? '' : 's'}`),
      table(`Dynos on ${n.name}`, ['App', 'Dyno', 'State', 'Since'], n.dynos.map(d =>
        h('tr', {dataset: {app: d.app.name, dyno: d.name, state: d.state}},
          h('td', {}, h('a', {href: `#/apps/${encodeURIComponent(d.app.name)}`}, d.app.name)),
          h('th', {scope: 'row'}, d.name),
          h('td', {}, h('span', {class: `badge state-${d.state}`}, d.state)),
          h('td', {title: d.updated_at}, ago(d.updated_at)))),
      'No dynos on this node.'));
  }

  scope.every(1000, async () => {
    const nodes = await get('/manifold/nodes');
    compare(nodes);
    const up = nodes.filter(n => n.status === 'up').length;
    const dynos = nodes.reduce((sum, n) => sum + n.dynos.length, 0);
    fill(summary, `${nodes.length} node${nodes.length === 1 ? '' : 's'}, ${up} up; ${dynos} dyno${dynos === 1 ? '' : 's'}. Updated ${clock()}.`);
    fill(nodesEl, nodes.map(nodeCard), [...gone].map(([name, at]) =>
      h('section', {class: 'node-card status-gone', dataset: {node: name, status: 'gone'}},
        h('h2', {}, name, ' ', h('span', {class: 'badge status-gone'}, 'gone')),
        h('p', {class: 'muted'}, `Not reported since ${clock(at)}.`))));
  });
}
