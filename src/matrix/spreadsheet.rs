//! `matrix.csv`, made safe to open in a spreadsheet. Page text is written by editors (and
//! sometimes pasted from elsewhere), so a cell must never be read as a formula: this follows
//! OWASP's CSV-injection guidance in full.

use std::borrow::Cow;

/// The rows as RFC 4180 CSV with CRLF line ends: every cell quoted (so `,` and `;` separators
/// are both safe, whatever the reader's locale), quotes doubled, and formulas defused.
pub fn csv(rows: &[Vec<String>]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for row in rows {
        // Writing to memory cannot fail, and every row has the header's length.
        let _ = writer.write_record(row.iter().map(|cell| defuse(cell).into_owned()));
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// A cell that a spreadsheet could take as a formula (starting with `=`, `+`, `-`, `@`, a tab
/// or a carriage return, or their full-width forms, after any spaces) gets a leading `'`,
/// which spreadsheets read as "this is text".
pub fn defuse(cell: &str) -> Cow<'_, str> {
    const TRIGGERS: [char; 10] = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];
    match cell.trim_start_matches(' ').chars().next() {
        Some(first) if TRIGGERS.contains(&first) => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

#[cfg(test)]
mod tests {
    use super::{csv, defuse};

    #[test]
    fn every_cell_is_quoted_and_formulas_defused() {
        let rows = vec![vec![
            "a,b".to_string(),
            "say \"hi\"".to_string(),
            "=1+1".to_string(),
            "plain".to_string(),
            "x;y".to_string(),
        ]];
        assert_eq!(csv(&rows), "\"a,b\",\"say \"\"hi\"\"\",\"'=1+1\",\"plain\",\"x;y\"\r\n");
    }

    #[test]
    fn each_formula_trigger_is_defused() {
        for cell in ["=A1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", " =1", "＝1", "＠x"] {
            assert_eq!(defuse(cell), format!("'{cell}"), "{cell:?}");
        }
        for cell in ["Talking therapy", "a=b", "", "1-2 weeks"] {
            assert_eq!(defuse(cell), cell, "{cell:?}");
        }
    }
}
