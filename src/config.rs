//! Configuration: `site.toml` read strictly, then resolved into an immutable [`Config`].
//!
//! The first stage; it uses only `diagnostics`. Field doc comments here are the user manual
//! for site.toml (docs/reference.md mirrors them).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::diagnostics::{Code, Diagnostic, Diagnostics, hint_for_serde_message};

mod base_url;
mod emergency;
pub mod limits;
mod options;
pub mod phone;
mod privacy;
mod rules;
pub mod synonyms;
pub use base_url::BaseUrl;
pub use emergency::Emergency;
use emergency::{RawEmergency, check_emergency};
pub use options::{ImageOptions, LinkOptions, ListOptions, RelatedOptions};
pub use privacy::Privacy;
use privacy::{RawPrivacy, check_privacy};
pub use rules::{Place, Rule};
pub use synonyms::Synonym;

pub const CONFIG_FILE: &str = "site.toml";

/// site.toml as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    /// The site's name.
    title: String,
    /// One sentence about the site.
    #[serde(default)]
    description: String,
    /// A full URL or a path where the site is published.
    base_url: Option<Spanned<String>>,
    /// The pages' language tag.
    #[serde(default = "default_language")]
    language: String,
    /// The folder under themes/ to use.
    #[serde(default = "default_theme")]
    theme: String,
    /// Where the site is written, relative to the site folder.
    #[serde(default = "default_output_dir")]
    output_dir: String,
    #[serde(default)]
    markdown: MarkdownOptions,
    helpline: Option<Spanned<Helpline>>,
    emergency: Option<RawEmergency>,
    #[serde(default)]
    vocabularies: Vocabularies,
    #[serde(default)]
    sources: Vec<Spanned<Source>>,
    #[serde(default)]
    quick_exit: QuickExit,
    #[serde(default)]
    related: RelatedOptions,
    #[serde(default)]
    lists: ListOptions,
    #[serde(default)]
    links: LinkOptions,
    #[serde(default)]
    glossary: GlossaryOptions,
    #[serde(default)]
    search: SearchOptions,
    /// Comparison tables; when left out, one at /compare/ with the default columns.
    matrix: Option<Vec<Spanned<MatrixConfig>>>,
    /// Snippets put on, or required of, every page that matches.
    #[serde(default)]
    rules: Vec<Spanned<rules::RawRule>>,
    /// The other sites a page may load things from.
    #[serde(default)]
    privacy: RawPrivacy,
    #[serde(default)]
    images: ImageOptions,
}

/// The "Exit this page" control: a plain link to a neutral site, so it works without
/// JavaScript; with JavaScript, pressing Shift three times also leaves, and Back does not
/// return.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct QuickExit {
    pub enabled: bool,
    /// Where the control goes: a neutral site that gives nothing away.
    pub url: String,
    /// The control's text.
    pub label: String,
    /// A page about browsing more safely, linked beside the control ("@/browsing-safely.md").
    /// It must exist: a link to a missing page is an error.
    pub safety_page: Option<Spanned<String>>,
}

impl QuickExit {
    /// The `safety_page` as a link to check and resolve, when the control is shown.
    pub fn safety_link(&self) -> Option<SettingLink> {
        let page = self.safety_page.as_ref().filter(|_| self.enabled)?;
        Some(SettingLink {
            setting: "[quick_exit] safety_page",
            written: page.get_ref().clone(),
            offset: page.span().start,
        })
    }
}

impl Default for QuickExit {
    fn default() -> Self {
        QuickExit {
            enabled: true,
            url: "https://www.bbc.co.uk/weather".to_string(),
            label: "Exit this page".to_string(),
            safety_page: None,
        }
    }
}

/// Automatic links from the first mention of a glossary term to its entry.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct GlossaryOptions {
    /// The glossary page, e.g. "@/glossary.md": each `##` heading is a term. It must exist.
    pub page: Option<Spanned<String>>,
    /// Link the first mention of each term on every other page.
    pub link_terms: bool,
    /// Terms never linked automatically (as written in the headings, any case).
    pub skip: Vec<String>,
    /// Words readers use for a term, keyed by the term as its heading writes it:
    /// `Naloxone = ["Narcan"]`. Searching for one finds the term's entry (docs/search.md).
    pub also: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
}

