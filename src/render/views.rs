//! What templates see: serialisable views of pages, sections and the site.
//!
//! These are the template API (documented in docs/templates.md): rename a field here and
//! every theme breaks, so add rather than rename.

use std::collections::BTreeMap;

use std::sync::OnceLock;

use rustc_hash::FxHashMap;
use serde::Serialize;
use tera::Value;

use crate::config::{Config, Facet, Source};
use crate::content::{Content, Date, Page, Section, Target};
use crate::links::Linked;
use crate::links::facets::FacetPages;
use crate::markdown::{Heading, split_leading_urgent};
use crate::matrix::{Column, Filter, IndexLink, Matrix, RowCell};

use super::lists::{self, LetterGroup, Pagination};

#[derive(Debug, Clone, Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    /// The path every URL starts with ("/" or "/guidance/").
    pub base_path: &'a str,
    /// The home page's absolute URL where base_url is a full URL, else its path.
    pub base_url: String,
    pub language: &'a str,
    pub helpline: Option<HelplineView<'a>>,
    /// The emergency line, shown above the helpline.
    pub emergency: Option<EmergencyView<'a>>,
    pub feed_url: String,
    pub syntax_css_url: String,
    pub quick_exit: Option<QuickExitView<'a>>,
    /// The Content-Security-Policy for a `<meta>` tag: the site itself and the origins
    /// `[privacy] allow` lists, and nothing else.
    pub csp: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuickExitView<'a> {
    pub url: &'a str,
    pub label: &'a str,
    /// The browsing-safely page's URL, if the site has one.
    pub safety_url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HelplineView<'a> {
    pub name: &'a str,
    pub phone: Option<&'a str>,
    /// The phone number as a `tel:` link target (digits and '+').
    pub phone_link: Option<String>,
    pub hours: Option<&'a str>,
    pub url: Option<&'a str>,
    pub text: Option<&'a str>,
    pub urgent: Option<&'a str>,
    pub source: Option<SourceView<'a>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EmergencyView<'a> {
    pub text: &'a str,
    /// The number as written.
    pub phone: &'a str,
    /// The number as a `tel:` link target (digits and '+').
    pub tel: &'a str,
    /// The URL of the `[emergency] page`, if the site names one.
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceView<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub publisher: &'a str,
    pub publisher_type: &'static str,
    pub audience: &'a str,
    pub url: Option<&'a str>,
    pub description: &'a str,
    /// When its publisher last updated it, and when the text was retrieved, if known.
    pub published: Option<DateView>,
    pub retrieved: Option<DateView>,
    /// The page about this source, if the site has one.
    pub page_url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FacetValueView<'a> {
    pub facet: &'static str,
    /// The facet's name, e.g. "Setting".
    pub facet_name: &'a str,
    pub id: &'a str,
    pub label: &'a str,
    pub description: &'a str,
    /// The value's facet page.
    pub url: String,
}

/// A facet and its used values, for the facet's index page.
#[derive(Debug, Clone, Serialize)]
pub struct FacetView<'a> {
    pub key: &'static str,
    pub name: &'a str,
    pub description: &'a str,
    pub url: String,
    pub values: Vec<FacetValueCount<'a>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FacetValueCount<'a> {
    #[serde(flatten)]
    pub value: FacetValueView<'a>,
    pub count: usize,
}

/// The A–Z index: pages grouped by their title's first letter.
#[derive(Debug, Clone, Serialize)]
pub struct Letter {
    pub letter: String,
    /// An id for the letter's heading ("a", or "other" for titles not starting with a letter).
    pub id: String,
    /// Where the letter's entries are: its heading ("#letter-a") on a one-page A to Z, else
    /// its own page.
    pub url: String,
    /// How many entries the letter has.
    pub count: usize,
    /// [`PageLink`]s: all of the letter's on a one-page A to Z, none on the index of a split
    /// one, a page's worth on a letter's page.
    pub pages: Vec<Value>,
}

