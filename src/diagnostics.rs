//! Diagnostics: what went wrong, where, and how to fix it.
//!
//! Every stage reports problems as [`Diagnostic`]s instead of failing on the first one, so a
//! single build shows every broken page. Printed as `path:line:col: error: message`, the form
//! editors and CI logs turn into links.

use std::fmt;
use std::path::{Path, PathBuf};

/// Stable diagnostic codes, documented with an example and a fix in docs/diagnostics.md. A
/// code never changes meaning; new problems get new codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// Not yet given a specific code.
    Other,
    ConfigUnreadable,
    ConfigSyntax,
    ConfigUnknownKey,
    ConfigInvalidValue,
    ConfigDuplicateId,
    ConfigUnknownSource,
    ConfigOutOfRange,
    /// A synonym names a page word that no indexed page uses.
    SynonymNeverMatches,
    FileUnreadable,
    FrontMatterDelimiters,
    FrontMatterSyntax,
    FrontMatterUnknownKey,
    FrontMatterWrongType,
    MissingField,
    UnknownVocabularyValue,
    InvalidDate,
    ReviewDatesOutOfOrder,
    UnknownSource,
    DuplicateUrl,
    UnsafeFileLink,
    MisplacedKey,
    InvalidSlug,
    FrontMatterOutOfRange,
    BrokenLink,
    BrokenHeadingLink,
    UnsafeUrlRemoved,
    TemplateError,
    TemplateMissing,
    GeneratedPageClash,
    UnusedVocabularyValue,
    ReviewOverdue,
    UncitedSource,
    OutputRefused,
    OutputBusy,
    ThirdPartyRequest,
    MissingAltText,
    HtmlRemoved,
    UnknownCalloutKind,
    UnknownSnippet,
    ShortcodeError,
    RuleNotFollowed,
    RuleMatchesNothing,
    AliasClash,
    PageMoved,
    BaseUrlNotAbsolute,
    InvalidAlias,
    ImageUnreadable,
    SvgSanitised,
    ImageTooLarge,
    BadContactLink,
    ExternalLinkBroken,
    ExternalLinkMoved,
}

impl Code {
    pub const ALL: [Code; 53] = [
        Code::Other,
        Code::ConfigUnreadable,
        Code::ConfigSyntax,
        Code::ConfigUnknownKey,
        Code::ConfigInvalidValue,
        Code::ConfigDuplicateId,
        Code::ConfigUnknownSource,
        Code::ConfigOutOfRange,
        Code::SynonymNeverMatches,
        Code::FileUnreadable,
        Code::FrontMatterDelimiters,
        Code::FrontMatterSyntax,
        Code::FrontMatterUnknownKey,
        Code::FrontMatterWrongType,
        Code::MissingField,
        Code::UnknownVocabularyValue,
        Code::InvalidDate,
        Code::ReviewDatesOutOfOrder,
        Code::UnknownSource,
        Code::DuplicateUrl,
        Code::UnsafeFileLink,
        Code::MisplacedKey,
        Code::InvalidSlug,
        Code::FrontMatterOutOfRange,
        Code::BrokenLink,
        Code::BrokenHeadingLink,
        Code::UnsafeUrlRemoved,
        Code::TemplateError,
        Code::TemplateMissing,
        Code::GeneratedPageClash,
        Code::UnusedVocabularyValue,
        Code::ReviewOverdue,
        Code::UncitedSource,
        Code::OutputRefused,
        Code::OutputBusy,
        Code::ThirdPartyRequest,
        Code::MissingAltText,
        Code::HtmlRemoved,
        Code::UnknownCalloutKind,
        Code::UnknownSnippet,
        Code::ShortcodeError,
        Code::RuleNotFollowed,
        Code::RuleMatchesNothing,
        Code::AliasClash,
        Code::PageMoved,
        Code::BaseUrlNotAbsolute,
        Code::InvalidAlias,
        Code::ImageUnreadable,
        Code::SvgSanitised,
        Code::ImageTooLarge,
        Code::BadContactLink,
        Code::ExternalLinkBroken,
        Code::ExternalLinkMoved,
    ];