impl GlossaryOptions {
    /// The glossary `page` as a link to check and resolve.
    pub fn page_link(&self) -> Option<SettingLink> {
        self.page.as_ref().map(|page| SettingLink {
            setting: "[glossary] page",
            written: page.get_ref().clone(),
            offset: page.span().start,
        })
    }
}

/// The site's own search: an index built with the site and the /search/ page that reads it
/// in the browser (docs/search.md).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct SearchOptions {
    /// Build the index, the /search/ page and the search box in the header.
    pub enabled: bool,
    /// How much a word counts in each part of a page; 0 leaves that part out of the index.
    pub weights: SearchWeights,
    /// How many words of text are shown around the matched words in each result.
    pub excerpt_words: usize,
    /// Content folders to index ("medication", "services/local"); empty means every page.
    pub sections: Vec<String>,
    /// The facets readers can narrow results by, in the order shown.
    pub facets: Vec<Facet>,
    /// Words readers use, one way: `heroin = ["gear", "smack"]` (typing "gear" also finds
    /// pages that say "heroin"). Phrases may be used on either side.
    pub synonyms: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
    /// Words that mean the same, every way: `[["naloxone", "narcan"]]`.
    pub synonym_groups: Vec<Spanned<Vec<Spanned<String>>>>,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            enabled: true,
            weights: SearchWeights::default(),
            excerpt_words: 30,
            sections: Vec::new(),
            facets: vec![Facet::TreatmentType, Facet::Settings, Facet::Substances],
            synonyms: BTreeMap::new(),
            synonym_groups: Vec::new(),
        }
    }
}

/// Field weights for search ranking.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct SearchWeights {
    /// The page's title.
    pub title: f32,
    /// Its headings.
    pub headings: f32,
    /// Its one-sentence summary.
    pub summary: f32,
    /// Everything else: the text, the lists from front matter and the facet labels.
    pub body: f32,
}

impl Default for SearchWeights {
    fn default() -> Self {
        SearchWeights {
            title: 8.0,
            headings: 3.0,
            summary: 2.0,
            body: 1.0,
        }
    }
}

/// One comparison table: rows are guidance pages, columns are chosen fields.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MatrixConfig {
    /// Where it is published, relative to the site: "compare" gives /compare/.
    pub path: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Content folders whose guidance pages are rows; empty means every guidance page.
    #[serde(default)]
    pub sections: Vec<String>,
    #[serde(default = "default_matrix_columns")]
    pub columns: Vec<MatrixColumn>,
    /// The most rows on one page; a longer table is split by section (`matrix::parts`).
    #[serde(default = "default_page_size")]
    pub page_size: usize,
}

fn default_page_size() -> usize {
    100
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MatrixColumn {
    pub field: MatrixField,
    /// The column heading; left out (or empty), the vocabulary's `name` for a facet field,
    /// else [`MatrixField::default_label`]. Filled in when site.toml is loaded.
    #[serde(default)]
    pub label: String,
}

/// The page fields a comparison table can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatrixField {
    Summary,
    TreatmentType,
    Settings,
    Substances,
    Access,
    Duration,
    Suits,
    NotSuited,
    Pros,
    Cons,
    Sources,
    LastReviewed,
}

impl MatrixField {
    pub fn key(self) -> &'static str {
        match self {
            MatrixField::Summary => "summary",
            MatrixField::TreatmentType => "treatment_type",
            MatrixField::Settings => "settings",
            MatrixField::Substances => "substances",
            MatrixField::Access => "access",
            MatrixField::Duration => "duration",
            MatrixField::Suits => "suits",
            MatrixField::NotSuited => "not_suited",
            MatrixField::Pros => "pros",
            MatrixField::Cons => "cons",
            MatrixField::Sources => "sources",
            MatrixField::LastReviewed => "last_reviewed",
        }
    }

    /// The heading of a column whose `label` is left out and whose vocabulary has no `name`.
    pub fn default_label(self) -> &'static str {
        match self {
            MatrixField::Summary => "Summary",
            MatrixField::TreatmentType => "Type of help",
            MatrixField::Settings => "Setting",
            MatrixField::Substances => "Substances",
            MatrixField::Access => "How to get it",
            MatrixField::Duration => "How long",
            MatrixField::Suits => "Who it may suit",
            MatrixField::NotSuited => "Who it may not suit",
            MatrixField::Pros => "What may help",
            MatrixField::Cons => "What may be hard",
            MatrixField::Sources => "Sources",
            MatrixField::LastReviewed => "Last reviewed",
        }
    }

    /// The facet this field shows, if it is one.
    pub fn facet(self) -> Option<Facet> {
        match self {
            MatrixField::TreatmentType => Some(Facet::TreatmentType),
            MatrixField::Settings => Some(Facet::Settings),
            MatrixField::Substances => Some(Facet::Substances),
            MatrixField::Access => Some(Facet::Access),
            _ => None,
        }
    }
}

