//! Every external http(s) URL the site links to, with each place it is written: links and
//! images in pages, sections and snippets, and the URLs site.toml holds (`[helpline] url`,
//! `[[sources]] url`, `[quick_exit] url`…). Read from the files again, so that `build`'s
//! markdown stage keeps no list it never needs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Parser, Tag};
use toml::de::{DeTable, DeValue};

use crate::config::{CONFIG_FILE, Config};
use crate::content::{Content, SourceFile};
use crate::diagnostics::Diagnostic;

/// One place a URL is written.
#[derive(Debug, Clone)]
pub struct Use {
    /// Index into [`Uses::files`].
    pub file: usize,
    /// Byte offset in that file's text.
    pub offset: usize,
}

/// The URLs (without their `#fragment`, which is never sent) and where each is written, in
/// the order of the files and of the text.
#[derive(Debug, Default)]
pub struct Uses {
    pub files: Vec<(PathBuf, String)>,
    pub urls: BTreeMap<String, Vec<Use>>,
}

impl Uses {
    /// A diagnostic at one use: the message's file, line and column.
    pub fn at(&self, found: &Use, diagnostic: Diagnostic) -> Diagnostic {
        let (_, text) = &self.files[found.file];
        diagnostic.at(text, found.offset)
    }

    pub fn path(&self, found: &Use) -> &Path {
        &self.files[found.file].0
    }

    fn add(&mut self, url: &str, file: usize, offset: usize) {
        let url = url.trim();
        let Some(url) = external_url(url) else { return };
        self.urls.entry(url).or_default().push(Use { file, offset });
    }
}

/// `url` without its fragment when it is an http(s) URL with a host.
fn external_url(url: &str) -> Option<String> {
    let lower = url.get(..8)?.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return None;
    }
    let parsed = url::Url::parse(url).ok()?;
    parsed.host_str()?;
    Some(url.split_once('#').map_or(url, |(before, _)| before).to_string())
}

/// Every external URL of the site's markdown and site.toml.
pub fn collect(config: &Config, content: &Content) -> Uses {
    let mut uses = Uses::default();
    let files = content
        .pages
        .iter()
        .map(|p| &p.file)
        .chain(content.sections.iter().map(|s| &s.file))
        .chain(content.snippets.values().map(|s| s.file.as_ref()));
    for file in files {
        markdown_urls(config, file, &mut uses);
    }
    settings_urls(config, &mut uses);
    uses
}

fn markdown_urls(config: &Config, file: &SourceFile, uses: &mut Uses) {
    // A one-off build frees each page's text once rendered: read it again.
    let text = match file.text.is_empty() {
        true => crate::content::read_text(&config.root.join(&file.display), &file.display).unwrap_or_default(),
        false => file.text.clone(),
    };
    let Some(body) = text.get(file.body_start..) else {
        return;
    };
    let options = crate::markdown::parser_options(&config.markdown);
    let found: Vec<(String, usize)> = Parser::new_ext(body, options)
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                Some((dest_url.to_string(), file.body_start + range.start))
            }
            _ => None,
        })
        .collect();
    if found.is_empty() {
        return;
    }
    let index = uses.files.len();
    uses.files.push((file.display.clone(), text));
    for (url, offset) in found {
        uses.add(&url, index, offset);
    }
}

/// Every string value in site.toml that is an http(s) URL, but `base_url` (the site itself,
/// which may not be published yet).
fn settings_urls(config: &Config, uses: &mut Uses) {
    let Ok(document) = DeTable::parse(&config.text) else {
        return;
    };
    let mut found = Vec::new();
    for (key, value) in document.get_ref() {
        if key.get_ref() != "base_url" {
            strings(value, &mut found);
        }
    }
    let index = uses.files.len();
    uses.files.push((PathBuf::from(CONFIG_FILE), config.text.clone()));
    for (url, offset) in found {
        uses.add(&url, index, offset);
    }
}

fn strings(value: &toml::Spanned<DeValue<'_>>, out: &mut Vec<(String, usize)>) {
    match value.get_ref() {
        DeValue::String(text) => out.push((text.to_string(), value.span().start)),
        DeValue::Array(items) => items.iter().for_each(|item| strings(item, out)),
        DeValue::Table(table) => table.iter().for_each(|(_, item)| strings(item, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::external_url;

    #[test]
    fn only_http_urls_with_a_host_without_their_fragment() {
        assert_eq!(
            external_url("https://a.example/x#y").as_deref(),
            Some("https://a.example/x")
        );
        assert_eq!(external_url("HTTP://a.example").as_deref(), Some("HTTP://a.example"));
        for no in ["mailto:a@b.org", "/x", "https://", "http:x", "ftp://a.example/"] {
            assert_eq!(external_url(no), None, "{no}");
        }
    }
}
