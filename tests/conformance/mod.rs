//! Running a spec's examples through Signpost's markdown stage and comparing the HTML with the
//! reference (tests/commonmark_spec.rs).

pub mod categories;
pub mod examples;
pub mod tree;