/// A snippet a page includes, shown by its review dates when it was reviewed before the page.
#[derive(Debug, Clone, Serialize)]
pub struct SnippetReview<'a> {
    pub id: &'a str,
    /// Its `title`, or its id.
    pub title: &'a str,
    pub last_reviewed: DateView,
}

#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    /// "2026-11-01"
    pub iso: String,
    /// "1 November 2026"
    pub long: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Reference {
    pub number: usize,
    /// A shared [`SourceView`].
    pub source: Value,
}

#[derive(Debug, Clone, Serialize)]
pub struct DifferenceView<'a> {
    pub topic: &'a str,
    pub views: Vec<ViewView<'a>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ViewView<'a> {
    /// A shared [`SourceView`].
    pub source: Value,
    pub view: &'a str,
}

/// A page as it appears in lists, related links and navigation.
#[derive(Debug, Clone, Serialize)]
pub struct PageLink<'a> {
    pub title: &'a str,
    pub url: String,
    pub summary: &'a str,
    /// Shared [`FacetValueView`]s: a card is made for every page, and shown on many.
    pub treatment_type: Option<Value>,
    pub settings: Vec<Value>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionLink<'a> {
    pub title: &'a str,
    pub url: String,
    pub description: &'a str,
    pub page_count: usize,
}

/// Fields typed [`Value`] hold views made once per build and shared by every page that shows
/// them (a [`PageLink`], [`SectionLink`] or [`FacetValueView`]): building them per page was
/// most of the render stage.
#[derive(Debug, Clone, Serialize)]
pub struct PageView<'a> {
    /// schema.org MedicalWebPage data for guidance pages, as JSON safe to put inside a
    /// `<script type="application/ld+json">` element.
    pub json_ld: Option<String>,
    pub key: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub url: String,
    pub permalink: String,
    /// The page's HTML.
    pub content: &'a str,
    /// The URGENT callout `content` begins with, or "" ([`split_leading_urgent`]): shown
    /// right after the heading, followed by `content_after_urgent` where `content` would be.
    pub urgent: &'a str,
    pub content_after_urgent: &'a str,
    pub toc: &'a [Heading],
    pub guidance: bool,
    /// [`FacetValueView`]s.
    pub treatment_type: Option<Value>,
    pub settings: Vec<Value>,
    pub substances: Vec<Value>,
    pub access: Vec<Value>,
    pub pros: &'a [String],
    pub cons: &'a [String],
    pub suits: &'a [String],
    pub not_suited: &'a [String],
    pub duration: Option<&'a str>,
    /// The sources named in front matter ([`SourceView`]s).
    pub sources: Vec<Value>,
    /// The sources cited in the text, numbered as the citations are.
    pub references: Vec<Reference>,
    /// [`PageLink`]s.
    pub related: Vec<Value>,
    /// Pages and sections whose text links here ([`PageLink`]s).
    pub backlinks: Vec<Value>,
    pub last_reviewed: Option<DateView>,
    pub next_review: Option<DateView>,
    /// Snippets it includes that were last reviewed before it was.
    pub older_snippets: Vec<SnippetReview<'a>>,
    pub differences: Vec<DifferenceView<'a>>,
    /// A [`SourceView`].
    pub about_source: Option<Value>,
    /// For a page about a source: the pages that cite or name it ([`PageLink`]s).
    pub cited_by: Vec<Value>,
    /// A [`SectionLink`].
    pub section: Value,
    /// From the home page down to this page's section ([`SectionLink`]s).
    pub ancestors: Vec<Value>,
    /// [`PageLink`]s.
    pub previous: Option<Value>,
    pub next: Option<Value>,
    pub extra: &'a toml::Table,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionView<'a> {
    pub key: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub url: String,
    pub permalink: String,
    /// The section's HTML, and the same split as a page's (`PageView::urgent`).
    pub content: &'a str,
    pub urgent: &'a str,
    pub content_after_urgent: &'a str,
    pub toc: &'a [Heading],
    pub guidance: bool,
    /// [`PageLink`]s.
    pub pages: Vec<Value>,
    /// [`SectionLink`]s.
    pub subsections: Vec<Value>,
    pub ancestors: Vec<Value>,
    /// [`SourceView`]s.
    pub sources: Vec<Value>,
    pub references: Vec<Reference>,
    pub last_reviewed: Option<DateView>,
    pub next_review: Option<DateView>,
    /// Snippets it includes that were last reviewed before it was.
    pub older_snippets: Vec<SnippetReview<'a>>,
    pub extra: &'a toml::Table,
}

