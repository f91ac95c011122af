//! The search index for `serve`, kept up to date after edits: only the edited pages are
//! analysed again, and only the files holding them come out new (files are named by their
//! bytes). What [`update`] and [`build_kept`] make equals what `build` makes of the same pages.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;

use super::{
    Analysed, Document, Groups, Inputs, Interner, Kept, Scratch, SearchIndex, Words, analyse, analyse_all, documents,
    write_index,
};
use crate::config::{Config, SearchWeights};
use crate::content::Content;
use crate::links::Linked;

/// What an index was made from, kept by `serve` so that after an edit only the edited pages
/// are analysed again ([`update`]).
#[derive(Default)]
pub struct Analysis {
    /// The documents' URLs, in id order, and a hash of what each was analysed from.
    urls: Vec<String>,
    inputs: Vec<u64>,
    analysed: Vec<Analysed>,
    words: Words,
    /// Each word's stem, by word id.
    stems: Vec<Box<str>>,
    groups: Groups,
    /// How many documents the last build or update analysed (the others were reused).
    analysed_last: usize,
}

impl Analysis {
    /// How many pages and sections the build or update that made this analysed; the others'
    /// analysis was reused.
    pub fn analysed_last(&self) -> usize {
        self.analysed_last
    }
}

/// The index after an update: the files that may have changed (the manifest always), by
/// path, and the paths of all its files.
pub struct Updated {
    pub files: BTreeMap<String, Vec<u8>>,
    pub paths: Vec<String>,
}

/// The index, as `build` makes it, and what [`update`] needs. Pages whose text did not change
/// since `previous` (the last build's analysis) keep their analysis: in a full build after
/// an edit, only the edited pages are analysed again.
pub fn build_kept(
    config: &Config,
    content: &Content,
    linked: &Linked,
    previous: Option<Analysis>,
) -> (SearchIndex, Option<Analysis>) {
    if !config.search.enabled {
        return (SearchIndex::default(), None);
    }
    let weights = &config.search.weights;
    let documents = documents(config, content, linked);
    let inputs: Vec<u64> = documents.par_iter().map(|d| input_hash(d, weights)).collect();
    let mut previous = previous.unwrap_or_default();
    let at: HashMap<&str, usize> = previous.urls.iter().enumerate().map(|(i, u)| (u.as_str(), i)).collect();
    let mut old: Vec<Option<Analysed>> = std::mem::take(&mut previous.analysed).into_iter().map(Some).collect();
    let mut changed = BTreeSet::new();
    let reused: Vec<Option<Analysed>> = documents
        .iter()
        .zip(&inputs)
        .enumerate()
        .map(|(position, (document, input))| {
            let found = at
                .get(document.url.as_str())
                .filter(|&&i| previous.inputs[i] == *input)
                .and_then(|&i| old[i].take());
            if found.is_none() {
                changed.insert(position);
            }
            found
        })
        .collect();
    drop(old);
    let interner = Interner(Mutex::new(std::mem::take(&mut previous.words)));
    let mut analysed = analyse_all(&documents, weights, &interner, reused);
    let words = interner.0.into_inner().unwrap_or_else(PoisonError::into_inner);
    let stems = stem_all(&words.list, std::mem::take(&mut previous.stems));
    // Every file is made: the index is served whole in place of the last one, so a group
    // whose pages did not change still needs its file (`update` keeps those instead).
    let mut groups = Groups::default();
    let index_inputs = Inputs {
        config,
        documents: &documents,
        words: &words.list,
        stems: &stems,
    };
    let kept = Kept {
        groups: &mut groups,
        changed: None,
    };
    let files = Mutex::new(Vec::new());
    let collect =
        |path: String, bytes: Vec<u8>| files.lock().unwrap_or_else(PoisonError::into_inner).push((path, bytes));
    let Some(written) = write_index(&index_inputs, &mut analysed, Some(kept), &|| false, &collect) else {
        return (SearchIndex::default(), None);
    };
    let mut files = files.into_inner().unwrap_or_else(PoisonError::into_inner);
    files.sort();
    let index = SearchIndex {
        manifest: Some(written.manifest),
        files,
        written: Vec::new(),
        warnings: written.warnings,
    };
    let analysis = Analysis {
        urls: documents.iter().map(|d| d.url.clone()).collect(),
        inputs,
        analysed,
        words,
        stems,
        groups,
        analysed_last: changed.len(),
    };
    (index, Some(analysis))
}

/// A hash of everything a document's analysis is made from.
fn input_hash(document: &Document<'_>, weights: &SearchWeights) -> u64 {
    let mut hasher = DefaultHasher::new();
    for weight in [weights.title, weights.headings, weights.summary, weights.body] {
        weight.to_bits().hash(&mut hasher);
    }
    (
        document.title,
        &document.url,
        document.summary,
        &document.headings,
        document.html,
    )
        .hash(&mut hasher);
    (&document.lists, &document.labels).hash(&mut hasher);
    hasher.finish()
}

/// Why [`update`] made no index.
#[derive(Debug, PartialEq)]
pub enum NotUpdated {
    /// `stop` said so; the pages are to be updated again later.
    Stopped,
    /// The site's pages are no longer the analysed ones: a full build makes the index.
    OtherPages,
}

/// The index after edits to `pages` (by index in `content.pages`) that kept every page's URL:
/// those pages are analysed again, the rest reused. Equal to `build` of the same input.
pub fn update(
    analysis: &mut Analysis,
    config: &Config,
    content: &Content,
    linked: &Linked,
    pages: &BTreeSet<usize>,
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<Updated, NotUpdated> {
    let documents = documents(config, content, linked);
    if !documents.iter().map(|d| &d.url).eq(&analysis.urls) {
        return Err(NotUpdated::OtherPages);
    }
    let interner = Interner(Mutex::new(std::mem::take(&mut analysis.words)));
    let mut scratch = Scratch::default();
    let mut changed = BTreeSet::new();
    for (at, document) in documents.iter().enumerate() {
        if document.page.is_some_and(|p| pages.contains(&p)) {
            analysis.analysed[at] = analyse(document, document.html, &config.search.weights, &interner, &mut scratch);
            analysis.inputs[at] = input_hash(document, &config.search.weights);
            changed.insert(at);
        }
    }
    analysis.analysed_last = changed.len();
    analysis.words = interner.0.into_inner().unwrap_or_else(PoisonError::into_inner);
    analysis.stems = stem_all(&analysis.words.list, std::mem::take(&mut analysis.stems));
    let inputs = Inputs {
        config,
        documents: &documents,
        words: &analysis.words.list,
        stems: &analysis.stems,
    };
    let kept = Kept {
        groups: &mut analysis.groups,
        changed: Some(&changed),
    };
    let files = Mutex::new(BTreeMap::new());
    let collect = |path: String, bytes: Vec<u8>| {
        files.lock().unwrap_or_else(PoisonError::into_inner).insert(path, bytes);
    };
    let written =
        write_index(&inputs, &mut analysis.analysed, Some(kept), stop, &collect).ok_or(NotUpdated::Stopped)?;
    Ok(Updated {
        files: files.into_inner().unwrap_or_else(PoisonError::into_inner),
        paths: written.paths,
    })
}

/// The stems of `words`, reusing those already in `known` (the stems of the first words).
pub(super) fn stem_all(words: &[Box<str>], mut known: Vec<Box<str>>) -> Vec<Box<str>> {
    let new: Vec<Box<str>> = words[known.len().min(words.len())..]
        .par_iter()
        .map_init(super::tokenize::Stemmer::default, |stemmer, w| stemmer.stem(w).into())
        .collect();
    known.extend(new);
    known
}
