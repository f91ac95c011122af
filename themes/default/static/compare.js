/* Compare page: filters, sorting, side by side and shareable URLs over the server-rendered
   table, which is complete without this. No innerHTML (data stays text); CSP default-src 'self'. */
(() => {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const table = $('matrix'), form = $('matrix-filters'), status = $('matrix-status'), panel = $('matrix-compare');
  if (!table || !form || !status || !panel) return;

  const MAX = 4; // what fits side by side
  const body = table.tBodies[0], rows = [...body.rows], heads = [...table.tHead.rows[0].cells];
  const labels = heads.map((h) => h.textContent.trim());
  const boxes = [...form.querySelectorAll('input[type=checkbox]')];
  const fields = [...new Set(boxes.map((b) => b.name))];
  const byId = new Map(rows.map((r) => [r.dataset.id, r]));
  const link = (r) => r.cells[0].querySelector('a');
  const titleOf = (r) => link(r).textContent.trim();
  // Each row's facet ids by field, from data-values.
  const facets = new Map(rows.map((r) => [r, Object.fromEntries([...r.cells]
    .filter((c) => c.hasAttribute('data-values'))
    .map((c) => [c.dataset.field, c.dataset.values.split(' ')]))]));
  const collator = new Intl.Collator(document.documentElement.lang || undefined, { numeric: true, sensitivity: 'base' });
  let picked = [], note = '', sortCol = -1, sortDir = 1;

  // "1 option", "2 options": the noun agrees with the number.
  const plural = (n, noun) => `${n} ${noun}${n === 1 ? '' : 's'}`;
  const el = (tag, text, props) => Object.assign(document.createElement(tag), text && { textContent: text }, props);
  const button = (text, className, value = '') => el('button', text, { type: 'button', className, value });

  // Any checked value of a field matches (OR), every field must (AND), a field with none checked
  // does not filter; `skip` leaves one out, for its counts.
  const chosen = () => Object.fromEntries(fields.map((f) => [f, boxes.filter((b) => b.name === f && b.checked).map((b) => b.value)]));
  const has = (r, f, v) => (facets.get(r)[f] || []).includes(v);
  const matches = (r, want, skip) => fields.every((f) => f === skip || !want[f].length || want[f].some((v) => has(r, f, v)));

  function render() {
    const want = chosen();
    for (const r of rows) r.hidden = !matches(r, want);
    for (const b of boxes) { // how many rows this value would show, given the other fields
      const n = rows.filter((r) => has(r, b.name, b.value) && matches(r, want, b.name)).length;
      b.parentNode.querySelector('.count').textContent = `(${n})`;
      b.parentNode.classList.toggle('is-empty', !n);
    }
    const shown = rows.filter((r) => !r.hidden).length;
    status.textContent = `Showing ${shown} of ${plural(rows.length, 'option')}.${shown ? '' : ' Try fewer filters.'} ${note}`.trim();
    for (const r of rows) {
      const on = picked.includes(r.dataset.id);
      r.classList.toggle('is-picked', on);
      r.querySelector('.matrix-pick input').checked = on;
    }
    const out = panel.querySelector('.matrix-compare-body');
    out.replaceChildren();
    panel.hidden = !picked.length;
    if (picked.length) out.append(picked[1] ? grid() : el('p', 'Pick one more to compare.'), button('Clear comparison', 'matrix-clear'));
  }

  // One column per picked option, one row per matrix column, cells cloned from the table.
  function grid() {
    const picks = picked.map((id) => byId.get(id));
    const t = el('table', null, { className: 'matrix-grid' });
    t.createCaption().textContent = `Comparing ${plural(picks.length, 'option')}`;
    const head = t.createTHead().insertRow();
    head.append(el('td'));
    for (const r of picks) {
      const th = el('th', null, { scope: 'col' }), x = button('Remove', 'matrix-remove', r.dataset.id);
      x.setAttribute('aria-label', `Remove ${titleOf(r)} from the comparison`);
      th.append(el('a', titleOf(r), { href: link(r).getAttribute('href') }), ' ', x);
      head.append(th);
    }
    const tb = t.createTBody();
    labels.slice(1).forEach((label, i) => {
      const tr = tb.insertRow();
      tr.append(el('th', label, { scope: 'row' }));
      for (const r of picks) {
        const cell = r.cells[i + 1], td = tr.insertCell();
        td.dataset.field = cell.dataset.field;
        if (cell.textContent.trim()) td.append(...[...cell.childNodes].map((n) => n.cloneNode(true)));
        else td.append(el('span', 'Not stated', { className: 'matrix-none' }));
      }
    });
    return t;
  }

  function sortRows() {
    const key = (r) => (sortCol ? r.cells[sortCol].textContent.trim() : titleOf(r));
    // Blanks last either way; ties keep the title order.
    body.append(...rows.slice().sort((a, b) => {
      const x = key(a), y = key(b);
      return !x !== !y ? (x ? -1 : 1) : sortDir * collator.compare(x, y);
    }));
    heads.forEach((h) => h.removeAttribute('aria-sort'));
    heads[sortCol].setAttribute('aria-sort', sortDir > 0 ? 'ascending' : 'descending');
  }

  // State in the URL, ?<field>=<id>,<id>&ids=<row>,<row>, to share or bookmark a view.
  function toQuery() {
    const want = chosen(), enc = (list) => list.map(encodeURIComponent).join(',');
    const parts = fields.filter((f) => want[f].length).map((f) => `${f}=${enc(want[f])}`);
    if (picked.length) parts.push(`ids=${enc(picked)}`);
    return parts.length ? '?' + parts.join('&') : '';
  }
  function fromQuery() {
    const q = new URLSearchParams(location.search), list = (k) => (q.get(k) || '').split(',');
    for (const b of boxes) b.checked = list(b.name).includes(b.value);
    picked = [...new Set(list('ids'))].filter((id) => byId.has(id)).slice(0, MAX);
  }
  // After a user's change: redraw, and add a history entry so Back undoes it.
  function change(message = '') {
    note = message;
    render();
    const url = location.pathname + toQuery() + location.hash;
    if (url !== location.pathname + location.search + location.hash) history.pushState(null, '', url);
  }

  heads.forEach((h, i) => {
    const b = button(null, 'matrix-sort');
    b.append(...h.childNodes);
    h.append(b);
    b.addEventListener('click', () => {
      sortDir = sortCol === i ? -sortDir : 1;
      sortCol = i;
      sortRows();
      change(`Sorted by ${labels[i]}, ${heads[i].getAttribute('aria-sort')}.`);
    });
  });
  for (const r of rows) {
    const tick = el('label', null, { className: 'matrix-pick' }), word = el('span', 'Compare');
    const box = el('input', null, { type: 'checkbox', value: r.dataset.id });
    box.setAttribute('aria-label', `Compare ${titleOf(r)}`);
    word.setAttribute('aria-hidden', 'true'); // the box has its own label
    tick.append(box, word);
    r.cells[0].append(tick);
  }

  body.addEventListener('change', (e) => {
    const box = e.target, n = picked.length + 1;
    if (!box.closest('.matrix-pick')) return;
    box.setCustomValidity('');
    if (box.checked && n > MAX) {
      box.setCustomValidity(`You can compare up to ${plural(MAX, 'option')}. Remove one first.`);
      box.reportValidity(); // shown beside the box, where the reader is
      return change(box.validationMessage);
    }
    picked = box.checked ? [...picked, box.value] : picked.filter((id) => id !== box.value);
    change(!box.checked ? `Removed ${titleOf(byId.get(box.value))}.` : n < 2 ? 'Pick one more to compare.' : `Comparing ${plural(n, 'option')}.`);
  });
  panel.addEventListener('click', (e) => {
    const x = e.target.closest('.matrix-remove, .matrix-clear');
    if (!x) return;
    picked = x.value ? picked.filter((id) => id !== x.value) : [];
    change(x.value ? `Removed ${titleOf(byId.get(x.value))}.` : 'Comparison cleared.');
    // The pressed button is gone: focus the next, or the table once the panel closes.
    (panel.querySelector('.matrix-remove, .matrix-clear') || table).focus();
  });
  form.addEventListener('change', () => change());
  // A native reset fires before it clears the boxes: clear them here and redraw once.
  form.addEventListener('reset', (e) => {
    e.preventDefault();
    for (const b of boxes) b.checked = false;
    change('Filters cleared.');
  });
  window.addEventListener('popstate', () => { fromQuery(); note = ''; render(); });

  // The scroll note (shown without script) is hidden while the whole table fits.
  const wrap = table.closest('.matrix-wrap'), scrollNote = $('matrix-scroll-note');
  if (wrap && scrollNote) {
    const fits = () => { scrollNote.hidden = wrap.scrollWidth <= wrap.clientWidth + 1; };
    const watch = new ResizeObserver(fits);
    watch.observe(wrap);
    watch.observe(table);
  }

  table.classList.add('is-enhanced');
  table.tabIndex = -1; // where focus goes when the comparison closes
  form.hidden = false;
  fromQuery();
  render();
})();