impl<'a> PageView<'a> {
    /// Shows `html` as the page's content, in place of its own.
    pub fn set_content(&mut self, html: &'a str) {
        self.content = html;
        (self.urgent, self.content_after_urgent) = split_leading_urgent(html);
    }
}

/// Builds views; holds what every view needs.
pub struct Views<'a> {
    config: &'a Config,
    content: &'a Content,
    linked: &'a Linked,
    /// The URL of each source's own page, by source id.
    source_pages: BTreeMap<&'a str, String>,
    /// Every vocabulary value's [`FacetValueView`].
    facet_values: FxHashMap<(Facet, &'a str), Value>,
    /// Every source's [`SourceView`], by id: pages name and cite the same few sources.
    source_values: FxHashMap<&'a str, Value>,
    /// Each page's [`PageLink`], by page index, made when first asked for (re-rendering one
    /// page in `serve` needs only a few).
    page_links: Vec<OnceLock<Value>>,
    /// Each section's [`PageLink`] and [`SectionLink`], by section index.
    section_page_links: Vec<Value>,
    section_links: Vec<Value>,
    /// The A to Z's letters, and whether it is split, made when first asked for.
    letters: OnceLock<(Vec<LetterGroup>, bool)>,
}

impl<'a> Views<'a> {
    pub fn config(&self) -> &'a Config {
        self.config
    }

    pub fn new(config: &'a Config, content: &'a Content, linked: &'a Linked) -> Views<'a> {
        let source_pages = content
            .pages
            .iter()
            .filter_map(|p| {
                let id = p.meta.about_source.as_deref()?;
                Some((id, config.base_url.link(&p.path)))
            })
            .collect();
        let mut views = Views {
            config,
            content,
            linked,
            source_pages,
            facet_values: FxHashMap::default(),
            source_values: FxHashMap::default(),
            page_links: Vec::new(),
            section_page_links: Vec::new(),
            section_links: Vec::new(),
            letters: OnceLock::new(),
        };
        views.facet_values = Facet::ALL
            .into_iter()
            .flat_map(|facet| {
                let vocabulary = config.vocabularies.get(facet);
                vocabulary.values.iter().map(move |v| (facet, v))
            })
            .map(|(facet, v)| ((facet, v.id.as_str()), to_value(&views.facet_value_view(facet, v))))
            .collect();
        views.source_values = config
            .sources
            .iter()
            .map(|s| (s.id.as_str(), to_value(&views.source_view(s))))
            .collect();
        views.page_links = (0..content.pages.len()).map(|_| OnceLock::new()).collect();
        views.section_page_links = (0..content.sections.len())
            .map(|i| to_value(&views.build_section_page_link(i)))
            .collect();
        views.section_links = (0..content.sections.len())
            .map(|i| to_value(&views.build_section_link(i)))
            .collect();
        views
    }

    /// Every page's [`PageLink`] made so far, taken out (to be freed elsewhere).
    pub fn take_page_links(&mut self) -> Vec<OnceLock<Value>> {
        std::mem::take(&mut self.page_links)
    }

    pub fn site(&self) -> SiteView<'a> {
        let config = self.config;
        SiteView {
            title: &config.title,
            description: &config.description,
            base_path: &config.base_url.path,
            base_url: config.base_url.permalink(""),
            language: &config.language,
            helpline: config.helpline.as_ref().map(|h| HelplineView {
                name: &h.name,
                phone: h.phone.as_deref(),
                phone_link: h.phone.as_deref().map(crate::config::tel_target),
                hours: h.hours.as_deref(),
                url: h.url.as_deref(),
                text: h.text.as_deref(),
                urgent: h.urgent.as_deref(),
                source: h.source.as_deref().and_then(|id| self.source(id)),
            }),
            emergency: config.emergency.as_ref().map(|e| EmergencyView {
                text: &e.text,
                phone: &e.phone,
                tel: &e.tel,
                url: e.page.as_ref().and_then(|link| self.setting_url(link)),
            }),
            quick_exit: config.quick_exit.enabled.then(|| QuickExitView {
                url: &config.quick_exit.url,
                label: &config.quick_exit.label,
                safety_url: config.quick_exit.safety_link().and_then(|link| self.setting_url(&link)),
            }),
            feed_url: config.base_url.link("atom.xml"),
            syntax_css_url: config.base_url.link("syntax.css"),
            csp: config.privacy.content_security_policy(),
        }
    }

    /// The URL of the page or section a site.toml setting links to.
    fn setting_url(&self, link: &crate::config::SettingLink) -> Option<String> {
        let path = match crate::links::setting_link_target(self.content, link)? {
            Target::Page(i) => &self.content.pages[i].path,
            Target::Section(i) => &self.content.sections[i].path,
        };
        Some(self.config.base_url.link(path))
    }

    pub fn source(&self, id: &str) -> Option<SourceView<'a>> {
        self.config.source(id).map(|s| self.source_view(s))
    }

    pub fn source_view(&self, source: &'a Source) -> SourceView<'a> {
        let page_url = self.source_pages.get(source.id.as_str()).cloned();
        SourceView {
            id: &source.id,
            title: &source.title,
            publisher: &source.publisher,
            publisher_type: source.publisher_type.label(),
            audience: &source.audience,
            url: source.url.as_deref(),
            description: &source.description,
            published: source.published.map(date_view),
            retrieved: source.retrieved.map(date_view),
            page_url,
        }
    }

    fn facet_value_view(&self, facet: Facet, value: &'a crate::config::VocabularyValue) -> FacetValueView<'a> {
        let vocabulary = self.config.vocabularies.get(facet);
        FacetValueView {
            facet: facet.key(),
            facet_name: &vocabulary.name,
            id: &value.id,
            label: &value.label,
            description: &value.description,
            url: self
                .config
                .base_url
                .link(&self.config.vocabularies.value_path(facet, &value.id)),
        }
    }

    fn facet_value(&self, facet: Facet, id: &str) -> Option<FacetValueView<'a>> {
        let vocabulary = self.config.vocabularies.get(facet);
        vocabulary.value(id).map(|v| self.facet_value_view(facet, v))
    }

    /// The shared [`FacetValueView`] of a value; `None` for an id not in the vocabulary.
    fn facet_value_shared(&self, facet: Facet, id: &str) -> Option<Value> {
        self.facet_values.get(&(facet, id)).cloned()
    }

    pub fn facet(&self, pages: &FacetPages) -> FacetView<'a> {
        let vocabulary = self.config.vocabularies.get(pages.facet);
        FacetView {
            key: pages.facet.key(),
            name: &vocabulary.name,
            description: &vocabulary.description,
            url: self.config.base_url.link(&self.config.vocabularies.path(pages.facet)),
            values: pages
                .values
                .iter()
                .filter_map(|(id, list)| {
                    let id = vocabulary.value(id)?.id.as_str();
                    Some(FacetValueCount {
                        value: self.facet_value(pages.facet, id)?,
                        count: list.len(),
                    })
                })
                .collect(),
        }
    }

    /// Every facet with its used values, in facet order.
    pub fn facets(&self) -> Vec<FacetView<'a>> {
        self.linked.facets.iter().map(|f| self.facet(f)).collect()
    }

    /// Page `number` (from 1) of a facet value's list: the value, its pages' links, and where
    /// the page is among the list's pages.
    pub fn facet_value_page(
        &self,
        pages: &FacetPages,
        index: usize,
        number: usize,
    ) -> Option<(FacetValueView<'a>, Vec<Value>, Pagination)> {
        let (id, list) = pages.values.get(index)?;
        let value = self.facet_value(pages.facet, id)?;
        let shown = lists::page_of(list, self.config.lists.page_size, number);
        let base = self.config.vocabularies.value_path(pages.facet, id);
        let pagination = Pagination::new(self.config, &base, list.len(), number);
        Some((value, shown.iter().map(|&p| self.page_link(p)).collect(), pagination))
    }

    /// The A to Z's letters as templates see them: on a one-page A to Z each with all its
    /// entries; split, each linking to its own page, with page `number` of letter `shown`'s
    /// entries given apart (none on the index).
    pub fn a_to_z(&self, shown: Option<(usize, usize)>) -> (Vec<Letter>, Option<Letter>, bool) {
        let (groups, split) = self.letters.get_or_init(|| {
            let groups = lists::a_to_z(self.content);
            let split = lists::a_to_z_is_split(self.config, self.content);
            (groups, split)
        });
        let split = *split;
        let entries = |targets: &[Target]| targets.iter().map(|&t| self.target_link(t)).collect();
        let letter = |group: &LetterGroup, pages: Vec<Value>| Letter {
            letter: group.letter.clone(),
            id: group.id.clone(),
            url: match split {
                true => self.config.base_url.link(&lists::letter_path(&group.id)),
                false => format!("#letter-{}", group.id),
            },
            count: group.entries.len(),
            pages,
        };
        let letters = groups
            .iter()
            .map(|group| letter(group, if split { Vec::new() } else { entries(&group.entries) }))
            .collect();
        let current = shown.and_then(|(l, number)| {
            let group = groups.get(l)?;
            let page = lists::page_of(&group.entries, self.config.lists.page_size, number);
            Some(letter(group, entries(page)))
        });
        (letters, current, split)
    }

    fn facet_values_shared(&self, facet: Facet, page: &Page) -> Vec<Value> {
        page.meta
            .facet_values(facet)
            .iter()
            .filter_map(|id| self.facet_value_shared(facet, id))
            .collect()
    }

    fn build_page_link(&self, index: usize) -> PageLink<'a> {
        let page = &self.content.pages[index];
        PageLink {
            title: &page.meta.title,
            url: self.config.base_url.link(&page.path),
            summary: &page.meta.summary,
            treatment_type: page
                .meta
                .treatment_type
                .as_deref()
                .and_then(|id| self.facet_value_shared(Facet::TreatmentType, id)),
            settings: self.facet_values_shared(Facet::Settings, page),
        }
    }

    fn build_section_page_link(&self, index: usize) -> PageLink<'a> {
        let s = &self.content.sections[index];
        PageLink {
            title: &s.meta.title,
            url: self.config.base_url.link(&s.path),
            summary: &s.meta.summary,
            treatment_type: None,
            settings: Vec::new(),
        }
    }

    fn build_section_link(&self, index: usize) -> SectionLink<'a> {
        let section = &self.content.sections[index];
        SectionLink {
            title: &section.meta.title,
            url: self.config.base_url.link(&section.path),
            description: &section.meta.summary,
            page_count: section.pages.len(),
        }
    }

    /// A page's [`PageLink`].
    pub fn page_link(&self, index: usize) -> Value {
        self.page_links[index]
            .get_or_init(|| to_value(&self.build_page_link(index)))
            .clone()
    }

    /// A section's [`SectionLink`].
    pub fn section_link(&self, index: usize) -> Value {
        self.section_links[index].clone()
    }

    fn target_link(&self, target: Target) -> Value {
        match target {
            Target::Page(i) => self.page_link(i),
            Target::Section(i) => self.section_page_links[i].clone(),
        }
    }

    fn ancestors(&self, mut section: Option<usize>) -> Vec<Value> {
        let mut out = Vec::new();
        while let Some(i) = section {
            out.push(self.section_link(i));
            section = self.content.sections[i].parent;
        }
        out.reverse();
        out
    }

    /// The shared [`SourceView`] of a source; `None` for an id site.toml does not list.
    fn source_shared(&self, id: &str) -> Option<Value> {
        self.source_values.get(id).cloned()
    }

    /// The snippets in `included` whose review is older than `own` (all that have a date,
    /// when the page has none), so a reviewer sees what the page is built from.
    fn older_snippets(&self, included: &'a [String], own: Option<Date>) -> Vec<SnippetReview<'a>> {
        included
            .iter()
            .filter_map(|id| self.content.snippets.get(id))
            .filter_map(|snippet| {
                let date = snippet.last_reviewed.filter(|date| own.is_none_or(|own| *date < own))?;
                Some(SnippetReview {
                    id: &snippet.id,
                    title: snippet.title.as_deref().unwrap_or(&snippet.id),
                    last_reviewed: date_view(date),
                })
            })
            .collect()
    }

    /// The sources named in front matter, then those the included snippets name.
    fn sources_with_snippets(&self, named: &'a [String], included: &'a [String]) -> Vec<Value> {
        let mut ids: Vec<&'a str> = named.iter().map(String::as_str).collect();
        let from_snippets = included
            .iter()
            .filter_map(|id| self.content.snippets.get(id))
            .flat_map(|snippet| snippet.sources.iter().map(String::as_str));
        for id in from_snippets {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        ids.into_iter().filter_map(|id| self.source_shared(id)).collect()
    }

    fn references(&self, cited: &'a [String]) -> Vec<Reference> {
        cited
            .iter()
            .enumerate()
            .filter_map(|(i, id)| self.source_shared(id).map(|source| Reference { number: i + 1, source }))
            .collect()
    }

    pub fn page(&self, index: usize) -> PageView<'a> {
        let page: &'a Page = &self.content.pages[index];
        let rendered = &self.linked.pages[index];
        let meta = &page.meta;
        let section = &self.content.sections[page.section];
        let position = section.pages.iter().position(|&p| p == index);
        let neighbour = |offset: isize| {
            position
                .and_then(|p| p.checked_add_signed(offset))
                .and_then(|p| section.pages.get(p))
                .map(|&p| self.page_link(p))
        };
        let cited_by = match &meta.about_source {
            Some(id) => (0..self.content.pages.len())
                .filter(|&i| i != index && self.page_uses_source(i, id))
                .map(|i| self.page_link(i))
                .collect(),
            None => Vec::new(),
        };
        let (urgent, content_after_urgent) = split_leading_urgent(&rendered.html);
        PageView {
            key: &page.key,
            title: &meta.title,
            summary: &meta.summary,
            url: self.config.base_url.link(&page.path),
            permalink: self.config.base_url.permalink(&page.path),
            content: &rendered.html,
            urgent,
            content_after_urgent,
            toc: &rendered.toc,
            guidance: section.meta.guidance,
            treatment_type: meta
                .treatment_type
                .as_deref()
                .and_then(|id| self.facet_value_shared(Facet::TreatmentType, id)),
            settings: self.facet_values_shared(Facet::Settings, page),
            substances: self.facet_values_shared(Facet::Substances, page),
            access: self.facet_values_shared(Facet::Access, page),
            pros: &meta.pros,
            cons: &meta.cons,
            suits: &meta.suits,
            not_suited: &meta.not_suited,
            duration: meta.duration.as_deref(),
            sources: self.sources_with_snippets(&meta.sources, &rendered.snippets),
            references: self.references(&rendered.citations),
            related: self.linked.related[index]
                .iter()
                .map(|&t| self.target_link(t))
                .collect(),
            backlinks: self.linked.backlinks[index]
                .iter()
                .map(|&t| self.target_link(t))
                .collect(),
            last_reviewed: meta.last_reviewed.map(date_view),
            next_review: meta.next_review.map(date_view),
            older_snippets: self.older_snippets(&rendered.snippets, meta.last_reviewed),
            differences: meta
                .differences
                .iter()
                .map(|d| DifferenceView {
                    topic: &d.topic,
                    views: d
                        .views
                        .iter()
                        .filter_map(|v| {
                            self.source_shared(&v.source)
                                .map(|source| ViewView { source, view: &v.view })
                        })
                        .collect(),
                })
                .collect(),
            about_source: meta.about_source.as_deref().and_then(|id| self.source_shared(id)),
            cited_by,
            section: self.section_link(page.section),
            ancestors: self.ancestors(Some(page.section)),
            previous: neighbour(-1),
            next: neighbour(1),
            json_ld: section.meta.guidance.then(|| self.json_ld(page)),
            extra: &meta.extra,
        }
    }

    /// Describes a guidance page for search engines: what it is about, who it is for, when
    /// it was last reviewed and what it cites.
    fn json_ld(&self, page: &Page) -> String {
        let meta = &page.meta;
        let data = MedicalWebPage {
            context: "https://schema.org",
            kind: "MedicalWebPage",
            about: Named {
                kind: "MedicalTherapy",
                name: &meta.title,
            },
            audience: Audience {
                kind: "PeopleAudience",
                audience_type: "People who use drugs, their families and carers",
            },
            citation: meta
                .sources
                .iter()
                .filter_map(|id| self.config.source(id))
                .map(|s| s.title.as_str())
                .collect(),
            description: &meta.summary,
            in_language: &self.config.language,
            is_part_of: Named {
                kind: "WebSite",
                name: &self.config.title,
            },
            last_reviewed: meta.last_reviewed.map(|date| date.iso()),
            name: &meta.title,
            url: self.config.base_url.permalink(&page.path),
        };
        // Serialising strings and lists cannot fail.
        script_safe(&serde_json::to_string(&data).unwrap_or_default())
    }

    fn page_uses_source(&self, index: usize, id: &str) -> bool {
        self.content.pages[index].meta.sources.iter().any(|s| s == id)
            || self.linked.pages[index].citations.iter().any(|s| s == id)
    }

    pub fn section(&self, index: usize) -> SectionView<'a> {
        let section: &'a Section = &self.content.sections[index];
        let rendered = &self.linked.sections[index];
        let (urgent, content_after_urgent) = split_leading_urgent(&rendered.html);
        SectionView {
            key: &section.key,
            title: &section.meta.title,
            description: &section.meta.summary,
            url: self.config.base_url.link(&section.path),
            permalink: self.config.base_url.permalink(&section.path),
            content: &rendered.html,
            urgent,
            content_after_urgent,
            toc: &rendered.toc,
            guidance: section.meta.guidance,
            pages: section.pages.iter().map(|&p| self.page_link(p)).collect(),
            subsections: section.subsections.iter().map(|&s| self.section_link(s)).collect(),
            ancestors: self.ancestors(section.parent),
            sources: self.sources_with_snippets(&section.meta.sources, &rendered.snippets),
            references: self.references(&rendered.citations),
            last_reviewed: section.meta.last_reviewed.map(date_view),
            next_review: section.meta.next_review.map(date_view),
            older_snippets: self.older_snippets(&rendered.snippets, section.meta.last_reviewed),
            extra: &section.meta.extra,
        }
    }

    /// The home page's subsections: the site's main navigation.
    pub fn navigation(&self) -> Vec<Value> {
        self.content
            .root_section()
            .map(|root| root.subsections.iter().map(|&s| self.section_link(s)).collect())
            .unwrap_or_default()
    }
}

