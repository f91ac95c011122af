//! Search: the index the browser searches, built from the rendered pages. A pure function of
//! `config`, `content` and `links`' output, returning the files to write; the default theme's
//! search.js reads them. docs/search.md describes the design and the file formats.
//!
//! Every page gets an id (its place in URL order, so that pages of one section sit together).
//! Each word is stemmed (English Snowball) and scored per page with BM25 over four weighted
//! fields (title, headings, summary, body); the score is kept as a one-byte impact, and only
//! the best [`MAX_PAGES_PER_TERM`] pages of each stem are kept, so common words stay small.
//! The words are split by prefix into shards of a few kilobytes, listed in a small manifest;
//! titles, URLs and summaries, and the text for excerpts, are in files of a few pages each,
//! fetched only for the results shown; facet values are compact per-value page lists.

pub mod format;
pub mod synonyms;
mod title_stops;
pub mod tokenize;
mod update;

pub use update::{Analysis, NotUpdated, Updated, build_kept, update};

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;
use serde::Serialize;

use crate::config::{Config, Facet, SearchWeights};
use crate::content::{Content, Meta};
use crate::links::Linked;
use format::{Posting, encode_shard, encode_words, pack, prefix, push_varint, range_of};
use rustc_hash::FxHashMap;
use tokenize::{for_each_word, html_to_text, is_stop_word, words};

/// The folder under the output that holds the index.
pub const SEARCH_DIR: &str = "search/";

/// How many pages each stem keeps: its best matches. A reader looking for a word found on
/// thousands of pages sees the best few hundred; counts by facet are counted among them.
pub const MAX_PAGES_PER_TERM: usize = 1000;

/// Shards aim at this many bytes and, unless one word's pages alone are bigger, stay under
/// [`SHARD_MAX_BYTES`]. The files are binary and gzip takes little off them.
pub const SHARD_TARGET_BYTES: usize = 9 * 1024;
pub const SHARD_MAX_BYTES: usize = 12 * 1024;

/// At most this many index files, whatever the number of pages (hosts limit file counts).
pub const FILE_BUDGET: usize = 1900;

/// Excerpt text kept per page, in characters: matches further down show the summary.
pub const TEXT_CHARS_PER_PAGE: usize = 6000;

/// BM25 parameters: term-frequency saturation, and length normalisation per field (title,
/// headings, summary, body).
const K1: f32 = 1.2;
const MIN_IDF: f32 = 0.2;
const B: [f32; 4] = [0.3, 0.5, 0.5, 0.75];

const TITLE: usize = 0;
const HEADINGS: usize = 1;
const SUMMARY: usize = 2;
const BODY: usize = 3;

/// The index: files to write, by site-relative path.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    pub files: Vec<(String, Vec<u8>)>,
    /// Files of the index already written as they were made ([`Indexer::finish`]): no other file
    /// may take their paths.
    pub written: Vec<String>,
    /// The manifest's site-relative path ("search/manifest.json"), which the search page
    /// links to; `None` when search is off.
    pub manifest: Option<String>,
    /// What the index shows of site.toml: readers' words that can find no page.
    pub warnings: Vec<crate::diagnostics::Diagnostic>,
}

/// One searchable page or section.
struct Document<'a> {
    /// The page it is, by index in `content.pages`; `None` for a section.
    page: Option<usize>,
    title: &'a str,
    url: String,
    summary: &'a str,
    headings: Vec<&'a str>,
    html: &'a str,
    /// Front-matter text shown on the page (pros, cons, who it suits, differences).
    lists: Vec<&'a str>,
    /// Labels of its facet values: searchable, not shown in excerpts.
    labels: Vec<&'a str>,
    /// For each configured facet, the indices of its values in the vocabulary.
    facets: Vec<Vec<usize>>,
}

/// A document's words, counted per field.
struct Analysed {
    /// Each indexed word (by [`Interner`] id) and its count in the title, headings, summary
    /// and body. Counts stop at 65,535: far past where BM25 stops telling them apart.
    counts: Vec<(u32, [u16; 4])>,
    lengths: [u32; 4],
    /// The text excerpts are cut from.
    text: String,
    /// The title's words joined by spaces, and the word it is filed under.
    title_key: String,
    title_word: String,
}

/// Where the index's files go as soon as each is made: its site-relative path and bytes.
pub type Emit<'a> = &'a (dyn Fn(String, Vec<u8>) + Sync);

/// The index, in memory.
pub fn build(config: &Config, content: &Content, linked: &Linked) -> SearchIndex {
    let files = Mutex::new(BTreeMap::new());
    let manifest = build_into(config, content, linked, &|path, bytes| {
        files.lock().unwrap_or_else(PoisonError::into_inner).insert(path, bytes);
    });
    SearchIndex {
        manifest,
        files: files
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
            .into_iter()
            .collect(),
        written: Vec::new(),
        warnings: Vec::new(),
    }
}

/// Makes the index, handing each file to `emit` as soon as it is made, so that a build never
/// holds the whole index; returns the manifest's path (`None`: search is off).
pub fn build_into(config: &Config, content: &Content, linked: &Linked, emit: Emit<'_>) -> Option<String> {
    Indexer::new(config, content, linked).map(|indexer| indexer.finish(emit).0)
}

/// The manifest's site-relative path, which pages may name before the index is made
/// (`None`: search is off).
pub fn manifest_path(config: &Config) -> Option<String> {
    config.search.enabled.then(manifest_file)
}

fn manifest_file() -> String {
    format!("{SEARCH_DIR}{MANIFEST}")
}

/// The index made a page at a time. A one-off build shows each page's HTML to
/// [`Indexer::page`] as the page's template is rendered, and then frees it, so that the
/// site's HTML and every page's analysis are never in memory together; [`Indexer::finish`]
/// analyses whatever was not shown (the sections) and writes the index.
pub struct Indexer<'a> {
    config: &'a Config,
    documents: Vec<Document<'a>>,
    /// Each page's place in `documents`, by page index (`None`: not searched).
    by_page: Vec<Option<usize>>,
    interner: Interner,
    /// One per thread at work, lent out for each page.
    scratches: Mutex<Vec<Scratch>>,
    analysed: Vec<Mutex<Option<Analysed>>>,
}

