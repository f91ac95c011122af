// Index search (docs/search.md). No eval, wasm or innerHTML (CSP). ≤ 15 KB.
(() => {
const $ = (id) => document.getElementById('search' + id), form = $('');
if (!form) return;
const input = $('-q'), list = $('-results'), status = $('-status'), box = $('-facets'), more = $('-more'), none = $('-none');
const base = new URL(form.dataset.index, location), L = '\\p{Alphabetic}\\p{N}', utf8 = new TextDecoder();
const SPOT = RegExp(`[${L}]+(?:['’][${L}]+)*`, 'gu'), END = RegExp(`[${L}]$`, 'u'), all = (a) => Promise.all(a);
$('-nojs').hidden = none.hidden = true;
$('-or').hidden = false;

// Strings become text, never markup.
const el = (tag, props, ...kids) => { const e = Object.assign(document.createElement(tag), props); e.append(...kids); return e; };
// As the index cuts words.
const tokens = (s) => (s.toLowerCase().match(SPOT) || []).map((w) => w.replace(/['’]/g, '')).filter((w) => [...w].length <= 40);

const reader = (buf) => {
	let b = new Uint8Array(buf), i = 0, w = b;
	const num = () => { let v = 0, s = 1, x; do v += ((x = b[i++]) & 127) * s, (s *= 128); while (x & 128); return v; };
	const bytes = (n) => b.subarray(i, (i += n)), list = (f) => [...Array(num())].map(f);
	return { num, bytes, list, words: (tag) => list(() => {
		const s = utf8.decode((w = Uint8Array.of(...w.subarray(0, num()), ...bytes(num()))));
		return tag ? [s, num()] : s;
	}) };
};

// A failure is not kept.
const files = {}, get = (name, parse) => (files[name] ||= fetch(new URL(name, base)).then((r) => {
	if (!r.ok) throw Error(r.status);
	return parse ? r.arrayBuffer().then((b) => parse(reader(b))) : r.json();
}).catch((e) => { delete files[name]; throw e; }));
// Named by content.
const F = (k, i) => k + M.ids[k].substr(i * 7, 7) + '.';
const row = (k, n, id) => get(F(k, id / n | 0) + 'json').then((g) => g[id % n]);
const shard = (i) => get(F('s', i) + 'bin', (r) => ({
	lists: r.list(() => { let p = 0; const pages = r.list(() => (p += r.num())); return [pages, r.bytes(pages.length)]; }),
	words: r.words(1), titles: r.words(1),
}));
// The file with `w`; for a prefix, up to three.
const at = (b, w) => b.filter((x) => x <= w).length - 1;
const span = (b, p, i = at(b, p)) => [i, i + 1, i + 2].filter((j) => j <= at(b, p + '\uffff'));

// Edit distance (a swap counts one); k + 1 once over k.
const dist = (a, b, k) => {
	if (Math.abs(a.length - b.length) > k) return k + 1;
	let q, p = [...Array(b.length + 1).keys()];
	for (let i = 1; i <= a.length; i++) {
		const c = [i];
		for (let j = 1; j <= b.length; j++) {
			const swap = a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] ? q[j - 2] + 1 : k + 1;
			c[j] = Math.min(p[j] + 1, c[j - 1] + 1, p[j - 1] + (a[i - 1] != b[j - 1]), swap);
		}
		if (Math.min(...c) > k) return k + 1;
		[q, p] = [p, c];
	}
	return p[b.length];
};
const typos = (w) => (w.length > 3) + (w.length > 7);
const better = (m, id, x, o = m.get(id)) => (!o || x[0] - o[0] || x[1] - o[1]) > 0 && m.set(id, x);

// tx: a page's words, for phrases, cut once.
let M, S, tx = {}, seq = 0, state = {}, typing, on = (f) => f.els.some((l) => l.firstChild.checked);
// Resolves once nothing newer has started for `ms`: what the first results do not need waits.
const idle = (my, ms) => new Promise((ok) => setTimeout(() => my == seq && ok(), ms));
// Excerpts past the first three load as they scroll into view.
const seen = self.IntersectionObserver && new IntersectionObserver((es) => es.forEach((e) => e.isIntersecting && (seen.unobserve(e.target), e.target.load())));

// [word, list, weight, exact?]: exact or shorter form; prefixes if typed; else typos.
// Stop words are in the index for titles only, and found only when the query has no other.
const match = (w, loaded, last, bare) => {
	const out = new Map(), k = !bare && typos(w), cands = loaded.flatMap((s) => s.words.map(([v, l]) => [v, s.lists[l]]))
		.filter(([v]) => bare || !M.stop.includes(v));
	const add = (es, weight, exact = 1) => es.forEach((e) => out.has(e[0]) || out.set(e[0], [...e, weight, exact]));
	add(cands.filter(([v]) => v == w), 1);
	if (!out.size && !bare) add(cands.filter(([v]) => v.length > 3 && w.length - v.length < 4 && w.startsWith(v)), 0.8);
	// "na" is a word, not the start of every word in "na…", once it is found.
	if (last && (w.length > 2 || !out.size)) add(cands.filter(([v]) => v != w && v.startsWith(w)).sort((a, b) => b[1][0].length - a[1][0].length).slice(0, 40), 0.7);
	if (!out.size && k) cands.forEach((e) => { const d = dist(w, e[0], k); d > k || add([e], d > 1 ? 0.3 : 0.5, 0); });
	return [...out.values()];
};

// Typos in the first two letters: near-word files.
const near = async (w) => {
	const k = typos(w), [x, y, z] = w, heads = [x + y, y + z, x + z];
	const ids = (b) => [...new Set(heads.flatMap((h) => span(b, h)))], lists = await all([
		...ids(M.near).map((i) => get(F('n', i) + 'bin', (r) => r.words(0))),
		...ids(M.shards).map((i) => shard(i).then((s) => s.words.map((e) => e[0]))),
	]);
	const found = new Set(lists.flat().filter((v) => dist(w, v, k) <= k));
	const homes = await all([...new Set([...found].map((v) => at(M.shards, v)))].map(shard));
	return match(w, homes).filter((m) => found.has(m[0]));
};

// Longest synonym phrase first: [own words, ...page words].
const slots = (said, out = new Map()) => {
	for (let i = 0, j; i < said.length; i = j) {
		for (j = said.length; j > i + 1 && !S.has(said.slice(i, j).join(' ')); j--);
		const k = said.slice(i, j).join(' ');
		out.set(k, [k, ...(S.get(k) || [])].map((p) => p.split(' ')));
	}
	return [...out.values()];
};

// The closest words the index knows, for "did you mean".
const closest = (said, loaded) => said.flatMap((w) => (loaded.get(w) || []).flatMap((s) => s.words.map(([v, l]) => [dist(w, v, 3), -s.lists[l][0].length, v, w])))
	.filter(([d, , v, w]) => d && d <= typos(w) + 1 && !M.stop.includes(v)).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((x) => x[2]);
const rank = (a, b) => b.tier - a.tier || b.adj - a.adj || b.n - a.n || b.e - a.e || b.s - a.s || a.id - b.id;
// `p` in `ws`, in order; while typing, the last word may be a prefix.
const has = (ws, p, pre) => ws.some((_, i) => p.every((w, j) => ws[i + j] == w || pre && !p[j + 1] && ws[i + j]?.startsWith(w)));
// Quoted phrases (or their page words) must be on the page: its title, summary or text, checked for the
// best 50 pages in their first 4 text files. Else pages with all the words side by side in the title or
// summary rank first: the best 20 in their first 3 metadata files. [[words, prefix?], …] a phrase.
const together = async (q, toks, last, res) => {
	const quoted = [...q.matchAll(/["“”]([^"“”]*)(["“”]?)/g)].map((m, _, p) => (p = tokens(m[1]))[1] &&
		[[p, last && !m[2]], ...(S.get(p.filter((w) => !M.stop.includes(w)).join(' ')) || []).map((x) => [x.split(' ')])]).filter(Boolean);
	const Q = quoted.length, ps = Q ? quoted : toks[1] ? [[[toks, last]]] : [], fs = [], n = Q ? M.text : M.meta;
	if (!ps.length) return res;
	const top = res.slice(0, Q ? 50 : 20).filter((r, f) => fs.includes((f = r.id / n | 0)) || fs.length < (Q ? 4 : 3) && fs.push(f));
	await all(top.map(async (r) => {
		const [t, , s] = await row('m', M.meta, r.id), ws = [tokens(t), tokens(s), Q ? await (tx[r.id] ||= row('t', M.text, r.id).then(tokens)).catch((e) => { throw (delete tx[r.id], e); }) : []];
		r.adj = +ps.every((alts) => alts.some(([p, pre]) => ws.some((w) => has(w, p, pre))));
	}).map((p) => p.catch(() => {})));
	return Q ? top.filter((r) => r.adj) : res.sort(rank);
};

const find = async (q) => {
	const toks = tokens(q), bare = toks.every((w) => M.stop.includes(w)), said = bare ? toks : toks.filter((w) => !M.stop.includes(w));
	const last = END.test(q) && !bare, hits = new Map(), words = new Set(), known = new Set();
	const pre = (w, a) => last && !a && w == said[said.length - 1] && w.length > 1, sl = slots(said);
	const loaded = new Map(await all([...new Set(sl.flat(2))].map(async (w) => [w, await all(span(M.shards, w).slice(0, pre(w) ? 3 : 1).map(shard))])));
	// id → [exact, score]; page words (a) only as written or shorter.
	const one = async (w, a, fix) => {
		let m = match(w, loaded.get(w), pre(w, a), bare).filter((x) => !a || x[3]), best = new Map();
		if (!m.length && fix) m = await near(w);
		m.length && known.add(w);
		for (const [v, [pages, imp], weight, exact] of m) words.add(v), pages.forEach((id, j) => better(best, id, [exact, imp[j] * weight]));
		return best;
	};
	for (const alts of sl) {
		const got = new Map();
		for (const [a, ws] of alts.entries()) {
			const per = await all(ws.map((w) => one(w, a, !a && !bare && typos(w) && !alts[1])));
			// Every word; a synonym just below the word itself.
			for (const id of per[0].keys()) {
				const xs = per.map((b) => b.get(id));
				xs.every(Boolean) && better(got, id, [xs.every((x) => x[0]), xs.reduce((t, x) => t + x[1], 0) * (a ? 0.9 : 1)]);
			}
		}
		for (const [id, [e, v]] of got) {
			const r = hits.get(id) || hits.set(id, { id, tier: 0, adj: 0, n: 0, e: 0, s: 0 }).get(id);
			r.n++, (r.e += e), (r.s += v);
		}
	}
	const key = toks.join(' ');
	for (const s of loaded.get(said[0]) || []) for (const [title, id] of s.titles) {
		const r = hits.get(id);
		if (r && (title == key || last && title.startsWith(key))) r.tier = 1 + (title == key);
	}
	const res = await together(q, toks, last, [...hits.values()].sort(rank));
	const alt = q.replace(/["“”]/g, ''), sug = res.length ? [] : [...new Set([...alt != q ? [alt] : [], ...closest(said.filter((w) => !known.has(w)), loaded)])].slice(0, 3);
	return { q: q.trim(), res, words, sug, shown: 10 };
};

const facets = () => get(F('f', 0) + 'bin', (r) => M.facets.map((f) => f.values.map(() => {
	let has = new Uint8Array(M.pages), p = 0;
	r.list(() => (has[(p += r.num())] = 1));
	return has;
})));
// `skip` one facet, for its counts.
const filter = (res, cols, skip) => res.filter((r) => M.facets.every((f, i) =>
	i == skip || !on(f) || f.els.some((l, j) => l.firstChild.checked && cols[i][j][r.id])));
const counts = (cols) => M.facets.forEach((f, i) => {
	const res = filter(state.res, cols, i);
	f.els.forEach((l, j) => {
		const n = res.reduce((c, r) => c + cols[i][j][r.id], 0);
		l.lastChild.textContent = ` (${n})`;
		l.classList.toggle('is-empty', !n);
	});
});

// Most matches, from the sentence start if near.
const excerpt = (text, words) => {
	const spots = [...text.matchAll(SPOT)].map((m) => [m.index, m.index + m[0].length, +words.has(tokens(m[0]).join(''))]);
	const n = M.excerpt;
	let hits = 0, top = 0, best = 0;
	spots.forEach((s, i) => {
		hits += s[2] - (i >= n && spots[i - n][2]);
		if (hits > top) [top, best] = [hits, Math.max(0, i - n + 1)];
	});
	if (!top) return;
	while (!spots[best][2]) best++;
	const starts = (i) => !i || /[.!?:]\s*$/.test(text.slice(spots[i - 1][1], spots[i][0]));
	let from = best;
	while (!starts(from) && best - from < 8) from--;
	if (!starts(from)) from = Math.max(0, best - 4);
	const shown = spots.slice(from, from + n), end = shown[shown.length - 1][1];
	let pos = shown[0][0];
	const kids = shown.flatMap((s) => (s[2] ? [text.slice(pos, s[0]), el('mark', {}, text.slice(s[0], (pos = s[1])))] : []));
	return el('p', {}, from ? '… ' : '', ...kids, text.slice(pos, end) + (end < text.length ? ' …' : ''));
};

const below = ', or browse the lists below.';
const show = async (my) => {
	const { q, res, words, shown } = state, active = M.facets.some(on);
	const hits = active ? filter(res, await facets()) : res, h = hits.length, page = hits.slice(0, shown);
	// Five at a time: fewest files first. While typing, the rest waits for a pause.
	const wait = typing ? idle(my, 400) : Promise.resolve();
	for (let k = 0; k < page.length || !k; k += 5) {
		k && (await wait);
		const part = page.slice(k, k + 5), rows = await all(part.map((r) => row('m', M.meta, r.id)));
		if (my != seq) return;
		const items = rows.map(([title, href, summary], i) => {
			const p = el('p', {}, summary), li = el('li', {}, el('a', { href }, title), p);
			li.load = () => row('t', M.text, part[i].id).then((t) => my == seq && (t = excerpt(t, words)) && p.replaceWith(t), () => {});
			k + i < 3 || !seen ? wait.then(li.load) : wait.then(() => seen.observe(li));
			return li;
		});
		if (k) { list.append(...items); continue; }
		seen && seen.disconnect();
		list.replaceChildren(...items);
		more.hidden = h <= shown;
		box.hidden = !q || !res.length && !active;
		const sug = state.sug.map((w) => el('a', { href: '?' + new URLSearchParams({ q: w }) }, w)), mean = sug.length ? ' Did you mean ' : '';
		none.hidden = !q || h;
		none.firstElementChild.replaceChildren(...(mean && [mean, ...sug.flatMap((a, i) => [i ? ', ' : '', a]), '?']));
		status.textContent = !q ? '' : h ? `${h} result${h > 1 ? 's' : ''} for “${q}”` : `No results for “${q}”.${mean}${state.sug.join(', ')}${mean && '?'} Try other words${below}`;
		// Counts when idle, or at once when the filters are used.
		if (q) Promise.race([idle(my, 1500), new Promise((ok) => (box.onfocusin = box.onpointerover = ok))])
			.then(facets).then((c) => my == seq && counts(c), () => {});
	}
};

const fail = () => (status.textContent = `Search is not working just now. Please try again${below}`);
const run = (push, typed) => {
	const my = ++seq, q = input.value, d = new FormData(form), u = new URL(location);
	typing = typed;
	u.search = '';
	for (const k of new Set(d.keys())) d.get(k) && u.searchParams.set(k, d.getAll(k).join(','));
	if (u.href != location.href) history[push ? 'pushState' : 'replaceState'](null, '', u);
	find(q).then((f) => my == seq && show(my, (state = f))).catch(() => my == seq && fail());
};
const fromURL = () => {
	const p = new URLSearchParams(location.search);
	input.value = p.get('q') || '';
	box.querySelectorAll('input').forEach((c) => (c.checked = p.get(c.name)?.split(',').includes(c.value)));
};

form.onsubmit = (e) => { e.preventDefault(); M && run(true); };
// Typed: searched after a short pause, so that a fast typist's letters fetch nothing.
input.oninput = () => M && idle(++seq, 150).then(() => run(0, 1));
box.onchange = () => run(true);
more.onclick = () => {
	const n = list.children.length;
	state.shown += 10;
	show(++seq).then(() => list.children[n]?.firstChild.focus());
};
addEventListener('popstate', () => M && (fromURL(), run()));
form.parentNode.onkeydown = (e) => {
	const links = [...list.querySelectorAll('a')], i = links.indexOf(document.activeElement), k = e.key;
	if (k == 'ArrowDown' && (e.target == input || i >= 0)) links[i + 1]?.focus();
	else if (k == 'ArrowUp' && i >= 0) (links[i - 1] || input).focus();
	else if (k == 'Escape' && i >= 0) input.focus();
	else return;
	e.preventDefault();
};

get('manifest.json').then((m) => {
	S = new Map(Object.entries(m.syn || {}));
	for (const f of (M = m).facets) {
		f.els = f.values.map(([value, label]) =>
			el('label', {}, el('input', { type: 'checkbox', name: f.key, value }), ` ${label}`, el('span', { className: 'count' })));
		box.append(el('fieldset', {}, el('legend', {}, f.name), ...f.els));
	}
	fromURL();
	if (input.value) run();
}, fail);
})();