    /// The code as printed: "SP016".
    pub fn id(self) -> &'static str {
        match self {
            Code::Other => "SP000",
            Code::ConfigUnreadable => "SP001",
            Code::ConfigSyntax => "SP002",
            Code::ConfigUnknownKey => "SP003",
            Code::ConfigInvalidValue => "SP004",
            Code::ConfigDuplicateId => "SP005",
            Code::ConfigUnknownSource => "SP006",
            Code::ConfigOutOfRange => "SP007",
            Code::SynonymNeverMatches => "SP008",
            Code::FileUnreadable => "SP010",
            Code::FrontMatterDelimiters => "SP011",
            Code::FrontMatterSyntax => "SP012",
            Code::FrontMatterUnknownKey => "SP013",
            Code::FrontMatterWrongType => "SP014",
            Code::MissingField => "SP015",
            Code::UnknownVocabularyValue => "SP016",
            Code::InvalidDate => "SP017",
            Code::ReviewDatesOutOfOrder => "SP018",
            Code::UnknownSource => "SP019",
            Code::DuplicateUrl => "SP020",
            Code::UnsafeFileLink => "SP021",
            Code::MisplacedKey => "SP022",
            Code::InvalidSlug => "SP023",
            Code::FrontMatterOutOfRange => "SP024",
            Code::BrokenLink => "SP030",
            Code::BrokenHeadingLink => "SP031",
            Code::UnsafeUrlRemoved => "SP032",
            Code::ExternalLinkBroken => "SP033",
            Code::ExternalLinkMoved => "SP034",
            Code::BadContactLink => "SP035",
            Code::TemplateError => "SP040",
            Code::TemplateMissing => "SP041",
            Code::GeneratedPageClash => "SP042",
            Code::UnusedVocabularyValue => "SP050",
            Code::ReviewOverdue => "SP051",
            Code::UncitedSource => "SP052",
            Code::OutputRefused => "SP060",
            Code::OutputBusy => "SP061",
            Code::ThirdPartyRequest => "SP080",
            Code::MissingAltText => "SP081",
            Code::HtmlRemoved => "SP082",
            Code::UnknownCalloutKind => "SP070",
            Code::UnknownSnippet => "SP071",
            Code::ShortcodeError => "SP072",
            Code::RuleNotFollowed => "SP073",
            Code::RuleMatchesNothing => "SP074",
            Code::AliasClash => "SP090",
            Code::PageMoved => "SP091",
            Code::BaseUrlNotAbsolute => "SP092",
            Code::InvalidAlias => "SP093",
            Code::ImageUnreadable => "SP083",
            Code::SvgSanitised => "SP084",
            Code::ImageTooLarge => "SP085",
        }
    }

    /// The code for a serde/TOML error message about a config or front-matter value.
    pub fn for_toml_message(message: &str, in_config: bool) -> Code {
        let unknown = message.starts_with("unknown field");
        let wrong = message.starts_with("invalid type")
            || message.starts_with("invalid value")
            || message.starts_with("unknown variant")
            || message.starts_with("invalid length");
        match (in_config, unknown, wrong) {
            (true, true, _) => Code::ConfigUnknownKey,
            (true, _, true) => Code::ConfigInvalidValue,
            (true, _, _) if message.starts_with("missing field") => Code::ConfigInvalidValue,
            (true, _, _) => Code::ConfigSyntax,
            (false, true, _) => Code::FrontMatterUnknownKey,
            _ if message.contains("date") => Code::InvalidDate,
            (false, _, true) => Code::FrontMatterWrongType,
            _ if message.starts_with("missing field") => Code::MissingField,
            _ => Code::FrontMatterSyntax,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A position in a file: 1-based line and column (columns count characters, not bytes).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    /// The text of the line, shown under the message.
    pub line_text: String,
}

impl Location {
    /// The location of byte `offset` in `text`. An offset past the end points after the last
    /// character; an offset inside a multi-byte character points at that character.
    pub fn of_offset(text: &str, offset: usize) -> Location {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let line = text[..line_start].matches('\n').count() + 1;
        let column = text[line_start..offset].chars().count() + 1;
        let line_text = text[line_start..line_end].trim_end_matches('\r').to_string();
        Location {
            line,
            column,
            line_text,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    /// The file, relative to the site folder where possible.
    pub file: PathBuf,
    pub location: Option<Location>,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code: Code::Other,
            file: file.into(),
            location: None,
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    /// Points the diagnostic at byte `offset` of the file's full `text`.
    pub fn at(mut self, text: &str, offset: usize) -> Diagnostic {
        self.location = Some(Location::of_offset(text, offset));
        self
    }

    pub fn code(mut self, code: Code) -> Diagnostic {
        self.code = code;
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    pub fn with_optional_hint(mut self, hint: Option<String>) -> Diagnostic {
        self.hint = hint.or(self.hint);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    fn sort_key(&self) -> (PathBuf, usize, usize, Severity, &str) {
        let (line, column) = self.location.as_ref().map_or((0, 0), |l| (l.line, l.column));
        (self.file.clone(), line, column, self.severity, &self.message)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // The code goes last, so `path:line:col: error: message` stays the line's start.
        let code = match self.code {
            Code::Other => String::new(),
            code => format!(" [{}]", code.id()),
        };
        let file = self.file.display();
        match &self.location {
            Some(loc) => {
                writeln!(
                    f,
                    "{file}:{}:{}: {severity}: {}{code}",
                    loc.line, loc.column, self.message
                )?;
                let gutter = loc.line.to_string().len();
                let (shown, caret) = excerpt(&loc.line_text, loc.column);
                writeln!(f, "{:gutter$} |", "")?;
                writeln!(f, "{} | {shown}", loc.line)?;
                let pad: String = shown
                    .chars()
                    .take(caret)
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                write!(f, "{:gutter$} | {pad}^", "")?;
            }
            None => write!(f, "{file}: {severity}: {}{code}", self.message)?,
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  = hint: {hint}")?;
        }
        Ok(())
    }
}

/// At most about 100 characters of a long line, around the 1-based `column`, and the
/// caret's 0-based position in what is shown.
fn excerpt(line: &str, column: usize) -> (String, usize) {
    const WIDTH: usize = 100;
    let chars: Vec<char> = line.chars().collect();
    let caret = column.saturating_sub(1).min(chars.len());
    if chars.len() <= WIDTH {
        return (line.to_string(), caret);
    }
    let start = caret.saturating_sub(WIDTH / 2).min(chars.len() - WIDTH);
    let end = start + WIDTH;
    let mut shown = String::new();
    let mut shift = start;
    if start > 0 {
        shown.push('…');
        shift -= 1;
    }
    shown.extend(&chars[start..end]);
    if end < chars.len() {
        shown.push('…');
    }
    (shown, caret - shift)
}

impl Diagnostic {
    /// One JSON object on one line: severity, code, message, file, line, column, hint
    /// (docs/diagnostics.md). Line and column are null when the problem has no position.
    pub fn to_json(&self) -> String {
        let (line, column) = match &self.location {
            Some(l) => (serde_json::json!(l.line), serde_json::json!(l.column)),
            None => (serde_json::Value::Null, serde_json::Value::Null),
        };
        serde_json::json!({
            "severity": if self.is_error() { "error" } else { "warning" },
            "code": self.code.id(),
            "message": self.message,
            "file": self.file.to_string_lossy().replace('\\', "/"),
            "line": line,
            "column": column,
            "hint": self.hint,
        })
        .to_string()
    }

    /// A GitHub Actions workflow command, so the problem shows on the pull request's diff.
    pub fn to_github(&self) -> String {
        let command = if self.is_error() { "error" } else { "warning" };
        let mut properties = format!(
            "file={}",
            escape_property(&self.file.to_string_lossy().replace('\\', "/"))
        );
        if let Some(l) = &self.location {
            properties.push_str(&format!(",line={},col={}", l.line, l.column));
        }
        properties.push_str(&format!(",title={}", escape_property(self.code.id())));
        let mut message = self.message.clone();
        if let Some(hint) = &self.hint {
            message.push_str("\nhint: ");
            message.push_str(hint);
        }
        format!("::{command} {properties}::{}", escape_data(&message))
    }
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Problems collected across a whole run.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    pub fn new() -> Diagnostics {
        Diagnostics::default()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// Errors counted once each: a snippet's broken link is found on every page that
    /// includes it, and reported once.
    pub fn error_count(&self) -> usize {
        self.clone().sorted().iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.clone().sorted().iter().filter(|d| !d.is_error()).count()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The diagnostics in a stable order: by file, then position.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.0.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.0.dedup();
        self.0
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// The option closest to `value`, if one is close enough to be a likely typo.
pub fn closest<'a>(value: &str, options: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let value_lower = value.to_lowercase();
    options
        .into_iter()
        .map(|option| {
            let score = strsim::jaro_winkler(&value_lower, &option.to_lowercase());
            (score, option)
        })
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, option)| option)
}

/// A "did you mean" hint for serde's unknown-field and unknown-variant messages, which list
/// the expected names in backticks.
pub fn hint_for_serde_message(message: &str) -> Option<String> {
    let kind = if message.starts_with("unknown field") {
        "field"
    } else if message.starts_with("unknown variant") {
        "value"
    } else {
        return None;
    };
    let mut quoted = message.split('`').skip(1).step_by(2);
    let given = quoted.next()?;
    let expected: Vec<&str> = quoted.collect();
    if expected.is_empty() {
        return Some(format!("no {kind}s are allowed here"));
    }
    match closest(given, expected.iter().copied()) {
        Some(best) => Some(format!("did you mean `{best}`?")),
        None => Some(format!(
            "allowed {kind}s: {}",
            expected.iter().map(|e| format!("`{e}`")).collect::<Vec<_>>().join(", ")
        )),
    }
}

/// `path` relative to `root` for display, or as it is when it is elsewhere.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_counts_lines_and_characters() {
        let text = "one\ntwo é three\n";
        let loc = Location::of_offset(text, text.find("three").unwrap_or(0));
        assert_eq!((loc.line, loc.column), (2, 7));
        assert_eq!(loc.line_text, "two é three");
    }

    #[test]
    fn location_inside_a_multibyte_character_does_not_panic() {
        let loc = Location::of_offset("é", 1);
        assert_eq!((loc.line, loc.column), (1, 1));
        let end = Location::of_offset("a\n", 99);
        assert_eq!((end.line, end.column), (2, 1));
    }

    #[test]
    fn codes_are_unique() {
        let ids: std::collections::BTreeSet<&str> = Code::ALL.iter().map(|c| c.id()).collect();
        assert_eq!(ids.len(), Code::ALL.len());
    }

    #[test]
    fn machine_formats() {
        let d = Diagnostic::error("content/a.md", "bad, very: bad\nnews")
            .code(Code::BrokenLink)
            .at("one\ntwo", 5)
            .with_hint("fix it");
        assert_eq!(
            d.to_github(),
            "::error file=content/a.md,line=2,col=2,title=SP030::bad, very: bad%0Anews%0Ahint: fix it"
        );
        let json: serde_json::Value = serde_json::from_str(&d.to_json()).expect("json");
        assert_eq!(json["code"], "SP030");
        assert_eq!(json["line"], 2);
        assert_eq!(json["hint"], "fix it");
    }

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let line = format!("{}X{}", "a".repeat(300), "b".repeat(300));
        let (shown, caret) = excerpt(&line, 301);
        assert!(shown.chars().count() <= 102);
        assert_eq!(shown.chars().nth(caret), Some('X'));
        assert_eq!(excerpt("short", 3), ("short".to_string(), 2));
    }

    #[test]
    fn serde_unknown_field_gets_a_suggestion() {
        let hint = hint_for_serde_message("unknown field `titel`, expected one of `title`, `summary`, `weight`");
        assert_eq!(hint.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn closest_ignores_distant_options() {
        assert_eq!(closest("residental", ["residential", "community"]), Some("residential"));
        assert_eq!(closest("zzz", ["residential", "community"]), None);
    }
}
