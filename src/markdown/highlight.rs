//! Code blocks highlighted by syntect, with CSS classes rather than inline styles, so that a
//! strict Content-Security-Policy works.

use std::sync::OnceLock;

use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;

use super::{escape_attribute, escape_text};
use crate::diagnostics::closest;

const HIGHLIGHT_CLASSES: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Code highlighting with CSS classes. The syntax definitions are loaded on first use, so
/// a site without code blocks never pays for them.
pub struct Highlighter {
    theme: String,
    syntaxes: OnceLock<SyntaxSet>,
}

impl Highlighter {
    pub fn new(theme: &str) -> Highlighter {
        Highlighter {
            theme: theme.to_string(),
            syntaxes: OnceLock::new(),
        }
    }

    /// The stylesheet for the highlight classes, or the list of known theme names.
    pub fn css(&self) -> Result<String, String> {
        let themes = ThemeSet::load_defaults();
        let theme = themes.themes.get(&self.theme).ok_or_else(|| {
            let names: Vec<&str> = themes.themes.keys().map(String::as_str).collect();
            let suggestion = closest(&self.theme, names.iter().copied())
                .map(|n| format!("did you mean `{n}`? "))
                .unwrap_or_default();
            format!("{suggestion}available themes: {}", names.join(", "))
        })?;
        css_for_theme_with_class_style(theme, HIGHLIGHT_CLASSES).map_err(|e| e.to_string())
    }

    pub(super) fn highlight(&self, language: &str, code: &str) -> String {
        let escaped_language = escape_attribute(language);
        let syntaxes = self.syntaxes.get_or_init(SyntaxSet::load_defaults_newlines);
        let Some(syntax) = (!language.is_empty())
            .then(|| syntaxes.find_syntax_by_token(language))
            .flatten()
        else {
            return format!(
                "<pre class=\"code\" data-lang=\"{escaped_language}\"><code>{}</code></pre>\n",
                escape_text(code)
            );
        };
        let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, HIGHLIGHT_CLASSES);
        for line in syntect::util::LinesWithEndings::from(code) {
            if generator.parse_html_for_line_which_includes_newline(line).is_err() {
                return format!(
                    "<pre class=\"code\" data-lang=\"{escaped_language}\"><code>{}</code></pre>\n",
                    escape_text(code)
                );
            }
        }
        format!(
            "<pre class=\"code\" data-lang=\"{escaped_language}\"><code>{}</code></pre>\n",
            generator.finalize()
        )
    }
}