/// Labels are left empty, to be filled in from the vocabularies ([`resolve_labels`]).
fn default_matrix_columns() -> Vec<MatrixColumn> {
    [
        MatrixField::TreatmentType,
        MatrixField::Settings,
        MatrixField::Substances,
        MatrixField::Access,
        MatrixField::Duration,
        MatrixField::Suits,
        MatrixField::Pros,
        MatrixField::Cons,
    ]
    .into_iter()
    .map(|field| MatrixColumn {
        field,
        label: String::new(),
    })
    .collect()
}

/// Gives every column without a label its vocabulary's name, or a fixed heading, so that a
/// heading says what the facet pages call the same thing.
fn resolve_labels(matrices: &mut [MatrixConfig], vocabularies: &Vocabularies) {
    for column in matrices.iter_mut().flat_map(|m| m.columns.iter_mut()) {
        if !column.label.trim().is_empty() {
            continue;
        }
        let name = column
            .field
            .facet()
            .map(|facet| vocabularies.get(facet).name.trim())
            .filter(|name| !name.is_empty());
        column.label = name.unwrap_or(column.field.default_label()).to_string();
    }
}

fn default_matrices() -> Vec<MatrixConfig> {
    vec![MatrixConfig {
        path: "compare".to_string(),
        title: "Compare treatments".to_string(),
        description: "Every option side by side.".to_string(),
        sections: Vec::new(),
        columns: default_matrix_columns(),
        page_size: default_page_size(),
    }]
}

fn default_language() -> String {
    "en".to_string()
}
fn default_theme() -> String {
    "default".to_string()
}
fn default_output_dir() -> String {
    "public".to_string()
}

/// How markdown is turned into HTML.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct MarkdownOptions {
    /// The syntect theme whose colours go into syntax.css.
    pub highlight_theme: String,
    /// Curly quotes, dashes and ellipses.
    pub smart_punctuation: bool,
    /// What happens to HTML written inside markdown.
    pub raw_html: RawHtmlPolicy,
}

impl Default for MarkdownOptions {
    fn default() -> Self {
        MarkdownOptions {
            highlight_theme: "InspiredGitHub".to_string(),
            smart_punctuation: true,
            raw_html: RawHtmlPolicy::Sanitize,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtmlPolicy {
    /// Keep safe tags; remove scripts, event handlers, styles and dangerous URLs.
    Sanitize,
    /// Show the HTML as text.
    Escape,
    /// Pass it through unchanged: only for content the site's owner fully controls.
    Trust,
}

/// A helpline the theme shows on every page.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Helpline {
    pub name: String,
    pub phone: Option<String>,
    pub hours: Option<String>,
    pub url: Option<String>,
    pub text: Option<String>,
    /// What to do in an emergency, shown first ("If someone's life is at risk, call …").
    /// Only set it with a number from a source you trust.
    pub urgent: Option<String>,
    /// The id of the source these details come from.
    pub source: Option<String>,
}

/// An internal link written in site.toml ("@/a.md"), with where it was written, so that a link
/// to a missing page can be reported at the setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingLink {
    /// The setting's name in messages ("[emergency] page").
    pub setting: &'static str,
    /// The link as written.
    pub written: String,
    /// The byte offset of the value in site.toml.
    pub offset: usize,
}

/// A phone number as a `tel:` link's target: its digits and `+` signs, without spaces or
/// punctuation.
pub fn tel_target(phone: &str) -> String {
    phone.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect()
}

/// The four facets every guidance page is described by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Facet {
    TreatmentType,
    Settings,
    Substances,
    Access,
}

impl Facet {
    pub const ALL: [Facet; 4] = [Facet::TreatmentType, Facet::Settings, Facet::Substances, Facet::Access];

