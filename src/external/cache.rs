//! `.signpost-link-cache.json` in the site folder: each external URL's last answer and the
//! day it was given, so that a run within `[links] external_max_age` days asks only the URLs
//! it has no fresh answer for. Only the servers' own answers are kept: a timeout or a failed
//! lookup may be this machine's network, and is asked again next time.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::fetch::Outcome;
use crate::content::Date;

pub const CACHE_FILE: &str = ".signpost-link-cache.json";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    /// The day of the answer, YYYY-MM-DD.
    pub checked: String,
    #[serde(flatten)]
    pub outcome: Outcome,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct File {
    version: u32,
    urls: BTreeMap<String, Entry>,
}

const VERSION: u32 = 1;

/// The cache of one site.
pub struct Cache {
    path: PathBuf,
    urls: BTreeMap<String, Entry>,
}

impl Cache {
    /// The site's cache; an unreadable, damaged or older file is an empty cache (it is only
    /// ever a saving of time).
    pub fn load(root: &Path) -> Cache {
        let path = root.join(CACHE_FILE);
        let urls = std::fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<File>(&bytes).ok())
            .filter(|file| file.version == VERSION)
            .map(|file| file.urls)
            .unwrap_or_default();
        Cache { path, urls }
    }

    /// The answer for `url` if it was given less than `max_age` days before `today`.
    pub fn fresh(&self, url: &str, today: Date, max_age: u32) -> Option<&Entry> {
        let entry = self.urls.get(url)?;
        let checked = crate::review::parse(&entry.checked)?;
        let age = today.days() - checked.days();
        (0..i64::from(max_age)).contains(&age).then_some(entry)
    }

    /// Keeps the answers for `urls` (the ones the site links to now) and writes the file.
    pub fn save(mut self, answers: BTreeMap<String, Entry>, urls: impl Iterator<Item = String>) -> Result<(), String> {
        let used: std::collections::BTreeSet<String> = urls.collect();
        self.urls
            .retain(|url, entry| used.contains(url) && entry.outcome.is_answer());
        for (url, entry) in answers {
            if entry.outcome.is_answer() {
                self.urls.insert(url, entry);
            }
        }
        let file = File {
            version: VERSION,
            urls: self.urls,
        };
        let mut json = serde_json::to_string_pretty(&file).map_err(|e| e.to_string())?;
        json.push('\n');
        // Written beside and renamed, so that a run stopped part way leaves the old file.
        let partial = self.path.with_extension("json.partial");
        std::fs::write(&partial, json)
            .and_then(|()| std::fs::rename(&partial, &self.path))
            .map_err(|e| format!("cannot write {}: {e}", self.path.display()))
    }
}
