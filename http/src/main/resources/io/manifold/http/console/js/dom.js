// Building the page from data without innerHTML: what the API says is always text, never markup.

/** An element: h('button', {type: 'button', onclick: f, class: 'x'}, 'text', child, ...). */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  setProps(el, props);
  append(el, children);
  return el;
}

/** An SVG element, for the charts. */
export function s(tag, props = {}, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  setProps(el, props);
  append(el, children);
  return el;
}

function setProps(el, props) {
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (key === 'text') {
      el.textContent = value;
    } else if (value === true) {
      el.setAttribute(key, '');
    } else {
      el.setAttribute(key, String(value));
    }
  }
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c !== null && c !== undefined && c !== false) {
      el.append(c instanceof Node ? c : String(c));
    }
  }
}

/** Replaces an element's content. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A table with a caption, a header row and one row per item. */
export function table(caption, headers, rows, empty) {
  if (rows.length === 0) {
    return h('p', {class: 'muted'}, empty);
  }
  return h('table', {},
    h('caption', {class: 'visually-hidden'}, caption),
    h('thead', {}, h('tr', {}, headers.map(t => h('th', {scope: 'col'}, t)))),
    h('tbody', {}, rows));
}

/** A section of a page with its heading and a body to fill. */
export function panel(id, title, ...extra) {
  const body = h('div', {class: 'panel-body'});
  const el = h('section', {class: 'panel', id, 'aria-labelledby': id + '-title'},
    h('h2', {id: id + '-title'}, title), ...extra, body);
  return {el, body};
}
