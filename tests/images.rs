//! Image sizes and loading (docs/reference.md, "Image sizes"): every markdown image that is a
//! file of the site gets its pixel `width` and `height` (PNG, JPEG, GIF, WebP, and SVG when
//! it says), every image but a page's first loads lazily, at `/` and under a sub-path; a file
//! that cannot be read as an image is an error at the image's place.

mod common;

use std::io::Write;

use common::{Element, Site, assert_no_broken_urls, assert_same_tree, elements, tree};

/// A real PNG of `width`×`height` RGB pixels, every one grey.
fn png(width: u32, height: u32) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        let mut crc = crc32fast::Hasher::new();
        crc.update(kind);
        crc.update(data);
        out.extend(kind);
        out.extend(data);
        out.extend(crc.finalize().to_be_bytes());
    }
    let mut header = Vec::new();
    header.extend(width.to_be_bytes());
    header.extend(height.to_be_bytes());
    header.extend([8, 2, 0, 0, 0]);
    let row: Vec<u8> = std::iter::once(0)
        .chain(std::iter::repeat_n(128, width as usize * 3))
        .collect();
    let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    for _ in 0..height {
        zlib.write_all(&row).expect("compress a row");
    }
    let pixels = zlib.finish().expect("compress the pixels");
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &header);
    chunk(&mut out, b"IDAT", &pixels);
    chunk(&mut out, b"IEND", &[]);
    out
}

/// A real GIF whose screen is `width`×`height`, with one black pixel drawn in its corner.
fn gif(width: u16, height: u16) -> Vec<u8> {
    let mut out = b"GIF89a".to_vec();
    out.extend(width.to_le_bytes());
    out.extend(height.to_le_bytes());
    // A global colour table of two colours, black and white.
    out.extend([0x80, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff]);
    out.extend([b',', 0, 0, 0, 0, 1, 0, 1, 0, 0]);
    out.extend([2, 2, 0x44, 0x01, 0, b';']);
    out
}

/// The guidance site with content/treatments/pictures.md and its images.
fn site() -> Site {
    let site = Site::layers(&["guidance-site", "images"]);
    site.write("content/treatments/diagram.png", png(640, 480));
    site.write("static/images/wave.gif", gif(32, 16));
    site
}

fn image<'a>(images: &'a [Element], alt: &str) -> &'a Element {
    images
        .iter()
        .find(|e| e.attribute("alt") == Some(alt))
        .unwrap_or_else(|| panic!("no image {alt:?} in {images:?}"))
}

/// An image's alt text, src (under the base path) and width and height.
type Expected = (&'static str, &'static str, Option<(&'static str, &'static str)>);

const SIZES: [Expected; 8] = [
    (
        "A diagram beside the page",
        "treatments/diagram.png",
        Some(("640", "480")),
    ),
    ("A photo under static", "images/photo.jpg", Some(("3", "2"))),
    ("A chart beside the page", "treatments/chart.webp", Some(("4", "3"))),
    ("An animation under static", "images/wave.gif", Some(("32", "16"))),
    (
        "A dose chart with width and height",
        "treatments/dose-chart.svg",
        Some(("10", "10")),
    ),
    ("A logo with a viewBox", "images/logo.svg", Some(("240", "120"))),
    ("A banner with no size", "images/banner.svg", None),
    (
        "The diagram by its site path",
        "treatments/diagram.png?v=2",
        Some(("640", "480")),
    ),
];

fn assert_sizes(site: &Site, base: &str) {
    let html = site.output("treatments/pictures/index.html");
    let images: Vec<Element> = elements(&html).into_iter().filter(|e| e.name == "img").collect();
    for (alt, src, size) in SIZES {
        let img = image(&images, alt);
        assert_eq!(img.attribute("src"), Some(format!("{base}{src}").as_str()), "{alt}");
        let written = img.attribute("width").zip(img.attribute("height"));
        assert_eq!(written, size, "{alt}");
    }
    // The first image may be on the first screen; the rest wait until they are near it.
    let loading: Vec<(Option<&str>, Option<&str>)> = images
        .iter()
        .map(|img| (img.attribute("loading"), img.attribute("decoding")))
        .collect();
    assert_eq!(loading[0], (None, None));
    assert_eq!(loading.len(), SIZES.len());
    assert!(
        loading[1..].iter().all(|l| *l == (Some("lazy"), Some("async"))),
        "{loading:?}"
    );
    assert_eq!(
        image(&images, "A photo under static").attribute("title"),
        Some("Taken in 2025")
    );
    assert_no_broken_urls(&site.public(), base);
}

#[test]
fn images_get_their_size_and_load_lazily_after_the_first_at_the_root() {
    let site = site();
    site.build(&[]).success();
    assert_sizes(&site, "/");
}

#[test]
fn images_get_their_size_and_load_lazily_after_the_first_under_a_sub_path() {
    let site = site();
    site.build(&["--base-url", "/guidance/"]).success();
    assert_sizes(&site, "/guidance/");
}