impl<'a> Indexer<'a> {
    /// `None` when search is off.
    pub fn new(config: &'a Config, content: &'a Content, linked: &'a Linked) -> Option<Indexer<'a>> {
        if !config.search.enabled {
            return None;
        }
        let documents = documents(config, content, linked);
        let mut by_page = vec![None; content.pages.len()];
        for (at, document) in documents.iter().enumerate() {
            if let Some(page) = document.page {
                by_page[page] = Some(at);
            }
        }
        Some(Indexer {
            config,
            analysed: documents.iter().map(|_| Mutex::new(None)).collect(),
            documents,
            by_page,
            interner: Interner::default(),
            scratches: Mutex::new(Vec::new()),
        })
    }

    /// Analyses page `index`, whose HTML is `html` (held apart from `Linked`, which the index
    /// was made with, so that it can be freed once the page is rendered).
    pub fn page(&self, index: usize, html: &str) {
        let Some(at) = self.by_page.get(index).copied().flatten() else {
            return;
        };
        let mut scratch = self.lend_scratch();
        let analysed = analyse(
            &self.documents[at],
            html,
            &self.config.search.weights,
            &self.interner,
            &mut scratch,
        );
        *self.analysed[at].lock().unwrap_or_else(PoisonError::into_inner) = Some(analysed);
        self.scratches
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(scratch);
    }

    fn lend_scratch(&self) -> Scratch {
        self.scratches
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop()
            .unwrap_or_default()
    }

    /// Analyses the documents [`Indexer::page`] was not shown, with their HTML in `Linked`,
    /// then scores every page and hands each file to `emit`; returns the manifest's path and
    /// the warnings about readers' words that find no page.
    pub fn finish(self, emit: Emit<'_>) -> (String, Vec<crate::diagnostics::Diagnostic>) {
        let Indexer {
            config,
            documents,
            interner,
            analysed,
            ..
        } = self;
        let shown = analysed
            .into_iter()
            .map(|slot| slot.into_inner().unwrap_or_else(PoisonError::into_inner))
            .collect();
        let mut analysed = analyse_all(&documents, &config.search.weights, &interner, shown);
        let words = interner.0.into_inner().unwrap_or_else(PoisonError::into_inner);
        let stems = update::stem_all(&words.list, Vec::new());
        let inputs = Inputs {
            config,
            documents: &documents,
            words: &words.list,
            stems: &stems,
        };
        write_index(&inputs, &mut analysed, None, &|| false, emit)
            .map(|written| (written.manifest, written.warnings))
            .unwrap_or_default()
    }
}

/// Every document analysed, in parallel, but those given in `reused` (by position).
fn analyse_all(
    documents: &[Document<'_>],
    weights: &SearchWeights,
    interner: &Interner,
    reused: Vec<Option<Analysed>>,
) -> Vec<Analysed> {
    let mut reused = reused;
    reused.resize_with(documents.len(), || None);
    documents
        .par_iter()
        .zip(reused.into_par_iter())
        .map_init(Scratch::default, |scratch, (d, reused)| {
            reused.unwrap_or_else(|| analyse(d, d.html, weights, interner, scratch))
        })
        .collect()
}

/// What [`write_index`] reads besides the analysed documents.
struct Inputs<'a> {
    config: &'a Config,
    documents: &'a [Document<'a>],
    /// Words and their stems, by word id.
    words: &'a [Box<str>],
    stems: &'a [Box<str>],
}

/// For `serve`: the work [`write_index`] keeps for the next update, and the documents
/// analysed again since the last (`None`: all).
struct Kept<'a> {
    groups: &'a mut Groups,
    changed: Option<&'a BTreeSet<usize>>,
}

/// The metadata and text files last written, by content id: a group of pages none of which
/// was analysed again keeps its file.
#[derive(Default)]
struct Groups {
    meta: GroupIds,
    text: GroupIds,
}

/// Pages per file, and each file's content id.
#[derive(Default)]
struct GroupIds {
    size: usize,
    ids: Vec<String>,
}

/// What [`write_index`] made: the paths of all the index's files (for an update, files
/// that were kept were not emitted again) and the manifest's.
struct Written {
    paths: Vec<String>,
    manifest: String,
    warnings: Vec<crate::diagnostics::Diagnostic>,
}

