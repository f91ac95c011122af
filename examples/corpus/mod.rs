//! The generated guidance sites that benchmarks build: see `gen-corpus.rs`. Shared by the
//! `gen-corpus` example and the criterion benches (benches/stages.rs).
use std::fmt::Write as _;
use std::path::Path;

const SITE_TOML: &str = include_str!("../../site.toml");

/// splitmix64: small, fast and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    /// An index skewed towards small numbers (roughly Zipf), for word frequencies.
    fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        (((n as f64 + 1.0).powf(u) - 1.0) as usize).min(n - 1)
    }
}

const TREATMENTS: &[&str] = &[
    "detox",
    "rehab",
    "counselling",
    "methadone",
    "buprenorphine",
    "naltrexone",
    "naloxone",
    "therapy",
    "group work",
    "key working",
    "outreach",
    "needle exchange",
    "aftercare",
    "day programme",
    "mutual aid",
    "family support",
    "prescribing",
    "assessment",
    "relapse prevention",
    "harm reduction",
    "CBT",
    "motivational interviewing",
    "contingency management",
    "psychotherapy",
    "peer support",
    "housing advice",
];
const QUALIFIERS: &[&str] = &[
    "Community",
    "Residential",
    "Home",
    "Inpatient",
    "Outpatient",
    "Weekend",
    "Evening",
    "Young people's",
    "Women's",
    "Family",
    "Rapid",
    "Supported",
    "Specialist",
    "Local",
    "Online",
    "Walk-in",
    "NHS",
    "Private",
];
const SUBSTANCES: &[&str] = &[
    "alcohol",
    "heroin",
    "cocaine",
    "crack",
    "cannabis",
    "ketamine",
    "benzodiazepines",
    "opioids",
    "amphetamines",
    "painkillers",
    "spice",
    "GHB",
];
const HEADINGS: &[&str] = &[
    "What it is",
    "Who it may suit",
    "What happens",
    "How to get it",
    "How long it takes",
    "What the sources say",
    "Staying safe",
    "After treatment",
    "Costs and waiting times",
    "Questions to ask",
    "Local details",
    "Support for families",
    "If things go wrong",
];
const WORDS: &[&str] = &[
    "treatment",
    "support",
    "service",
    "people",
    "drug",
    "drugs",
    "alcohol",
    "worker",
    "doctor",
    "nurse",
    "group",
    "recovery",
    "withdrawal",
    "medication",
    "medicine",
    "dose",
    "community",
    "residential",
    "prescribed",
    "family",
    "help",
    "time",
    "week",
    "weeks",
    "month",
    "months",
    "day",
    "days",
    "plan",
    "care",
    "goal",
    "goals",
    "risk",
    "safe",
    "safer",
    "safely",
    "health",
    "mental",
    "physical",
    "problem",
    "problems",
    "use",
    "using",
    "used",
    "stop",
    "stopping",
    "reduce",
    "reducing",
    "change",
    "changes",
    "talk",
    "talking",
    "session",
    "sessions",
    "appointment",
    "appointments",
    "referral",
    "refer",
    "assessment",
    "assess",
    "local",
    "national",
    "free",
    "confidential",
    "private",
    "charity",
    "programme",
    "programmes",
    "unit",
    "centre",
    "home",
    "house",
    "stay",
    "staying",
    "living",
    "life",
    "work",
    "housing",
    "money",
    "benefits",
    "court",
    "prison",
    "probation",
    "police",
    "GP",
    "hospital",
    "pharmacy",
    "chemist",
    "needle",
    "injecting",
    "overdose",
    "naloxone",
    "tolerance",
    "relapse",
    "craving",
    "cravings",
    "mood",
    "sleep",
    "anxiety",
    "depression",
    "trauma",
    "partner",
    "children",
    "parents",
    "carer",
    "carers",
    "friend",
    "friends",
    "trust",
    "choice",
    "choose",
    "option",
    "options",
    "agree",
    "agreed",
    "offer",
    "offers",
    "usually",
    "often",
    "sometimes",
    "rarely",
    "may",
    "might",
    "can",
    "should",
    "need",
    "needs",
    "want",
    "ready",
    "first",
    "next",
    "later",
    "before",
    "after",
    "during",
    "each",
    "every",
    "most",
    "some",
    "many",
    "few",
    "small",
    "large",
    "long",
    "short",
    "slow",
    "quick",
    "gradual",
    "steady",
    "stable",
    "evidence",
    "research",
    "guidance",
    "source",
    "sources",
    "says",
    "describes",
    "explains",
    "suggests",
    "recommends",
    "warns",
    "notes",
    "agrees",
    "differs",
    "compare",
    "compared",
    "between",
    "within",
    "without",
    "together",
    "alone",
    "person",
    "someone",
    "anyone",
    "everyone",
    "staff",
    "team",
    "key",
    "worker's",
    "plan's",
    "waiting",
    "list",
    "lists",
    "cost",
    "costs",
    "paid",
    "fund",
    "funding",
    "council",
    "area",
    "areas",
    "near",
    "travel",
    "phone",
    "online",
    "text",
    "chat",
    "email",
    "visit",
    "visits",
    "open",
    "hours",
    "evening",
    "weekend",
    "daily",
    "weekly",
    "monthly",
    "review",
    "reviewed",
    "check",
    "checks",
    "test",
    "tests",
    "urine",
    "blood",
    "liver",
    "heart",
    "breathing",
    "seizures",
    "fits",
    "shaking",
    "sweating",
    "sickness",
    "pain",
    "symptoms",
    "effects",
    "side",
    "benefit",
    "harm",
    "harms",
    "danger",
    "dangerous",
    "emergency",
    "ambulance",
];
const SYLLABLES: &[&str] = &[
    "ash", "bel", "brook", "bur", "by", "caster", "chester", "combe", "dale", "den", "don", "field", "ford", "gate",
    "ham", "har", "hurst", "ing", "ley", "low", "mar", "mere", "mill", "mouth", "ness", "nor", "port", "row", "sea",
    "shaw", "stan", "stead", "stock", "stone", "stow", "thorp", "ton", "well", "wick", "win", "wood", "worth",
];