#[test]
fn each_page_counts_its_own_first_image() {
    let site = site();
    site.edit(
        "content/treatments/counselling.md",
        "+++\n\n",
        "+++\n\n![The animation again](/images/wave.gif)\n\n![And the photo](/images/photo.jpg)\n\n",
    );
    site.build(&[]).success();
    let html = site.output("treatments/counselling/index.html");
    let images: Vec<Element> = elements(&html).into_iter().filter(|e| e.name == "img").collect();
    let first = image(&images, "The animation again");
    assert_eq!(
        (first.attribute("width"), first.attribute("loading")),
        (Some("32"), None)
    );
    let second = image(&images, "And the photo");
    assert_eq!(
        (second.attribute("height"), second.attribute("loading")),
        (Some("2"), Some("lazy"))
    );
}

#[test]
fn the_same_site_builds_to_the_same_bytes() {
    let site = site();
    site.build(&[]).success();
    let first = tree(&site.public());
    site.build(&[]).success();
    assert_same_tree(&first, &tree(&site.public()));
}

#[test]
fn a_file_that_is_not_the_image_its_name_says_is_an_error_at_the_image() {
    let site = site();
    site.write(
        "content/treatments/diagram.png",
        "not a picture, but a note saved as .png\n",
    );
    site.write("static/images/photo.jpg", &png(2, 2)[..20]);
    site.write(
        "static/images/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><g></svg>",
    );
    for run in [site.check(&[]).code(1), site.build(&[]).code(1)] {
        let expected = [
            (
                "content/treatments/pictures.md:12:1",
                "`content/treatments/diagram.png` is not a PNG",
            ),
            (
                "content/treatments/pictures.md:14:1",
                "`static/images/photo.jpg` is not a PNG",
            ),
            (
                "content/treatments/pictures.md:22:1",
                "`static/images/logo.svg` cannot be read as an SVG",
            ),
            (
                "content/treatments/pictures.md:26:1",
                "`content/treatments/diagram.png` is not a PNG",
            ),
        ];
        for (place, message) in expected {
            let diagnostic = run.diagnostic(place);
            assert!(diagnostic.contains("[SP083]"), "{diagnostic}");
            assert!(diagnostic.contains(message), "{diagnostic}");
            assert!(diagnostic.contains("hint: save it again as"), "{diagnostic}");
        }
        // The broken SVG is also refused as a file to publish (tests/svg_sanitising.rs).
        assert!(
            run.diagnostic("static/images/logo.svg").contains("[SP083]"),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("failed with 5 errors"), "{}", run.stderr);
    }
    assert!(!site.public().exists(), "a failed build writes nothing");
}

#[test]
fn an_image_in_a_snippet_is_reported_in_the_snippet() {
    let site = site();
    site.write(
        "content/_snippets/banner.md",
        "Look:\n\n![A broken banner](/images/broken.gif)\n",
    );
    site.write("static/images/broken.gif", "GIF");
    site.edit(
        "content/treatments/pictures.md",
        "## Images\n",
        "## Images\n\n{{ snippet(id=\"banner\") }}\n",
    );
    let run = site.build(&[]).code(1);
    let diagnostic = run.diagnostic("content/_snippets/banner.md:3:1");
    assert!(
        diagnostic.contains("the image `/images/broken.gif` cannot be used"),
        "{diagnostic}"
    );
}

/// `serve` copies an edited static file again without a full build; an image's edit may
/// change its size, which the pages showing it write, so it waits for the full build.
#[test]
fn serve_rebuilds_the_pages_when_a_static_image_changes() {
    use signpost::config::Overrides;
    use signpost::pipeline::{self, Cache};
    use std::path::Path;

    let site = site();
    site.write("static/notes.css", "p { color: navy; }\n");
    let kept = match pipeline::build_served(&site.root, &Overrides::default(), &mut Cache::new()) {
        Ok(served) => served.kept,
        Err(d) => panic!("the fixture does not build: {:?}", d.sorted().first()),
    };
    site.write("static/notes.css", "p { color: teal; }\n");
    assert!(pipeline::recopy_static(&kept, &[Path::new("static/notes.css")]).is_some());
    site.write("static/images/wave.gif", gif(64, 8));
    assert!(pipeline::recopy_static(&kept, &[Path::new("static/images/wave.gif")]).is_none());
    let built = match pipeline::build_served(&site.root, &Overrides::default(), &mut Cache::new()) {
        Ok(served) => served,
        Err(d) => panic!("the edited site does not build: {:?}", d.sorted().first()),
    };
    let page = match built.site.files.get("treatments/pictures/index.html") {
        Some(signpost::render::Contents::Bytes(bytes)) => String::from_utf8_lossy(bytes).into_owned(),
        other => panic!("no page in the served build: {other:?}"),
    };
    let images: Vec<Element> = elements(&page).into_iter().filter(|e| e.name == "img").collect();
    let wave = image(&images, "An animation under static");
    assert_eq!(wave.attribute("width").zip(wave.attribute("height")), Some(("64", "8")));
}