/// Scores the analysed documents and makes the index's files, each handed to `emit` once
/// made. With `kept`, each page's word counts stay for the next update and unchanged groups
/// keep their files (not emitted again); a one-off build frees the counts as it goes. `None`
/// once `stop` says so (before any file is emitted).
fn write_index(
    inputs: &Inputs<'_>,
    analysed: &mut [Analysed],
    mut kept: Option<Kept<'_>>,
    stop: &(dyn Fn() -> bool + Sync),
    emit: Emit<'_>,
) -> Option<Written> {
    let Inputs {
        config,
        documents,
        words,
        stems,
    } = *inputs;
    let (dictionary, postings) = score(analysed, words, stems, &config.search.weights, kept.is_some(), stop)?;

    let warnings = synonyms::never_matching(config, |w| dictionary.words.contains_key(w));
    let (shard_boundaries, shards) = write_shards(&dictionary, &postings, analysed);
    let (near_boundaries, near) = write_near_words(&dictionary);
    drop(postings);
    if stop() {
        return None;
    }
    // Rounded, so that a shard more or less rarely regroups every metadata and text file.
    let budget = FILE_BUDGET
        .saturating_sub((shards.len() + near.len() + 2).next_multiple_of(64))
        .max(2);
    let meta_group = group_size(documents.len(), average_row(documents), 2048, budget * 2 / 5);
    let text_group = group_size(
        analysed.len(),
        average_text(analysed),
        16 * 1024,
        budget - budget * 2 / 5,
    );

    let mut ids = BTreeMap::new();
    ids.insert("s", named("s", "bin", shards, emit));
    ids.insert("n", named("n", "bin", near, emit));
    ids.insert("f", named("f", "bin", vec![facet_columns(config, documents)], emit));
    let (meta_kept, text_kept) = match &mut kept {
        Some(kept) => (
            Some((&mut kept.groups.meta, kept.changed)),
            Some((&mut kept.groups.text, kept.changed)),
        ),
        None => (None, None),
    };
    let meta = Group {
        kind: "m",
        count: documents.len(),
        size: meta_group,
    };
    ids.insert(
        "m",
        grouped(meta, meta_kept, emit, |range| write_metadata(&documents[range])),
    );
    let text = Group {
        kind: "t",
        count: analysed.len(),
        size: text_group,
    };
    ids.insert(
        "t",
        grouped(text, text_kept, emit, |range| write_texts(&analysed[range])),
    );

    let paths = ids
        .iter()
        .flat_map(|(kind, joined)| {
            let extension = if matches!(*kind, "m" | "t") { "json" } else { "bin" };
            joined
                .as_bytes()
                .chunks(ID_LEN)
                .map(move |id| format!("{SEARCH_DIR}{kind}{}.{extension}", String::from_utf8_lossy(id)))
        })
        .collect::<BTreeSet<String>>();
    let manifest = Manifest {
        version: 2,
        pages: documents.len(),
        shards: shard_boundaries,
        near: near_boundaries,
        meta: meta_group,
        text: text_group,
        ids,
        excerpt: config.search.excerpt_words,
        stop: tokenize::STOP_WORDS,
        syn: synonyms::table(config),
        facets: config
            .search
            .facets
            .iter()
            .map(|&facet| {
                let vocabulary = config.vocabularies.get(facet);
                ManifestFacet {
                    key: facet.key(),
                    name: &vocabulary.name,
                    values: vocabulary
                        .values
                        .iter()
                        .map(|v| [v.id.as_str(), v.label.as_str()])
                        .collect(),
                }
            })
            .collect(),
    };
    let manifest_path = manifest_file();
    emit(manifest_path.clone(), serde_json::to_vec(&manifest).unwrap_or_default());
    let mut paths: Vec<String> = paths.into_iter().collect();
    paths.push(manifest_path.clone());
    Some(Written {
        paths,
        manifest: manifest_path,
        warnings,
    })
}

/// Names files of one kind by their content, hands each to `emit`, and returns their ids
/// joined, in order.
fn named(kind: &str, extension: &str, files: Vec<Vec<u8>>, emit: Emit<'_>) -> String {
    let ids: Vec<String> = files
        .into_par_iter()
        .map(|bytes| {
            let id = content_id(&bytes);
            emit(format!("{SEARCH_DIR}{kind}{id}.{extension}"), bytes);
            id
        })
        .collect();
    ids.concat()
}

/// JSON files of `count` documents, `size` a file.
struct Group {
    kind: &'static str,
    count: usize,
    size: usize,
}

/// The files of a [`Group`], each made by `encode` from its documents' range and handed to
/// `emit`; returns their content ids joined, in order. With `kept` (the ids last written, and
/// the documents analysed again since), a group none of whose documents changed keeps its id
/// and is not made again.
fn grouped(
    group: Group,
    kept: Option<(&mut GroupIds, Option<&BTreeSet<usize>>)>,
    emit: Emit<'_>,
    encode: impl Fn(std::ops::Range<usize>) -> Vec<u8> + Sync,
) -> String {
    let Group { kind, count, size } = group;
    let ranges: Vec<std::ops::Range<usize>> = (0..count.div_ceil(size))
        .map(|g| g * size..count.min((g + 1) * size))
        .collect();
    let (last, changed) = match &kept {
        Some((last, changed)) if last.size == size => (Some(&last.ids), *changed),
        _ => (None, None),
    };
    let ids: Vec<String> = ranges
        .into_par_iter()
        .enumerate()
        .map(|(g, range)| {
            let unchanged = changed.is_some_and(|c| c.range(range.clone()).next().is_none());
            match last.and_then(|ids| ids.get(g)).filter(|_| unchanged) {
                Some(id) => id.clone(),
                None => {
                    let bytes = encode(range);
                    let id = content_id(&bytes);
                    emit(format!("{SEARCH_DIR}{kind}{id}.json"), bytes);
                    id
                }
            }
        })
        .collect();
    let joined = ids.concat();
    if let Some((last, _)) = kept {
        *last = GroupIds { size, ids };
    }
    joined
}

/// The manifest's name in [`SEARCH_DIR`]: the one index file whose name stays the same.
pub const MANIFEST: &str = "manifest.json";

/// Characters in a file's content id.
pub const ID_LEN: usize = 7;

/// A file's name from its bytes: 35 bits of XXH3 in base 32 (digits and lowercase letters,
/// so that names differ on file systems that ignore case). Files are named by what they hold,
/// so hosts may cache them for ever and an edit renames only the files it changed. XXH3 is
/// specified and stable across versions; over a 10,000-page site's 61 MB of index files it
/// took 6 ms on one core where FNV-1a, a byte at a time, took 70 ms.
fn content_id(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 32] = b"0123456789abcdefghijklmnopqrstuv";
    let hash = xxhash_rust::xxh3::xxh3_64(bytes);
    (0..ID_LEN)
        .map(|i| char::from(DIGITS[((hash >> (59 - 5 * i)) & 31) as usize]))
        .collect()
}