/// A made-up place name: the long tail of rare words.
fn place(rng: &mut Rng) -> String {
    let n = 2 + rng.below(2);
    let mut name: String = (0..n).map(|_| *rng.pick(SYLLABLES)).collect();
    if let Some(first) = name.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    name
}

fn sentence(rng: &mut Rng, places: &[String], link: Option<(&str, &str)>, source: &str) -> String {
    let n = 8 + rng.below(12);
    let mut words: Vec<String> = (0..n)
        .map(|_| match rng.below(20) {
            0 => places[rng.zipf(places.len())].clone(),
            1 => rng.pick(SUBSTANCES).to_string(),
            2 => rng.pick(TREATMENTS).to_string(),
            _ => WORDS[rng.zipf(WORDS.len())].to_string(),
        })
        .collect();
    if let Some(first) = words.first_mut().and_then(|w| w.get_mut(0..1)) {
        first.make_ascii_uppercase();
    }
    let mut text = words.join(" ");
    if let Some((title, key)) = link {
        write!(text, ", as [{}](@/{key}) explains", title.to_lowercase()).ok();
    }
    if rng.below(4) == 0 {
        write!(text, " [@{source}]").ok();
    }
    text.push('.');
    text
}

/// What the generated bodies hold, printed so that the corpus can be checked against the
/// one issue 9 describes.
#[derive(Default)]
pub struct Shape {
    words: Vec<usize>,
    links: Vec<usize>,
    headings: Vec<usize>,
    lists: usize,
    tables: usize,
    code: usize,
}

