//! The search index for `serve`, kept up to date after edits: only the edited pages are
//! analysed again, and only the files holding them come out new (files are named by their
//! bytes). What [`update`] makes equals what `build` makes of the same pages.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;

use super::{Analysed, Document, Groups, Inputs, Interner, Kept, Scratch, Words, analyse, documents, write_index};
use crate::config::Config;
use crate::content::Content;
use crate::links::Linked;

/// What an index was made from, kept by `serve` so that after an edit only the edited pages
/// are analysed again ([`update`]).
pub struct Analysis {
    /// The documents' URLs, in id order.
    urls: Vec<String>,
    analysed: Vec<Analysed>,
    words: Words,
    /// Each word's stem, by word id.
    stems: Vec<Box<str>>,
    groups: Groups,
}

/// The index after an update: the files that may have changed (the manifest always), by
/// path, and the paths of all its files.
pub struct Updated {
    pub files: BTreeMap<String, Vec<u8>>,
    pub paths: Vec<String>,
}

impl Analysis {
    pub(super) fn new(
        documents: &[Document<'_>],
        analysed: Vec<Analysed>,
        words: Words,
        stems: Vec<Box<str>>,
        groups: Groups,
    ) -> Analysis {
        Analysis {
            urls: documents.iter().map(|d| d.url.clone()).collect(),
            analysed,
            words,
            stems,
            groups,
        }
    }
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
            analysis.analysed[at] = analyse(document, &config.search.weights, &interner, &mut scratch);
            changed.insert(at);
        }
    }
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
    let written = write_index(&inputs, &mut analysis.analysed, Some(kept), stop).ok_or(NotUpdated::Stopped)?;
    Ok(Updated {
        files: written.files,
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