    /// The front-matter field (and vocabulary) name.
    pub fn key(self) -> &'static str {
        match self {
            Facet::TreatmentType => "treatment_type",
            Facet::Settings => "settings",
            Facet::Substances => "substances",
            Facet::Access => "access",
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Vocabularies {
    #[serde(default)]
    pub treatment_type: Vocabulary,
    #[serde(default)]
    pub settings: Vocabulary,
    #[serde(default)]
    pub substances: Vocabulary,
    #[serde(default)]
    pub access: Vocabulary,
}

impl Vocabularies {
    pub fn get(&self, facet: Facet) -> &Vocabulary {
        match facet {
            Facet::TreatmentType => &self.treatment_type,
            Facet::Settings => &self.settings,
            Facet::Substances => &self.substances,
            Facet::Access => &self.access,
        }
    }
}

/// The allowed values of one facet, in the order readers see them.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Vocabulary {
    /// The facet's heading, e.g. "Setting".
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub values: Vec<VocabularyValue>,
    /// The URL folder of the facet's pages; defaults to the facet's key with hyphens
    /// ("treatment-type").
    pub slug: Option<String>,
}

impl Vocabulary {
    pub fn value(&self, id: &str) -> Option<&VocabularyValue> {
        self.values.iter().find(|v| v.id == id)
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.values.iter().map(|v| v.id.as_str())
    }
}

impl Vocabularies {
    /// The site-relative folder of a facet's pages ("settings/").
    pub fn path(&self, facet: Facet) -> String {
        let slug = self
            .get(facet)
            .slug
            .as_deref()
            .map(crate::slug::slugify)
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| facet.key().replace('_', "-"));
        format!("{slug}/")
    }

    /// The site-relative path of one value's page ("settings/community/").
    pub fn value_path(&self, facet: Facet, id: &str) -> String {
        format!("{}{}/", self.path(facet), crate::slug::slugify(id))
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VocabularyValue {
    /// What pages write.
    pub id: String,
    /// What readers see.
    pub label: String,
    #[serde(default)]
    pub description: String,
}

/// A document the guidance is written from.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// What pages cite, as `[@id]`.
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub publisher: String,
    pub publisher_type: PublisherType,
    #[serde(default)]
    pub audience: String,
    pub url: Option<String>,
    #[serde(default)]
    pub description: String,
    /// When the publisher last updated it, if it says.
    pub published: Option<crate::date::Date>,
    /// When the text the site is written from was retrieved.
    pub retrieved: Option<crate::date::Date>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PublisherType {
    Charity,
    InformationService,
    PrivateProvider,
    NhsGuidance,
    Government,
    Other,
}

impl PublisherType {
    pub fn label(self) -> &'static str {
        match self {
            PublisherType::Charity => "Charity",
            PublisherType::InformationService => "Information service",
            PublisherType::PrivateProvider => "Private provider",
            PublisherType::NhsGuidance => "NHS guidance",
            PublisherType::Government => "Government",
            PublisherType::Other => "Other",
        }
    }
}

/// The resolved configuration every later stage reads.
#[derive(Debug, Clone)]
pub struct Config {
    pub root: PathBuf,
    /// The text of site.toml, so later stages can point at lines in it.
    pub text: String,
    pub title: String,
    pub description: String,
    pub base_url: BaseUrl,
    pub language: String,
    pub theme: String,
    pub output_dir: PathBuf,
    pub markdown: MarkdownOptions,
    pub helpline: Option<Helpline>,
    /// The emergency line shown at the top of every page, if the site has one.
    pub emergency: Option<Emergency>,
    pub vocabularies: Vocabularies,
    pub sources: Vec<Source>,
    pub quick_exit: QuickExit,
    pub related: RelatedOptions,
    /// How long the generated lists (facet value pages, the A–Z) get before they are split.
    pub lists: ListOptions,
    pub links: LinkOptions,
    pub glossary: GlossaryOptions,
    pub search: SearchOptions,
    /// Readers' words and the page words each also finds, from `[search.synonyms]`,
    /// `[search] synonym_groups` and `[glossary.also]`, in the order written.
    pub synonyms: Vec<Synonym>,
    pub matrices: Vec<MatrixConfig>,
    pub rules: Vec<Rule>,
    /// The other sites a reader's browser may contact.
    pub privacy: Privacy,
    /// Resized copies of images; `widths` sorted, each once.
    pub images: ImageOptions,
    /// Whether draft pages are built.
    pub drafts: bool,
}

impl Config {
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    /// A diagnostic pointing at the first line of site.toml containing `needle`.
    pub fn diagnostic_at(&self, diagnostic: Diagnostic, needle: &str) -> Diagnostic {
        match self.text.find(needle) {
            Some(offset) => diagnostic.at(&self.text, offset),
            None => diagnostic,
        }
    }

    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }
}