#[derive(Serialize)]
struct Manifest<'a> {
    version: u32,
    pages: usize,
    /// The first word of each shard's range.
    shards: Vec<String>,
    /// The same for the near-word files.
    near: Vec<String>,
    /// Pages per metadata file (the Nth holds pages N×meta…) and per text file.
    meta: usize,
    text: usize,
    /// For each kind of file (`s` shards, `n` near words, `m` metadata, `t` text, `f` facet
    /// columns), the files' content ids in order, each [`ID_LEN`] characters: the Nth shard
    /// is `s<id>.bin`, the Nth metadata file `m<id>.json`.
    ids: BTreeMap<&'static str, String>,
    /// Words of text per excerpt.
    excerpt: usize,
    stop: &'static [&'static str],
    /// Readers' words and phrases, each with the page words it also finds (left out when
    /// there are none, so that a site without them ships the same manifest as before).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    syn: BTreeMap<String, Vec<String>>,
    facets: Vec<ManifestFacet<'a>>,
}

#[derive(Serialize)]
struct ManifestFacet<'a> {
    key: &'static str,
    name: &'a str,
    /// [id, label] in vocabulary order; `facets.bin` lists each value's pages in this order.
    values: Vec<[&'a str; 2]>,
}

/// Whether a content file is in one of the `[search] sections` folders.
fn in_sections(sections: &[String], key: &str) -> bool {
    sections.is_empty()
        || sections.iter().any(|s| {
            let folder = s.trim_matches('/');
            folder.is_empty() || key.starts_with(&format!("{folder}/"))
        })
}

fn documents<'a>(config: &'a Config, content: &'a Content, linked: &'a Linked) -> Vec<Document<'a>> {
    let sections = &config.search.sections;
    let facet_values = |meta: &'a Meta| -> (Vec<Vec<usize>>, Vec<&'a str>) {
        let mut labels = Vec::new();
        let facets = config
            .search
            .facets
            .iter()
            .map(|&facet| {
                let vocabulary = config.vocabularies.get(facet);
                meta.facet_values(facet)
                    .iter()
                    .filter_map(|id| vocabulary.values.iter().position(|v| v.id == *id))
                    .collect()
            })
            .collect();
        for facet in Facet::ALL {
            let vocabulary = config.vocabularies.get(facet);
            for id in meta.facet_values(facet) {
                labels.extend(vocabulary.value(id).map(|v| v.label.as_str()));
            }
        }
        (facets, labels)
    };
    // In parallel: at 10,000 pages this is a few tens of milliseconds that would otherwise
    // keep one core idle.
    let mut documents: Vec<Document<'a>> = content
        .pages
        .par_iter()
        .zip(&linked.pages)
        .enumerate()
        .filter(|(_, (page, _))| in_sections(sections, &page.key))
        .map(|(index, (page, rendered))| {
            let meta = &page.meta;
            let (facets, labels) = facet_values(meta);
            let mut lists: Vec<&str> = [&meta.pros, &meta.cons, &meta.suits, &meta.not_suited]
                .into_iter()
                .flatten()
                .map(String::as_str)
                .collect();
            lists.extend(meta.duration.as_deref());
            for difference in &meta.differences {
                lists.push(&difference.topic);
                lists.extend(difference.views.iter().map(|v| v.view.as_str()));
            }
            Document {
                page: Some(index),
                title: &meta.title,
                url: config.base_url.link(&page.path),
                summary: &meta.summary,
                headings: rendered.toc.iter().map(|h| h.title.as_str()).collect(),
                html: &rendered.html,
                lists,
                labels,
                facets,
            }
        })
        .collect();
    for (section, rendered) in content.sections.iter().zip(&linked.sections) {
        // The home page is every search's starting point, not a result.
        if section.parent.is_none() || !in_sections(sections, &section.key) {
            continue;
        }
        documents.push(Document {
            page: None,
            title: &section.meta.title,
            url: config.base_url.link(&section.path),
            summary: &section.meta.summary,
            headings: rendered.toc.iter().map(|h| h.title.as_str()).collect(),
            html: &rendered.html,
            lists: Vec::new(),
            labels: Vec::new(),
            facets: vec![Vec::new(); config.search.facets.len()],
        });
    }
    documents.par_sort_by(|a, b| a.url.cmp(&b.url));
    documents
}

/// Numbers for words, shared by the threads that analyse pages, so that a page's counts hold
/// no strings. Each thread remembers the words it has seen ([`Scratch`]); only a word new to
/// it takes the lock.
#[derive(Default)]
struct Interner(Mutex<Words>);

/// Each word's id, and the words by id.
#[derive(Default)]
struct Words {
    ids: FxHashMap<Box<str>, u32>,
    list: Vec<Box<str>>,
}

/// One thread's working space for [`analyse`]: the words it has met, with their ids (`None`
/// for a stop word), and the current page's counts by word id, so that counting a word is
/// one hash lookup and an array index.
#[derive(Default)]
struct Scratch {
    /// Words of up to 16 bytes, packed into a number: most words are, and comparing
    /// numbers is cheaper than comparing strings.
    seen_short: FxHashMap<u128, Option<u32>>,
    seen: FxHashMap<Box<str>, Option<u32>>,
    counts: Vec<[u16; 4]>,
    touched: Vec<u32>,
}

/// A word of up to 16 bytes as a number, its bytes in order and zeros after (no word holds a
/// zero byte, so two words never share a number).
fn packed(word: &str) -> Option<u128> {
    let bytes = word.as_bytes();
    if bytes.len() > 16 {
        return None;
    }
    // A byte at a time: words are short, and a call to memchr and memcpy costs more.
    let mut packed = [0u8; 16];
    for (slot, &byte) in packed.iter_mut().zip(bytes) {
        if byte == 0 {
            return None;
        }
        *slot = byte;
    }
    Some(u128::from_le_bytes(packed))
}