impl Shape {
    pub fn report(&mut self) {
        let range = |v: &mut Vec<usize>| {
            v.sort_unstable();
            match (v.first(), v.get(v.len() / 2), v.last()) {
                (Some(lo), Some(mid), Some(hi)) => format!("{lo}-{hi} (median {mid})"),
                _ => "none".to_string(),
            }
        };
        println!(
            "bodies: words {}, headings {}, links {}; {} lists, tables on {} pages, code blocks on {} pages",
            range(&mut self.words),
            range(&mut self.headings),
            range(&mut self.links),
            self.lists,
            self.tables,
            self.code,
        );
    }
}

/// Code a guidance page might show: a service's details for a partner's directory, or the
/// helpline box for another site. Highlighted as JSON, HTML or YAML (all three highlighters
/// compared know them).
const CODE: &[(&str, &str)] = &[
    (
        "json",
        "{\n  \"service\": \"{place} drug and alcohol service\",\n  \"open\": [\"Monday\", \"Wednesday\", \"Friday\"],\n  \"referral\": \"self\",\n  \"treatments\": [\"{treatment}\", \"key working\"],\n  \"waiting_weeks\": {n},\n  \"free\": true\n}",
    ),
    (
        "html",
        "<aside class=\"helpline\">\n  <h2>Talk to someone</h2>\n  <p>Support with {treatment} in {place}.</p>\n  <p>Open {n} days a week.</p>\n  <a href=\"/services/\">Find a service</a>\n</aside>",
    ),
    (
        "yaml",
        "service: {place} recovery team\nreferral: self or GP\ntreatments:\n  - {treatment}\n  - group work\nwaiting_weeks: {n}\nfree: true",
    ),
];

/// A page body like issue 9's corpus: 500-900 words under 3-6 headings, a list or two, a
/// table on about one page in four, 2-5 links to other pages, and a highlighted code block on
/// about one page in ten.
fn page_body(rng: &mut Rng, places: &[String], pages: &[(String, String)], source: &str, shape: &mut Shape) -> String {
    let budget = 500 + rng.below(381);
    let heading_count = 3 + rng.below(4);
    let link_count = 2 + rng.below(4);
    let table_at = (rng.below(4) == 0).then(|| rng.below(heading_count));
    let code_at = (rng.below(10) == 0).then(|| rng.below(heading_count));
    // Lists first, so that their words count towards the page's.
    let lists: Vec<(usize, bool, Vec<String>)> = (0..1 + rng.below(2))
        .map(|_| {
            let items = (0..3 + rng.below(4))
                .map(|_| {
                    let text: Vec<&str> = (0..3 + rng.below(6)).map(|_| WORDS[rng.zipf(WORDS.len())]).collect();
                    text.join(" ")
                })
                .collect();
            (rng.below(heading_count), rng.below(3) == 0, items)
        })
        .collect();
    let mut words: usize = lists
        .iter()
        .flat_map(|l| &l.2)
        .map(|i| i.split_whitespace().count())
        .sum();
    // Prose as sentences under each heading, so that the links can go anywhere in it.
    let mut sections: Vec<Vec<Vec<String>>> = Vec::new();
    for h in 0..heading_count {
        let goal = budget * (h + 1) / heading_count;
        let mut paragraphs = Vec::new();
        while words < goal {
            let mut paragraph = Vec::new();
            for _ in 0..2 + rng.below(4) {
                if words >= goal && !paragraph.is_empty() {
                    break;
                }
                let sentence = sentence(rng, places, None, source);
                words += sentence.split_whitespace().count();
                paragraph.push(sentence);
            }
            paragraphs.push(paragraph);
        }
        sections.push(paragraphs);
    }
    let mut sentences: Vec<&mut String> = sections.iter_mut().flatten().flatten().collect();
    for _ in 0..link_count {
        let at = rng.below(sentences.len());
        let (key, title) = &pages[rng.below(pages.len())];
        let sentence = &mut sentences[at];
        sentence.pop();
        write!(sentence, ", as [{}](@/{key}) explains.", title.to_lowercase()).ok();
    }
    let mut body = String::new();
    for (h, paragraphs) in sections.iter().enumerate() {
        write!(body, "\n## {}\n", rng.pick(HEADINGS)).ok();
        for (p, paragraph) in paragraphs.iter().enumerate() {
            write!(body, "\n{}\n", paragraph.join(" ")).ok();
            for (_, numbered, items) in lists.iter().filter(|l| p == 0 && l.0 == h) {
                body.push('\n');
                for (n, item) in items.iter().enumerate() {
                    match numbered {
                        true => writeln!(body, "{}. {item}", n + 1),
                        false => writeln!(body, "- {item}"),
                    }
                    .ok();
                }
                shape.lists += 1;
            }
        }
        if table_at == Some(h) {
            body.push_str("\n| Option | Where | How long |\n| --- | --- | --- |\n");
            for _ in 0..3 + rng.below(3) {
                writeln!(
                    body,
                    "| {} | {} | {} weeks |",
                    rng.pick(TREATMENTS),
                    places[rng.zipf(places.len())],
                    1 + rng.below(12)
                )
                .ok();
            }
            shape.tables += 1;
        }
        if code_at == Some(h) {
            let (language, code) = rng.pick(CODE);
            let treatment = *rng.pick(TREATMENTS);
            let code = code
                .replace("{place}", &places[rng.zipf(places.len())])
                .replace("{treatment}", treatment)
                .replace("{n}", &(1 + rng.below(7)).to_string());
            write!(
                body,
                "\nThe details as a partner's directory might hold them:\n\n```{language}\n{code}\n```\n"
            )
            .ok();
            shape.code += 1;
        }
    }
    shape.words.push(words);
    shape.links.push(link_count);
    shape.headings.push(heading_count);
    body
}