/// A comparison table as templates see it: the same value as the [`Matrix`] serialised, but
/// with every cell that several rows share (the same facet values, the same duration) made
/// once. A table of 10,000 rows is otherwise about 100 MB of template values.
pub fn matrix_value(matrix: &Matrix) -> Value {
    #[derive(Serialize)]
    struct Outline<'m> {
        path: &'m str,
        title: &'m str,
        description: &'m str,
        columns: &'m [Column],
        filters: &'m [Filter],
        data_path: &'m str,
        row_count: usize,
        parts: Vec<PartView<'m>>,
        index: Option<&'m IndexLink>,
    }
    /// A part as the index and the other parts link to it.
    #[derive(Serialize)]
    struct PartView<'m> {
        path: &'m str,
        group: &'m str,
        number: usize,
        of: usize,
        rows: usize,
    }
    #[derive(Serialize)]
    struct RowHead<'m> {
        id: &'m str,
        title: &'m str,
        url: &'m str,
        summary: &'m str,
    }
    let outline = Outline {
        path: &matrix.path,
        title: &matrix.title,
        description: &matrix.description,
        columns: &matrix.columns,
        filters: &matrix.filters,
        data_path: &matrix.data_path,
        row_count: matrix.row_count,
        parts: matrix
            .parts
            .iter()
            .map(|p| PartView {
                path: &p.path,
                group: &p.group,
                number: p.number,
                of: p.of,
                rows: p.rows.len(),
            })
            .collect(),
        index: matrix.index.as_ref(),
    };
    let mut shared: FxHashMap<&RowCell, Value> = FxHashMap::default();
    let rows: Vec<Value> = matrix
        .rows
        .iter()
        .map(|row| {
            let cells: Vec<Value> = row
                .cells
                .iter()
                .map(|cell| shared.entry(cell).or_insert_with(|| to_value(cell)).clone())
                .collect();
            let mut value = to_value(&RowHead {
                id: &row.id,
                title: &row.title,
                url: &row.url,
                summary: &row.summary,
            })
            .into_map()
            .unwrap_or_default();
            value.insert("cells".into(), Value::from(cells));
            Value::from(value)
        })
        .collect();
    let mut value = to_value(&outline).into_map().unwrap_or_default();
    value.insert("rows".into(), Value::from(rows));
    Value::from(value)
}