impl Scratch {
    /// Counts one word in `field`; false for a stop word.
    fn count(&mut self, interner: &Interner, word: &str, field: usize) -> bool {
        let new_id = || (!is_stop_word(word)).then(|| interner.id(word));
        let id = match packed(word) {
            Some(key) => *self.seen_short.entry(key).or_insert_with(new_id),
            None => match self.seen.get(word) {
                Some(id) => *id,
                None => {
                    let id = new_id();
                    self.seen.insert(word.into(), id);
                    id
                }
            },
        };
        let Some(id) = id else {
            return false;
        };
        let slot = id as usize;
        if slot >= self.counts.len() {
            self.counts.resize(slot + 1, [0; 4]);
        }
        if self.counts[slot] == [0; 4] {
            self.touched.push(id);
        }
        self.counts[slot][field] = self.counts[slot][field].saturating_add(1);
        true
    }

    /// The page's counts, in the order the words first appeared; leaves the counts at zero.
    fn take(&mut self) -> Vec<(u32, [u16; 4])> {
        let counts = &mut self.counts;
        self.touched
            .drain(..)
            .map(|id| (id, std::mem::take(&mut counts[id as usize])))
            .collect()
    }
}

impl Interner {
    fn id(&self, word: &str) -> u32 {
        let mut shared = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let Words { ids, list } = &mut *shared;
        match ids.get(word) {
            Some(&id) => id,
            None => {
                let id = list.len() as u32;
                list.push(word.into());
                ids.insert(word.into(), id);
                id
            }
        }
    }
}

/// A document's counts and excerpt text; `html` is its HTML (the document's own, unless a
/// one-off build holds it apart).
fn analyse(
    document: &Document<'_>,
    html: &str,
    weights: &SearchWeights,
    interner: &Interner,
    scratch: &mut Scratch,
) -> Analysed {
    let mut text = html_to_text(html);
    for item in &document.lists {
        text.push(' ');
        text.push_str(item);
    }
    let mut lengths = [0u32; 4];
    let labels = document.labels.join(" ");
    let headings = document.headings.join(" ");
    let fields: [(usize, f32, &[&str]); 4] = [
        (TITLE, weights.title, &[document.title]),
        (HEADINGS, weights.headings, &[&headings]),
        (SUMMARY, weights.summary, &[document.summary]),
        (BODY, weights.body, &[&text, &labels]),
    ];
    for (field, weight, parts) in fields {
        if weight <= 0.0 {
            continue;
        }
        for part in parts {
            for_each_word(part, |word| {
                if scratch.count(interner, word, field) {
                    lengths[field] += 1;
                } else if field == TITLE {
                    scratch.count_title_stop_word(interner, word);
                }
            });
        }
    }
    let counts = scratch.take();
    let title_words = words(document.title);
    let title_word = title_words
        .iter()
        .find(|w| !is_stop_word(w))
        .or(title_words.first())
        .cloned()
        .unwrap_or_default();
    let text = truncate_chars(text, TEXT_CHARS_PER_PAGE);
    Analysed {
        counts,
        lengths,
        text,
        title_key: title_words.join(" "),
        title_word,
    }
}

/// The first `n` characters of `text`, cut back to a word boundary when it is longer, kept
/// without spare capacity (every page's excerpt text is held until the index is written).
fn truncate_chars(mut text: String, n: usize) -> String {
    // Characters are never more than bytes, and in ASCII are as many.
    let cut = match text.len() <= n || text.is_ascii() {
        true => n.min(text.len()),
        false => char_start(&text, n),
    };
    if cut < text.len() {
        // End on a word boundary.
        let end = text[..cut].rfind(' ').unwrap_or(cut);
        text.truncate(end);
    }
    text.shrink_to_fit();
    text
}

/// Where character `n` (from 0) of `text` starts, or its length if it has no more: the
/// characters counted by the bytes that start one, without decoding them.
fn char_start(text: &str, n: usize) -> usize {
    let mut chars = 0;
    for (at, &byte) in text.as_bytes().iter().enumerate() {
        // Every byte but a continuation byte (0b10xx_xxxx) starts a character.
        if byte & 0xC0 != 0x80 {
            if chars == n {
                return at;
            }
            chars += 1;
        }
    }
    text.len()
}

/// Every indexed word, with the number of its stem.
struct Dictionary {
    words: BTreeMap<String, usize>,
    /// How many of the words share each stem.
    words_per_stem: Vec<usize>,
}

