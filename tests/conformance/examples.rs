//! The examples of a spec written in CommonMark's format: a fenced block of 32 backticks and
//! `example` (GFM adds the extension's name) holding the markdown, a line with only `.`, and
//! the HTML. `→` stands for a tab in both.

/// One example of a spec.
#[derive(Debug, Clone)]
pub struct Example {
    /// Its number in the spec, counted from 1.
    pub number: usize,
    /// The heading it is written under.
    pub section: String,
    pub markdown: String,
    pub html: String,
}

const FENCE: &str = "````````````````````````````````";

/// Every example of `spec`, in order.
pub fn parse(spec: &str) -> Vec<Example> {
    let mut examples = Vec::new();
    let mut section = String::new();
    // Inside an example: its markdown, then (after the `.`) its HTML.
    let mut open: Option<(String, Option<String>)> = None;
    for line in spec.lines() {
        match &mut open {
            None if line.starts_with(FENCE) && line[FENCE.len()..].trim_start().starts_with("example") => {
                open = Some((String::new(), None));
            }
            None => {
                if let Some(heading) = line.strip_prefix('#') {
                    section = heading.trim_start_matches('#').trim().to_string();
                }
            }
            Some((markdown, html)) => {
                if line == FENCE {
                    examples.push(Example {
                        number: examples.len() + 1,
                        section: section.clone(),
                        markdown: markdown.replace('→', "\t"),
                        html: html.take().unwrap_or_default().replace('→', "\t"),
                    });
                    open = None;
                } else if line == "." && html.is_none() {
                    *html = Some(String::new());
                } else {
                    let into = html.as_mut().unwrap_or(markdown);
                    into.push_str(line);
                    into.push('\n');
                }
            }
        }
    }
    examples
}