/// A guidance page as schema.org describes one. Fields in the order of their names, as a
/// JSON object's keys were written before (serde_json's map sorts them).
#[derive(Serialize)]
struct MedicalWebPage<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    about: Named<'a>,
    audience: Audience,
    citation: Vec<&'a str>,
    description: &'a str,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    #[serde(rename = "isPartOf")]
    is_part_of: Named<'a>,
    #[serde(rename = "lastReviewed", skip_serializing_if = "Option::is_none")]
    last_reviewed: Option<String>,
    name: &'a str,
    url: String,
}

#[derive(Serialize)]
struct Named<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
struct Audience {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "audienceType")]
    audience_type: &'static str,
}

/// JSON that cannot end a `<script>` element early: "</script>" or "<!--" inside a string
/// would. `<`, `>` and `&` become escapes that mean the same to a JSON reader. One pass, not
/// one `replace` per character.
fn script_safe(json: &str) -> String {
    let mut safe = String::with_capacity(json.len() + 16);
    let mut done = 0;
    for at in memchr::memchr3_iter(b'<', b'>', b'&', json.as_bytes()) {
        safe.push_str(&json[done..at]);
        safe.push_str(match json.as_bytes()[at] {
            b'<' => "\\u003c",
            b'>' => "\\u003e",
            _ => "\\u0026",
        });
        done = at + 1;
    }
    safe.push_str(&json[done..]);
    safe
}

/// A view as a template value, made once and then shared (cloning a [`Value`] is cheap).
fn to_value<T: Serialize>(view: &T) -> Value {
    // Views are strings, numbers, lists and maps: serialising them cannot fail.
    Value::try_from_serializable(view).unwrap_or(Value::none())
}

fn date_view(date: Date) -> DateView {
    DateView {
        iso: date.iso(),
        long: date.long(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_in_a_script_element_cannot_close_it() {
        let json = r#"{"name":"</script><!-- a & b >","url":"ünïcode"}"#;
        let safe = script_safe(json);
        assert_eq!(
            safe,
            r#"{"name":"\u003c/script\u003e\u003c!-- a \u0026 b \u003e","url":"ünïcode"}"#
        );
        let parsed: serde_json::Value = serde_json::from_str(&safe).expect("still JSON");
        assert_eq!(parsed["name"], "</script><!-- a & b >");
        assert_eq!(script_safe("plain"), "plain");
    }
}