/// Scores every (stem, page) pair with BM25 and keeps each stem's best pages as impacts.
/// `words` and `stems` are by word id; words no page uses any more (after [`update`]) are left
/// out. Each page's word counts are freed unless `keep` is set. `None` once `stop` says so.
///
/// Impacts are local: a page's scores depend on its own words, on the number of pages having
/// each word, on the page count and on average field lengths rounded to about 1 %, so that an
/// edit to one page changes only the lists of its own words, and only the files holding them.
fn score(
    analysed: &mut [Analysed],
    words: &[Box<str>],
    stems: &[Box<str>],
    weights: &SearchWeights,
    keep: bool,
    stop: &(dyn Fn() -> bool + Sync),
) -> Option<(Dictionary, Vec<Vec<Posting>>)> {
    let mut used = vec![false; words.len()];
    for a in analysed.iter() {
        for (word, _) in &a.counts {
            used[*word as usize] = true;
        }
    }
    let unique: BTreeSet<&str> = (0..words.len()).filter(|&w| used[w]).map(|w| &*stems[w]).collect();
    let stem_ids: HashMap<&str, u32> = unique.iter().enumerate().map(|(i, s)| (*s, i as u32)).collect();
    let mut dictionary = BTreeMap::new();
    let mut words_per_stem = vec![0; unique.len()];
    // By word id; unused words have no stem number.
    let mut word_stem: Vec<u32> = vec![u32::MAX; words.len()];
    for (id, word) in words.iter().enumerate().filter(|&(id, _)| used[id]) {
        let stem = stem_ids[&*stems[id]];
        dictionary.insert(word.to_string(), stem as usize);
        words_per_stem[stem as usize] += 1;
        word_stem[id] = stem;
    }

    // Per page, each stem's counts per field (as small as they can be: at 10,000 pages these
    // lists hold three million entries).
    let per_page: Vec<Vec<(u32, [u16; 4])>> = analysed
        .par_iter_mut()
        .map(|a| {
            let counts = match keep {
                true => a.counts.clone(),
                false => std::mem::take(&mut a.counts),
            };
            let mut by_stem: Vec<(u32, [u16; 4])> = counts
                .into_iter()
                .map(|(word, counts)| (word_stem[word as usize], counts))
                .collect();
            by_stem.sort_unstable_by_key(|(stem, _)| *stem);
            // Words of one stem are now side by side: add them up (saturating, as counts do).
            let mut merged: Vec<(u32, [u16; 4])> = Vec::with_capacity(by_stem.len());
            for (stem, counts) in by_stem {
                match merged.last_mut() {
                    Some((last, totals)) if *last == stem => {
                        for (total, count) in totals.iter_mut().zip(counts) {
                            *total = total.saturating_add(count);
                        }
                    }
                    _ => merged.push((stem, counts)),
                }
            }
            merged
        })
        .collect();
    if stop() {
        return None;
    }
    let mut df = vec![0u32; unique.len()];
    for page in &per_page {
        for (stem, _) in page {
            df[*stem as usize] += 1;
        }
    }
    let n = analysed.len().max(1) as f32;
    let mut average = [0f32; 4];
    for a in analysed.iter() {
        for (total, length) in average.iter_mut().zip(a.lengths) {
            *total += length as f32 / n;
        }
    }
    let average = average.map(rounded);
    let field_weights = [weights.title, weights.headings, weights.summary, weights.body];
    // A floor, so that a word on nearly every page still counts for more in a title.
    let idf = |d: f32| (1.0 + (n - d + 0.5) / (d + 0.5)).ln().max(MIN_IDF);
    // No score reaches this: the rarest word's idf, every field saturated.
    let bound = (idf(1.0) * (K1 + 1.0) * field_weights.iter().sum::<f32>()).max(f32::MIN_POSITIVE);
    let page_scores: Vec<Vec<(u32, f32)>> = per_page
        .into_par_iter()
        .zip(analysed.par_iter())
        .map(|(stems_here, a)| {
            stems_here
                .into_iter()
                .map(|(stem, counts)| {
                    // Each field saturates on its own and the fields add up, so that a word in
                    // the title outranks many mentions in the text (BM25F would saturate them
                    // together).
                    let mut fields = 0.0;
                    for f in 0..4 {
                        if counts[f] == 0 || average[f] == 0.0 {
                            continue;
                        }
                        let norm = 1.0 - B[f] + B[f] * a.lengths[f] as f32 / average[f];
                        let tf = counts[f] as f32 / norm;
                        fields += field_weights[f] * tf * (K1 + 1.0) / (tf + K1);
                    }
                    (stem, idf(df[stem as usize] as f32) * fields)
                })
                .collect()
        })
        .collect();
    if stop() {
        return None;
    }
    let scored = by_stem(&page_scores, &df);
    drop(page_scores);
    let postings = scored
        .into_par_iter()
        .map(|mut list| {
            if list.len() > MAX_PAGES_PER_TERM {
                list.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                list.truncate(MAX_PAGES_PER_TERM);
                list.sort_by_key(|p| p.0);
            }
            list.into_iter()
                // The square root keeps weak matches apart: most scores are a small part of the bound.
                .map(|(page, s)| (page, ((s / bound).sqrt() * 255.0).round().clamp(1.0, 255.0) as u8))
                .collect()
        })
        .collect();
    Some((
        Dictionary {
            words: dictionary,
            words_per_stem,
        },
        postings,
    ))
}

/// Each stem's (page, score) list, in page order, from each page's scores in stem order. In
/// parallel over ranges of stems: each range's task reads every page's stretch of it and fills
/// only its own lists, each sized first by the stem's document frequency `df`.
fn by_stem(page_scores: &[Vec<(u32, f32)>], df: &[u32]) -> Vec<Vec<(u32, f32)>> {
    let mut scored: Vec<Vec<(u32, f32)>> = df.iter().map(|&d| Vec::with_capacity(d as usize)).collect();
    // Several ranges per thread, so that one with more common stems does not hold up the rest.
    let range = df.len().div_ceil(rayon::current_num_threads() * 8).max(1);
    scored.par_chunks_mut(range).enumerate().for_each(|(chunk, lists)| {
        let first = (chunk * range) as u32;
        let end = first + lists.len() as u32;
        for (page, scores) in page_scores.iter().enumerate() {
            let start = scores.partition_point(|&(stem, _)| stem < first);
            for &(stem, score) in scores[start..].iter().take_while(|&&(stem, _)| stem < end) {
                lists[(stem - first) as usize].push((page as u32, score));
            }
        }
    });
    scored
}

/// An average length rounded to a step of 2^(1/64) (about 1 %): one page's edit moves the
/// site's averages far less than that, so it rarely changes other pages' scores.
fn rounded(average: f32) -> f32 {
    if average <= 0.0 {
        return 0.0;
    }
    ((average.log2() * 64.0).round() / 64.0).exp2()
}

/// The bytes `push_varint` writes for `value`: one per 7 bits, at least one.
fn varint_len(value: u64) -> usize {
    let bits = 64 - value.leading_zeros() as usize;
    bits.div_ceil(7).max(1)
}

fn list_bytes(list: &[Posting]) -> usize {
    let mut previous = 0;
    let gaps: usize = list
        .iter()
        .map(|&(page, _)| {
            let gap = varint_len(u64::from(page - previous));
            previous = page;
            gap
        })
        .sum();
    varint_len(list.len() as u64) + gaps + list.len()
}

