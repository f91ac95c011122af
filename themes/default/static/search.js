/* Search: reads the index built with the site (formats in docs/search.md). No dependencies, eval,
   WebAssembly or innerHTML (index data stays text): works under CSP default-src 'self', JIT off. */
(() => {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const form = $('search');
  if (!form || !window.fetch || !window.TextDecoder) return;
  const input = $('search-q'), list = $('search-results'), status = $('search-status'), box = $('search-facets'), more = $('search-more');
  const base = new URL(form.dataset.index, location.href), L = '\\p{Alphabetic}\\p{N}', PAGE = 10;
  const APOS = RegExp(`([${L}])['’](?=[${L}])`, 'gu'), WORD = RegExp(`[${L}]+`, 'gu'), END = RegExp(`[${L}]$`, 'u');
  $('search-nojs').hidden = true;
  $('search-or').hidden = false;

  const files = new Map();
  const get = (name, bin) => {
    if (!files.has(name)) {
      const p = fetch(new URL(name, base)).then((r) => { if (!r.ok) throw Error(r.status); return bin ? r.arrayBuffer() : r.json(); });
      p.catch(() => files.delete(name));
      files.set(name, p);
    }
    return files.get(name);
  };

  // As the index cut words: lowercased runs of letters and digits, apostrophes inside dropped.
  const tokens = (s) => (s.toLowerCase().replace(APOS, '$1').match(WORD) || []).filter((w) => [...w].length <= 40);

  const utf8 = new TextDecoder();
  const reader = (buf) => {
    const b = new Uint8Array(buf);
    let i = 0;
    const num = () => { let v = 0, s = 1, x; do { x = b[i++]; v += (x & 127) * s; s *= 128; } while (x & 128); return v; };
    const bytes = (n) => b.subarray(i, (i += n));
    // Front-coded words, each with a number after it if `tagged`.
    const words = (tagged) => {
      const out = [];
      for (let n = num(), prev = b; n--;) {
        const shared = num(), w = new Uint8Array(shared + num());
        w.set(prev.subarray(0, shared));
        w.set(bytes(w.length - shared), shared);
        prev = w;
        out.push(tagged ? [utf8.decode(w), num()] : utf8.decode(w));
      }
      return out;
    };
    return { num, bytes, words };
  };
  const shards = new Map();
  const shard = (i) => shards.get(i) || get(`s${i}.bin`, 1).then((buf) => {
    const r = reader(buf), lists = [];
    for (let n = r.num(); n--;) {
      const c = r.num(), pages = new Uint32Array(c);
      for (let k = 0, p = 0; k < c; k++) pages[k] = p += r.num();
      lists.push([pages, r.bytes(c)]);
    }
    const s = { lists, words: r.words(1), titles: r.words(1) };
    shards.set(i, s);
    return s;
  });
  // The file whose range holds `w`, and those holding words starting with `p` (three at most).
  const at = (bounds, w) => {
    let lo = 0, hi = bounds.length;
    while (lo < hi) { const m = (lo + hi) >> 1; if (bounds[m] <= w) lo = m + 1; else hi = m; }
    return lo - 1;
  };
  const span = (bounds, p) => {
    const out = [];
    for (let i = at(bounds, p), j = Math.min(at(bounds, p + '\uffff'), i + 2); i <= j; i++) out.push(i);
    return out;
  };

  // Edit distance, a swap of neighbours counting one; k + 1 once over k.
  const dist = (a, b, k) => {
    if (Math.abs(a.length - b.length) > k) return k + 1;
    let p2, p = [...Array(b.length + 1).keys()];
    for (let i = 1; i <= a.length; i++) {
      const c = [i];
      for (let j = 1; j <= b.length; j++) {
        c[j] = Math.min(p[j] + 1, c[j - 1] + 1, p[j - 1] + (a[i - 1] !== b[j - 1]));
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) c[j] = Math.min(c[j], p2[j - 2] + 1);
      }
      if (Math.min(...c) > k) return k + 1;
      [p2, p] = [p, c];
    }
    return p[b.length];
  };
  const typos = (w) => (w.length > 7 ? 2 : w.length > 3 ? 1 : 0);

  let M, facets, seq = 0, state = {};
  const chosen = {}, on = (f) => chosen[f.key].size;

  // A query word's matches in `loaded` shards: [word, list, weight, exact?]. A word with no
  // match of its own finds a shorter form ("detoxing": "detox"), words it starts (if still being
  // typed), or words a typo or two away.
  const match = (w, loaded, last) => {
    const out = [], seen = new Set(), k = typos(w), all = loaded.flatMap((s) => s.words.map((e) => [e[0], s.lists[e[1]]]));
    const add = (e, weight, exact) => { if (!seen.has(e[0])) seen.add(e[0]) && out.push([...e, weight, exact]); };
    all.forEach((e) => e[0] === w && add(e, 1, 1));
    if (!out.length) all.forEach((e) => e[0].length > 3 && w.length - e[0].length < 4 && w.startsWith(e[0]) && add(e, 0.8, 1));
    if (last && w.length > 1) {
      all.filter((e) => e[0].length > w.length && e[0].startsWith(w)).sort((a, b) => b[1][0].length - a[1][0].length)
        .slice(0, 40).forEach((e) => add(e, 0.7, 1));
    }
    if (!out.length && k) all.forEach((e) => { const d = dist(w, e[0], k); if (d <= k) add(e, d > 1 ? 0.3 : 0.5, 0); });
    return out;
  };

  // Typos in the first two letters: a near-word file lists the words which, with one of their
  // first two letters deleted, fall in its range; their own shards follow.
  const near = async (w) => {
    const k = typos(w), want = new Set(), nf = new Set(), found = new Set();
    for (const v of [w, w.slice(1), w[0] + w.slice(2)]) {
      span(M.shards, v.slice(0, 2)).forEach((i) => want.add(i));
      span(M.near, v.slice(0, 2)).forEach((i) => nf.add(i));
    }
    const lists = await Promise.all([...nf].map((i) => get(`n${i}.bin`, 1).then((b) => reader(b).words(0))));
    for (const s of await Promise.all([...want].map(shard))) lists.push(s.words.map((e) => e[0]));
    lists.flat().forEach((c) => dist(w, c, k) <= k && found.add(c));
    const homes = await Promise.all([...new Set([...found].map((c) => at(M.shards, c)))].map(shard));
    return match(w, homes, false).filter((m) => found.has(m[0]));
  };

  const find = async (q) => {
    const all = tokens(q), stop = new Set(M.stop), terms = [...new Set(all.filter((w) => !stop.has(w)))];
    const last = END.test(q), n = terms.length, N = M.pages;
    const loaded = await Promise.all(terms.map((w, i) =>
      Promise.all((i === n - 1 && last && w.length > 1 ? span(M.shards, w) : [at(M.shards, w)]).map(shard))));
    // Per page: terms matched, terms matched exactly, score; typed arrays, for speed.
    const words = new Set(), hitN = new Uint8Array(N), hitE = new Uint8Array(N), score = new Float32Array(N), ids = [];
    for (let t = 0; t < n; t++) {
      let m = match(terms[t], loaded[t], last && t === n - 1);
      if (!m.length && typos(terms[t])) m = await near(terms[t]);
      const best = new Float32Array(N), ex = new Uint8Array(N), seen = [];
      for (const [word, [pages, impacts], weight, exact] of m) {
        words.add(word);
        for (let j = 0; j < pages.length; j++) {
          const id = pages[j], v = impacts[j] * weight;
          if (!best[id]) seen.push(id);
          if (v > best[id]) (best[id] = v), (ex[id] = exact);
        }
      }
      for (const id of seen) {
        if (!hitN[id]++) ids.push(id);
        hitE[id] += ex[id];
        score[id] += best[id];
      }
    }
    const scores = new Map(ids.map((id) => [id, { id, tier: 0, n: hitN[id], e: hitE[id], s: score[id] }]));
    // A title equal to the query, then titles starting with it, come first.
    const key = all.join(' ');
    if (n) for (const s of loaded[0]) for (const [title, id] of s.titles) {
      const r = scores.get(id);
      if (r && (title === key || (last && title.startsWith(key)))) r.tier = title === key ? 2 : 1;
    }
    const res = [...scores.values()].sort((a, b) => b.tier - a.tier || b.n - a.n || b.e - a.e || b.s - a.s || a.id - b.id);
    return { q: q.trim(), res, words };
  };

  // Per facet, per value, whether each page has it.
  const loadFacets = () => facets || (facets = get('facets.bin', 1).then((buf) => {
    const r = reader(buf);
    return M.facets.map((f) => f.values.map(() => {
      const has = new Uint8Array(M.pages);
      for (let n = r.num(), p = 0; n--;) has[(p += r.num())] = 1;
      return has;
    }));
  }, (e) => { facets = null; throw e; }));
  // Any chosen value of a facet matches, every facet must; `skip` leaves one out, for its counts.
  const filter = (res, cols, skip) => res.filter((r) => M.facets.every((f, i) =>
    i === skip || !on(f) || f.values.some((v, j) => chosen[f.key].has(v[0]) && cols[i][j][r.id])));
  const counts = (cols) => M.facets.forEach((f, i) => {
    const res = filter(state.res, cols, i);
    f.values.forEach((v, j) => {
      const n = res.reduce((c, r) => c + cols[i][j][r.id], 0);
      f.els[j].lastChild.textContent = ` (${n})`;
      f.els[j].classList.toggle('is-empty', !n);
    });
  });

  const el = (tag, text) => Object.assign(document.createElement(tag), text != null && { textContent: text });

  // The stretch of `text` with the most matched words, from the start of its sentence if near.
  const excerpt = (text, words) => {
    const spots = [...text.matchAll(RegExp(`[${L}]+(?:['’][${L}]+)*`, 'gu'))]
      .map((m) => [m.index, m.index + m[0].length, +words.has(m[0].toLowerCase().replace(/['’]/g, ''))]);
    const n = M.excerpt;
    let hits = 0, top, best = 0;
    spots.slice(0, n).forEach((s) => (hits += s[2]));
    top = hits;
    for (let i = 1; i + n <= spots.length; i++) if ((hits += spots[i + n - 1][2] - spots[i - 1][2]) > top) [top, best] = [hits, i];
    if (!top) return null;
    while (!spots[best][2]) best++;
    const starts = (i) => !i || /[.!?:]\s*$/.test(text.slice(spots[i - 1][1], spots[i][0]));
    let from = best;
    while (!starts(from) && best - from < 8) from--;
    if (!starts(from)) from = Math.max(0, best - 4);
    const p = el('p'), end = spots[Math.min(spots.length, from + n) - 1][1];
    let pos = spots[from][0];
    p.append(from ? '… ' : '');
    for (const s of spots.slice(from, from + n)) if (s[2]) { p.append(text.slice(pos, s[0]), el('mark', text.slice(s[0], s[1]))); pos = s[1]; }
    p.append(text.slice(pos, end) + (end < text.length ? ' …' : ''));
    return p;
  };

  const show = async (my) => {
    const { q, res, words, shown } = state, active = M.facets.some(on);
    const hits = active ? filter(res, await loadFacets(), -1) : res, page = hits.slice(0, shown);
    // Five at a time, so that the first results need the fewest files.
    for (let k = 0; k < page.length || !k; k += 5) {
      const part = page.slice(k, k + 5);
      const rows = await Promise.all(part.map((r) => get(`m${Math.floor(r.id / M.meta)}.json`).then((g) => g[r.id % M.meta])));
      if (my !== seq) return;
      const items = part.map((r, i) => {
        const li = el('li'), a = el('a', rows[i][0]), p = el('p', rows[i][2]);
        a.href = rows[i][1];
        li.append(a, p);
        get(`t${Math.floor(r.id / M.text)}.json`).then((g) => {
          const e = my === seq && excerpt(g[r.id % M.text], words);
          if (e) li.replaceChild(e, p);
        }, () => {});
        return li;
      });
      if (k) { list.append(...items); continue; }
      list.replaceChildren(...items);
      more.hidden = hits.length <= shown;
      box.hidden = !q || (!res.length && !active);
      status.textContent = !q ? '' : hits.length ? `${hits.length} result${hits.length > 1 ? 's' : ''} for “${q}”`
        : `No results for “${q}”. Try other words, or browse the lists below.`;
      if (q) loadFacets().then((c) => my === seq && counts(c), () => {});
    }
  };

  const fail = () => { status.textContent = 'Search is not working just now. Please try again, or browse the lists below.'; };
  const run = async (push) => {
    const my = ++seq, q = input.value, u = new URL(location.href);
    u.search = '';
    if (q) u.searchParams.set('q', q);
    M.facets.forEach((f) => on(f) && u.searchParams.set(f.key, [...chosen[f.key]].join(',')));
    if (u.href !== location.href) history[push ? 'pushState' : 'replaceState'](null, '', u);
    try {
      const found = await find(q);
      if (my === seq) (state = { ...found, shown: PAGE }), await show(my);
    } catch (e) {
      if (my === seq) fail();
    }
  };

  const fromURL = () => {
    const p = new URLSearchParams(location.search);
    input.value = p.get('q') || '';
    M.facets.forEach((f) => (chosen[f.key] = new Set((p.get(f.key) || '').split(',').filter(Boolean))));
    box.querySelectorAll('input').forEach((c) => (c.checked = chosen[c.name].has(c.value)));
  };

  form.addEventListener('submit', (e) => { e.preventDefault(); if (M) run(true); });
  input.addEventListener('input', () => M && run(false));
  box.addEventListener('change', ({ target: c }) => { chosen[c.name][c.checked ? 'add' : 'delete'](c.value); run(true); });
  more.addEventListener('click', () => {
    const n = list.children.length;
    state.shown += PAGE;
    show(++seq).then(() => list.children[n] && list.children[n].firstChild.focus());
  });
  addEventListener('popstate', () => { if (M) fromURL(), run(false); });
  // Arrow keys move from the box through the results; Escape goes back to the box.
  form.parentNode.addEventListener('keydown', (e) => {
    const links = [...list.querySelectorAll('li > a')], i = links.indexOf(document.activeElement);
    if (e.key === 'ArrowDown' && (e.target === input || i >= 0)) links[i + 1] && links[i + 1].focus();
    else if (e.key === 'ArrowUp' && i >= 0) (links[i - 1] || input).focus();
    else if (e.key === 'Escape' && i >= 0) input.focus();
    else return;
    e.preventDefault();
  });

  get('manifest.json').then((m) => {
    M = m;
    for (const f of M.facets) {
      const fs = el('fieldset');
      fs.append(el('legend', f.name));
      f.els = f.values.map(([id, label]) => {
        const l = el('label'), c = Object.assign(el('input'), { type: 'checkbox', name: f.key, value: id });
        l.append(c, ` ${label}`, Object.assign(el('span'), { className: 'count' }));
        fs.append(l);
        return l;
      });
      box.append(fs);
    }
    fromURL();
    if (input.value) run(false);
  }, fail);
})();