/// What the command line may override.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub base_url: Option<String>,
    pub output_dir: Option<PathBuf>,
    pub drafts: bool,
}

/// Reads and checks `root/site.toml`.
pub fn load(root: &Path, overrides: &Overrides) -> Result<Config, Diagnostics> {
    let path = root.join(CONFIG_FILE);
    let file = PathBuf::from(CONFIG_FILE);
    let bytes = std::fs::read(&path).map_err(|e| {
        let mut d = Diagnostics::new();
        d.push(
            Diagnostic::error(&file, format!("cannot read {}: {e}", path.display()))
                .code(Code::ConfigUnreadable)
                .with_hint("run signpost in a site folder, pass --root DIR, or create one with `signpost init DIR`"),
        );
        d
    })?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let mut d = Diagnostics::new();
            d.push(
                Diagnostic::error(&file, "the file is not valid UTF-8 text")
                    .code(Code::ConfigUnreadable)
                    .at(&text, valid)
                    .with_hint("save the file as UTF-8"),
            );
            return Err(d);
        }
    };
    parse(root, &text, overrides)
}

/// Checks the text of a site.toml; `root` is the folder it belongs to.
pub fn parse(root: &Path, text: &str, overrides: &Overrides) -> Result<Config, Diagnostics> {
    let file = PathBuf::from(CONFIG_FILE);
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut diagnostics = Diagnostics::new();
    let raw: RawConfig = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            let mut d = Diagnostic::error(&file, e.message().trim_end().to_string())
                .code(Code::for_toml_message(e.message(), true))
                .with_optional_hint(hint_for_serde_message(e.message()));
            if let Some(span) = e.span() {
                d = d.at(text, span.start);
            }
            diagnostics.push(d);
            return Err(diagnostics);
        }
    };

    let base_url_text = overrides
        .base_url
        .clone()
        .or_else(|| raw.base_url.as_ref().map(|s| s.get_ref().clone()))
        .unwrap_or_else(|| "/".to_string());
    let base_url = match BaseUrl::parse(&base_url_text) {
        Ok(url) => url,
        Err(why) => {
            let mut d = Diagnostic::error(&file, format!("invalid base_url `{base_url_text}`: {why}"))
                .code(Code::ConfigInvalidValue)
                .with_hint("use a full URL such as \"https://example.org/guidance/\" or a path such as \"/guidance/\"");
            if overrides.base_url.is_none()
                && let Some(span) = &raw.base_url
            {
                d = d.at(text, span.span().start);
            }
            diagnostics.push(d);
            BaseUrl::parse("/").unwrap_or(BaseUrl {
                path: "/".into(),
                origin: None,
            })
        }
    };

    check_vocabularies(text, &raw.vocabularies, &file, &mut diagnostics);
    let mut seen = BTreeSet::new();
    for source in &raw.sources {
        if !seen.insert(source.get_ref().id.clone()) {
            diagnostics.push(
                Diagnostic::error(&file, format!("source id `{}` is used twice", source.get_ref().id))
                    .code(Code::ConfigDuplicateId)
                    .at(text, source.span().start),
            );
        }
    }
    if let Some(helpline) = &raw.helpline
        && let Some(id) = &helpline.get_ref().source
        && !seen.contains(id)
    {
        diagnostics.push(
            Diagnostic::error(&file, format!("[helpline] source `{id}` is not a known source id"))
                .code(Code::ConfigUnknownSource)
                .at(text, helpline.span().start)
                .with_optional_hint(
                    crate::diagnostics::closest(id, seen.iter().map(String::as_str))
                        .map(|s| format!("did you mean `{s}`?")),
                ),
        );
    }

    let emergency = raw
        .emergency
        .and_then(|emergency| check_emergency(text, emergency, &file, &mut diagnostics));

    let exit_url = &raw.quick_exit.url;
    if raw.quick_exit.enabled && !(exit_url.starts_with("https://") || exit_url.starts_with("http://")) {
        diagnostics.push(
            Diagnostic::error(
                &file,
                format!("[quick_exit] url `{exit_url}` must be a full http:// or https:// URL"),
            )
            .code(Code::ConfigInvalidValue)
            .at(text, text.find("[quick_exit]").unwrap_or(0))
            .with_hint("use a neutral site such as \"https://www.bbc.co.uk/weather\""),
        );
    }
    let mut matrices = match raw.matrix {
        None => default_matrices(),
        Some(matrices) => {
            let mut seen = BTreeSet::new();
            for (i, m) in matrices.iter().enumerate() {
                let path = crate::slug::slugify(&m.get_ref().path);
                limits::check_matrix(text, m, i, &file, &mut diagnostics);
                if path.is_empty() || !seen.insert(path) {
                    diagnostics.push(
                        Diagnostic::error(
                            &file,
                            format!("[[matrix]] path `{}` is empty or used twice", m.get_ref().path),
                        )
                        .code(Code::ConfigInvalidValue)
                        .at(text, m.span().start),
                    );
                }
            }
            matrices.into_iter().map(Spanned::into_inner).collect()
        }
    };
    resolve_labels(&mut matrices, &raw.vocabularies);

    limits::check(text, &raw.related, &raw.search, &file, &mut diagnostics);
    limits::check_images(text, &raw.images, &file, &mut diagnostics);
    let mut images = raw.images;
    images.widths.sort_unstable();
    images.widths.dedup();
    limits::check_links(text, &raw.links, &file, &mut diagnostics);
    limits::check_lists(text, &raw.lists, &file, &mut diagnostics);
    let written = synonyms::Written {
        synonyms: &raw.search.synonyms,
        groups: &raw.search.synonym_groups,
        also: &raw.glossary.also,
    };
    let synonyms = synonyms::resolve(text, written, &file, &mut diagnostics);
    let rules = rules::resolve(text, raw.rules, &raw.vocabularies, &mut diagnostics);
    let privacy = check_privacy(text, raw.privacy, base_url.origin.clone(), &file, &mut diagnostics);

    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let output_dir = overrides
        .output_dir
        .clone()
        .map(|dir| {
            if dir.is_absolute() {
                dir
            } else {
                std::env::current_dir().map(|cwd| cwd.join(&dir)).unwrap_or(dir)
            }
        })
        .unwrap_or_else(|| root.join(&raw.output_dir));
    Ok(Config {
        root: root.to_path_buf(),
        text: text.to_string(),
        title: raw.title,
        description: raw.description,
        base_url,
        language: raw.language,
        theme: raw.theme,
        output_dir,
        markdown: raw.markdown,
        helpline: raw.helpline.map(Spanned::into_inner),
        emergency,
        vocabularies: raw.vocabularies,
        sources: raw.sources.into_iter().map(Spanned::into_inner).collect(),
        quick_exit: raw.quick_exit,
        related: raw.related,
        lists: raw.lists,
        links: raw.links,
        glossary: raw.glossary,
        search: raw.search,
        synonyms,
        matrices,
        rules,
        privacy,
        images,
        drafts: overrides.drafts,
    })
}

fn check_vocabularies(text: &str, vocabularies: &Vocabularies, file: &Path, out: &mut Diagnostics) {
    for facet in Facet::ALL {
        let mut seen = BTreeSet::new();
        for value in &vocabularies.get(facet).values {
            if !seen.insert(value.id.as_str()) {
                let offset = text.find(&format!("\"{}\"", value.id)).unwrap_or(0);
                out.push(
                    Diagnostic::error(
                        file,
                        format!("vocabulary `{}` lists the value `{}` twice", facet.key(), value.id),
                    )
                    .code(Code::ConfigDuplicateId)
                    .at(text, offset),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_is_an_error_with_a_suggestion() {
        let err =
            parse(Path::new("."), "title = \"x\"\ntitel = \"y\"\n", &Overrides::default()).expect_err("unknown key");
        let d = err.sorted().remove(0);
        assert_eq!(d.location.as_ref().map(|l| l.line), Some(2));
        assert_eq!(d.hint.as_deref(), Some("did you mean `title`?"));
    }
}
