// Errors are shown, never swallowed: the API's message and id, and what was being done. The same
// problem again (a poll failing every second) counts up on its line instead of piling up.

import {h} from './dom.js';

const MAX = 5;

export function report(error) {
  if (error.handled) {
    return;
  }
  const box = document.getElementById('problems');
  const id = error.id ?? 'console_error';
  const request = error.request ?? '';
  const key = `${id}|${error.message}|${request}`;
  const same = [...box.children].find(li => li.dataset.key === key);
  if (same) {
    const count = Number(same.dataset.count) + 1;
    same.dataset.count = String(count);
    same.querySelector('.count').textContent = ` (×${count})`;
    return;
  }
  const item = h('div', {class: 'problem', role: 'alert', dataset: {key, count: '1', id}},
    h('strong', {class: 'message'}, error.message),
    ' ', h('code', {class: 'id', title: 'Error ID'}, id),
    request ? h('span', {class: 'request muted'}, ` — ${request}`) : null,
    h('span', {class: 'count muted'}),
    h('button', {type: 'button', class: 'dismiss', 'aria-label': 'Dismiss', onclick: () => item.remove()}, '×'));
  box.prepend(item);
  while (box.children.length > MAX) {
    box.lastElementChild.remove();
  }
}

export function clearProblems() {
  document.getElementById('problems').replaceChildren();
}

/** Runs an action from a button or form: the button is busy meanwhile, a failure is reported. */
export async function attempt(button, action) {
  if (button) {
    button.disabled = true;
  }
  try {
    return await action();
  } catch (e) {
    report(e);
    return undefined;
  } finally {
    if (button) {
      button.disabled = false;
    }
  }
}