/// The shards, in order, and their first words.
fn write_shards(
    dictionary: &Dictionary,
    postings: &[Vec<Posting>],
    analysed: &[Analysed],
) -> (Vec<String>, Vec<Vec<u8>>) {
    let sizes: Vec<usize> = postings.par_iter().map(|l| list_bytes(l)).collect();
    let keys: Vec<(&str, usize)> = dictionary
        .words
        .iter()
        .map(|(word, &stem)| {
            (
                word.as_str(),
                word.len() + 3 + sizes[stem] / dictionary.words_per_stem[stem],
            )
        })
        .collect();
    let ranges = pack(&keys, SHARD_TARGET_BYTES, SHARD_MAX_BYTES);
    let boundaries: Vec<String> = ranges.iter().map(|(key, _)| key.clone()).collect();
    let mut titles: Vec<Vec<(String, u32)>> = vec![Vec::new(); ranges.len()];
    for (page, a) in analysed.iter().enumerate() {
        if !a.title_key.is_empty() {
            titles[range_of(&boundaries, &a.title_word)].push((a.title_key.clone(), page as u32));
        }
    }
    let encoded: Vec<Vec<u8>> = ranges
        .par_iter()
        .zip(titles.par_iter_mut())
        .map(|((_, range), titles)| {
            let mut local: HashMap<usize, usize> = HashMap::new();
            let mut lists = Vec::new();
            let words: Vec<(String, usize)> = keys[range.clone()]
                .iter()
                .map(|(word, _)| {
                    let stem = dictionary.words[*word];
                    let list = *local.entry(stem).or_insert_with(|| {
                        lists.push(postings[stem].clone());
                        lists.len() - 1
                    });
                    (word.to_string(), list)
                })
                .collect();
            titles.sort();
            encode_shard(&lists, &words, titles)
        })
        .collect();
    (boundaries, encoded)
}

/// The near-word files, for typos in a word's first two letters: each word of four letters or
/// more filed under its two "one of the first two letters deleted" forms. Returns the files'
/// first keys and the files.
fn write_near_words(dictionary: &Dictionary) -> (Vec<String>, Vec<Vec<u8>>) {
    let mut entries: Vec<(String, &str)> = Vec::new();
    for word in dictionary.words.keys() {
        let chars: Vec<char> = word.chars().collect();
        if chars.len() < 4 {
            continue;
        }
        let own = prefix(word, 2);
        for skip in 0..2 {
            let variant: String = chars
                .iter()
                .enumerate()
                .filter(|&(i, _)| i != skip)
                .map(|(_, c)| c)
                .collect();
            if prefix(&variant, 2) != own {
                entries.push((variant, word.as_str()));
            }
        }
    }
    entries.sort();
    entries.dedup();
    let keys: Vec<(&str, usize)> = entries.iter().map(|(v, w)| (v.as_str(), w.len() + 2)).collect();
    let ranges = pack(&keys, SHARD_TARGET_BYTES, SHARD_MAX_BYTES);
    let files = ranges
        .iter()
        .map(|(_, range)| {
            let mut words: Vec<&str> = entries[range.clone()].iter().map(|(_, w)| *w).collect();
            words.sort_unstable();
            words.dedup();
            encode_words(&words)
        })
        .collect();
    (ranges.into_iter().map(|(key, _)| key).collect(), files)
}

/// Pages per file for `count` items of `average` bytes: about `target` bytes a file, and no
/// more than `max_files` files.
fn group_size(count: usize, average: usize, target: usize, max_files: usize) -> usize {
    let by_size = (target / average.max(1)).max(1);
    let by_count = count.div_ceil(max_files.max(1));
    by_size.max(by_count).max(1)
}

/// The metadata rows' average size in bytes.
fn average_row(documents: &[Document<'_>]) -> usize {
    documents
        .iter()
        .map(|d| d.title.len() + d.url.len() + d.summary.len() + 12)
        .sum::<usize>()
        / documents.len().max(1)
}

/// The excerpt texts' average size in bytes.
fn average_text(analysed: &[Analysed]) -> usize {
    analysed.iter().map(|a| a.text.len() + 3).sum::<usize>() / analysed.len().max(1)
}

/// One metadata file: each page's [title, URL, summary].
fn write_metadata(documents: &[Document<'_>]) -> Vec<u8> {
    let rows: Vec<(&str, &str, &str)> = documents.iter().map(|d| (d.title, d.url.as_str(), d.summary)).collect();
    serde_json::to_vec(&rows).unwrap_or_default()
}

/// One text file: each page's text for excerpts, as a JSON array of strings. Written by
/// hand, byte for byte as serde_json writes it: the texts are most of the index's bytes, and
/// serde_json looks at them a byte at a time.
fn write_texts(analysed: &[Analysed]) -> Vec<u8> {
    let mut out = Vec::with_capacity(analysed.iter().map(|a| a.text.len() + 3).sum::<usize>() + 2);
    out.push(b'[');
    for (i, a) in analysed.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_json_string(&mut out, &a.text);
    }
    out.push(b']');
    out
}

/// `text` as a JSON string, escaped as serde_json escapes it: quote, backslash and control
/// characters only, short forms where JSON has them, `\u00xx` in lowercase hex otherwise.
fn push_json_string(out: &mut Vec<u8>, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let mut rest = text.as_bytes();
    while let Some(at) = next_to_escape(rest) {
        out.extend_from_slice(&rest[..at]);
        match rest[at] {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\r' => out.extend_from_slice(b"\\r"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            byte => out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(byte >> 4)],
                HEX[usize::from(byte & 0xf)],
            ]),
        }
        rest = &rest[at + 1..];
    }
    out.extend_from_slice(rest);
    out.push(b'"');
}