fn list(values: &[String], rng: &mut Rng, max: usize) -> Vec<String> {
    let mut out: Vec<String> = (0..1 + rng.below(max)).map(|_| rng.pick(values).clone()).collect();
    out.sort();
    out.dedup();
    out
}

fn quoted(items: &[String]) -> String {
    items.iter().map(|i| format!("{i:?}")).collect::<Vec<_>>().join(", ")
}

/// Writes a site of `n` pages in `section_count` sections into `dir`, and says what shape
/// the page bodies came out.
pub fn generate(n: usize, dir: &Path, section_count: usize) -> std::io::Result<Shape> {
    let config: toml::Table = toml::from_str(SITE_TOML).map_err(std::io::Error::other)?;
    let ids = |facet: &str| -> Vec<String> {
        config["vocabularies"][facet]["values"]
            .as_array()
            .map(|values| {
                values
                    .iter()
                    .filter_map(|v| v["id"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let (types, settings, substances, access) =
        (ids("treatment_type"), ids("settings"), ids("substances"), ids("access"));
    let sources: Vec<String> = config["sources"]
        .as_array()
        .map(|s| s.iter().filter_map(|s| s["id"].as_str().map(str::to_string)).collect())
        .unwrap_or_default();

    let write = |relative: &str, text: &str| {
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, text)
    };
    write("site.toml", SITE_TOML)?;
    write(
        "content/_index.md",
        &format!(
            "+++\ntitle = \"Generated guidance\"\ndescription = \"{n} generated pages.\"\n+++\n\nA generated site for benchmarks.\n"
        ),
    )?;
    write(
        "content/browsing-safely.md",
        "+++\ntitle = \"Browsing safely\"\nsummary = \"How to leave no trace.\"\n+++\n\nUse a private window.\n",
    )?;
    let mut glossary = String::from("+++\ntitle = \"Glossary\"\nsummary = \"Words used on this site.\"\n+++\n");
    // Every term site.toml's [glossary.also] names must be a heading here.
    let also = config
        .get("glossary")
        .and_then(|g| g.get("also"))
        .and_then(toml::Value::as_table)
        .map(|t| t.keys().cloned().collect::<Vec<_>>())
        .unwrap_or_default();
    let mut terms: Vec<String> = ["Detox", "Methadone", "Naloxone", "Relapse", "Key worker", "Care plan"]
        .into_iter()
        .map(str::to_string)
        .collect();
    for term in also {
        if !terms.contains(&term) {
            terms.push(term);
        }
    }
    for term in &terms {
        write!(glossary, "\n## {term}\n\nWhat {} means here.\n", term.to_lowercase()).ok();
    }
    write("content/glossary.md", &glossary)?;
    // The pages and snippets the shipped site.toml's [emergency] line and [[rules]] name.
    write(
        "content/if-someone-has-collapsed.md",
        "+++\ntitle = \"If someone has collapsed\"\nsummary = \"Call 999.\"\n+++\n\nCall 999.\n",
    )?;
    for snippet in ["opioid-overdose", "tolerance"] {
        write(
            &format!("content/_snippets/{snippet}.md"),
            "Call 999 in an emergency.\n",
        )?;
    }

    let mut rng = Rng(n as u64);
    let places: Vec<String> = (0..(n / 3).max(50)).map(|_| place(&mut rng)).collect();
    let sections: Vec<String> = (0..section_count).map(|s| format!("area-{s:03}")).collect();
    // Every page's key and title first, so that pages can link to any other.
    let pages: Vec<(String, String)> = (0..n)
        .map(|i| {
            let title = format!(
                "{} {} for {} in {}",
                rng.pick(QUALIFIERS),
                rng.pick(TREATMENTS),
                rng.pick(SUBSTANCES),
                places[rng.zipf(places.len())]
            );
            (format!("{}/page-{i:05}.md", sections[i % section_count]), title)
        })
        .collect();
    for (s, section) in sections.iter().enumerate() {
        let place = &places[s % places.len()];
        write(
            &format!("content/{section}/_index.md"),
            &format!(
                "+++\ntitle = \"Services in {place} ({s})\"\ndescription = \"Treatment and support in and around {place}.\"\nguidance = true\nweight = {s}\n+++\n\nWhat is on offer in {place}.\n"
            ),
        )?;
    }
    let mut shape = Shape::default();
    for (i, (key, title)) in pages.iter().enumerate() {
        let source = rng.pick(&sources).clone();
        let body = page_body(&mut rng, &places, &pages, &source, &mut shape);
        let short = |rng: &mut Rng| sentence(rng, &places, None, &source).replace(&format!(" [@{source}]"), "");
        let pros: Vec<String> = (0..2).map(|_| short(&mut rng)).collect();
        let cons: Vec<String> = (0..2).map(|_| short(&mut rng)).collect();
        let suits = vec![short(&mut rng)];
        let related: Vec<String> = (0..2)
            .map(|_| format!("@/{}", pages[rng.below(n)].0))
            .filter(|r| r != &format!("@/{key}"))
            .collect();
        let front = format!(
            "+++\ntitle = {title:?}\nsummary = {summary:?}\nweight = {i}\ntreatment_type = {tt:?}\nsettings = [{settings}]\nsubstances = [{substances}]\naccess = [{access}]\npros = [{pros}]\ncons = [{cons}]\nsuits = [{suits}]\nnot_suited = [{suits}]\nduration = \"{weeks} weeks\"\nsources = [{source:?}]\nrelated = [{related}]\nlast_reviewed = 2026-0{m}-1{d}\nnext_review = 2028-0{m}-1{d}\n+++\n",
            summary = short(&mut rng),
            tt = rng.pick(&types),
            settings = quoted(&list(&settings, &mut rng, 3)),
            substances = quoted(&list(&substances, &mut rng, 2)),
            access = quoted(&list(&access, &mut rng, 2)),
            pros = quoted(&pros),
            cons = quoted(&cons),
            suits = quoted(&suits),
            weeks = 1 + rng.below(12),
            related = quoted(&related),
            m = 1 + rng.below(9),
            d = rng.below(10),
        );
        write(&format!("content/{key}"), &format!("{front}{body}"))?;
    }
    Ok(shape)
}