fn needs_json_escape(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

/// Where the first byte JSON escapes is, eight bytes at a time: a word with no control
/// character, quote or backslash (most of any text) is passed over in a few operations.
fn next_to_escape(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Whether any byte of `x` is below `n` (n <= 128), and whether any byte is zero.
    let has_below = |x: u64, n: u8| x.wrapping_sub(ONES * u64::from(n)) & !x & HIGH != 0;
    let has_zero = |x: u64| has_below(x, 1);
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in chunks.by_ref() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        let special =
            has_below(x, 0x20) || has_zero(x ^ (ONES * u64::from(b'"'))) || has_zero(x ^ (ONES * u64::from(b'\\')));
        if special && let Some(i) = chunk.iter().position(|&b| needs_json_escape(b)) {
            return Some(at + i);
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| needs_json_escape(b))
        .map(|i| at + i)
}

/// The facet columns: for each configured facet, for each value in vocabulary order, the pages
/// having it: a count, then page-id gaps.
fn facet_columns(config: &Config, documents: &[Document<'_>]) -> Vec<u8> {
    let mut out = Vec::new();
    for (f, &facet) in config.search.facets.iter().enumerate() {
        for v in 0..config.vocabularies.get(facet).values.len() {
            let pages: Vec<u32> = documents
                .iter()
                .enumerate()
                .filter(|(_, d)| d.facets[f].contains(&v))
                .map(|(i, _)| i as u32)
                .collect();
            push_varint(&mut out, pages.len() as u64);
            let mut previous = 0;
            for page in pages {
                push_varint(&mut out, u64::from(page - previous));
                previous = page;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_by_stem_are_the_page_lists_turned_round() {
        // Pages' scores in stem order, some pages empty, stems 0..700 (more than one range).
        let page_scores: Vec<Vec<(u32, f32)>> = (0..50u32)
            .map(|page| {
                (0..700u32)
                    .filter(|stem| (stem * 7 + page * 13) % (page % 5 + 2) == 0)
                    .map(|stem| (stem, (page * 1000 + stem) as f32))
                    .collect()
            })
            .collect();
        let mut df = vec![0u32; 700];
        let mut expected: Vec<Vec<(u32, f32)>> = vec![Vec::new(); 700];
        for (page, scores) in page_scores.iter().enumerate() {
            for &(stem, score) in scores {
                df[stem as usize] += 1;
                expected[stem as usize].push((page as u32, score));
            }
        }
        assert_eq!(by_stem(&page_scores, &df), expected);
        assert!(by_stem(&[], &[]).is_empty());
    }

    #[test]
    fn texts_are_written_as_serde_json_writes_them() {
        let mut tricky: String = (0u8..0x20).map(char::from).collect();
        tricky.push_str("\"quoted\" back\\slash / \u{7f} caf\u{e9} \u{2028} 日本 𝐀");
        let texts = ["", "plain words", tricky.as_str(), "\\\"", "end\u{1}"];
        let analysed: Vec<Analysed> = texts
            .iter()
            .map(|t| Analysed {
                counts: Vec::new(),
                lengths: [0; 4],
                text: t.to_string(),
                title_key: String::new(),
                title_word: String::new(),
            })
            .collect();
        let expected = serde_json::to_vec(&texts).expect("serialise");
        assert_eq!(
            String::from_utf8_lossy(&write_texts(&analysed)),
            String::from_utf8_lossy(&expected)
        );
        assert_eq!(write_texts(&[]), b"[]");
    }

    #[test]
    fn the_first_byte_to_escape_is_found_wherever_it_is() {
        for length in 0..40 {
            for special in [b'"', b'\\', 0, 0x1f, b'\n'] {
                for place in 0..length {
                    let mut bytes = vec![b'a'; length];
                    // Bytes that look close to special ones but are not.
                    if length > 3 {
                        bytes[length / 2] = 0x20;
                        bytes[length / 3] = 0xe9;
                    }
                    let expected = bytes.iter().position(|&b| needs_json_escape(b));
                    assert_eq!(next_to_escape(&bytes), expected, "{bytes:?}");
                    bytes[place] = special;
                    let expected = bytes.iter().position(|&b| needs_json_escape(b));
                    assert_eq!(next_to_escape(&bytes), expected, "{bytes:?}");
                }
            }
        }
    }

    #[test]
    fn varint_lengths_are_what_push_varint_writes() {
        let edges = (0..64).flat_map(|bit| [(1u64 << bit) - 1, 1u64 << bit, (1u64 << bit) + 1]);
        for value in edges.chain([0, u64::MAX]) {
            let mut out = Vec::new();
            push_varint(&mut out, value);
            assert_eq!(varint_len(value), out.len(), "{value}");
        }
    }

    #[test]
    fn words_pack_into_distinct_numbers_up_to_sixteen_bytes() {
        assert_eq!(packed("a"), Some(u128::from(b'a')));
        assert_ne!(packed("ab"), packed("ab\u{1}"));
        assert_eq!(
            packed("sixteen-letters!"),
            Some(u128::from_le_bytes(*b"sixteen-letters!"))
        );
        assert_eq!(packed("seventeen-letters"), None);
        assert_eq!(packed("a\0b"), None);
    }

    #[test]
    fn characters_are_counted_from_their_first_bytes() {
        for text in ["", "abc", "café", "日本語の文", "a\u{301}b", "𝐀𝐁c"] {
            for n in 0..8 {
                let expected = text.char_indices().nth(n).map_or(text.len(), |(at, _)| at);
                assert_eq!(char_start(text, n), expected, "{text:?} at {n}");
            }
        }
    }

    #[test]
    fn excerpt_text_is_cut_at_a_word_boundary_by_characters() {
        let cases = [
            ("", 5, ""),
            ("short", 5, "short"),
            ("short", 9, "short"),
            ("two words", 5, "two"),
            ("two words", 4, "two"),
            ("two words", 3, "two"),
            ("twowords", 3, "two"),
            ("café au lait", 6, "café"),
            ("café au lait", 12, "café au lait"),
            ("日本語 の 文", 5, "日本語"),
            ("日本語 の 文", 7, "日本語 の 文"),
            ("日本語の文", 2, "日本"),
        ];
        for (text, n, expected) in cases {
            assert_eq!(truncate_chars(text.to_string(), n), expected, "{text:?} to {n}");
        }
    }
}
