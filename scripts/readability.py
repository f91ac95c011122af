#!/usr/bin/env python3
"""Print the Flesch reading-ease score of every page in content/, and the site's median.

Usage: scripts/readability.py [CONTENT_DIR]

CONTENT_DIR defaults to the content/ folder beside this script's parent folder. For each
content/**/*.md file the script reads the body text only: it drops the TOML front matter
(between the two +++ lines), code blocks, HTML tags, citations such as [@types-of-treatment],
link and image URLs (keeping the link text), heading and list markers, emphasis and table pipes.

Flesch reading ease = 206.835 - 1.015 * (words / sentences) - 84.6 * (syllables / words).
Higher is easier: 60-70 is plain English, 70-80 fairly easy, 80-90 easy (about age 11).
Syllables are estimated by counting groups of vowels, so figures are a guide, not a verdict.
Headings, list items and table rows count as sentences of their own, because they are read
as separate lines. Tokens with no letters (numbers, phone numbers) are not counted as words.

Standard library only.
"""
import pathlib
import re
import statistics
import sys

FRONT_MATTER = re.compile(r"\A\s*\+\+\+.*?^\+\+\+[ \t]*$", re.S | re.M)
FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.S | re.M)
HTML_TAG = re.compile(r"<[^>]+>")
CITATION = re.compile(r"\s*\[@[^\]]*\]")
IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
REF_LINK = re.compile(r"\[([^\]]*)\]\[[^\]]*\]")
LINK_DEF = re.compile(r"^\s*\[[^\]]+\]:\s*\S+.*$", re.M)
BARE_URL = re.compile(r"https?://\S+|www\.\S+")
HEADING_ATTR = re.compile(r"\s*\{#[^}]*\}\s*$", re.M)
HEADING = re.compile(r"^\s{0,3}#{1,6}\s*", re.M)
BLOCKQUOTE = re.compile(r"^\s*>\s?", re.M)
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+", re.M)
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$", re.M)
EMPHASIS = re.compile(r"[*_`~]+")

WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*")
VOWELS = re.compile(r"[aeiouy]+")
SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")


def body_text(markdown):
    """The readable text of a page: front matter, markup, URLs and citations removed."""
    text = FRONT_MATTER.sub("", markdown, count=1)
    text = FENCE.sub("", text)
    text = HTML_TAG.sub(" ", text)
    text = CITATION.sub("", text)
    text = IMAGE.sub(r"\1", text)
    text = LINK.sub(r"\1", text)
    text = REF_LINK.sub(r"\1", text)
    text = LINK_DEF.sub("", text)
    text = BARE_URL.sub("", text)
    text = HEADING_ATTR.sub("", text)
    text = TABLE_RULE.sub("", text)
    text = BLOCKQUOTE.sub("", text)
    # A heading, list item or table cell is read as a line of its own: end it like a sentence.
    lines = []
    for line in text.splitlines():
        is_block = bool(HEADING.match(line) or LIST_ITEM.match(line) or "|" in line)
        line = HEADING.sub("", line)
        line = LIST_ITEM.sub("", line)
        if "|" in line:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            line = " ".join(c if re.search(r"[.!?]$", c) else c + "." for c in cells if c)
        line = EMPHASIS.sub("", line).strip()
        if is_block and line and not re.search(r"[.!?:;]$", line):
            line += "."
        lines.append(line)
    return "\n".join(lines)


def syllables(word):
    """Estimate a word's syllables from its groups of vowels."""
    w = word.lower().replace("\u2019", "'").strip("'-")
    if not w:
        return 0
    count = 0
    for part in re.split(r"[-']", w):
        if not part:
            continue
        n = len(VOWELS.findall(part))
        # A silent final e ("care", "home"), but not "-le" after a consonant ("able").
        if part.endswith("e") and not part.endswith(("le", "ee", "ye")) and n > 1:
            n -= 1
        elif part.endswith("le") and len(part) > 2 and part[-3] in "aeiouy" and n > 1:
            n -= 1
        # "-ed" is usually silent unless after t or d ("used", but "needed").
        if part.endswith("ed") and len(part) > 3 and part[-3] not in "td" and n > 1:
            n -= 1
        count += max(n, 1)
    return max(count, 1)


def counts(text):
    """(sentences, words, syllables) in plain text."""
    words = WORD.findall(text)
    # Paragraphs end sentences too, so count each non-empty paragraph without end punctuation.
    sentences = 0
    for para in re.split(r"\n\s*\n|\n", text):
        para = para.strip()
        if not WORD.search(para):
            continue
        n = len(SENTENCE_END.findall(para))
        if not re.search(r"[.!?:;]\W*$", para):
            n += 1
        sentences += max(n, 1)
    return sentences, len(words), sum(syllables(w) for w in words)


def flesch(sentences, words, syls):
    return 206.835 - 1.015 * (words / sentences) - 84.6 * (syls / words)


def main(argv):
    if argv:
        content = pathlib.Path(argv[0])
    else:
        content = pathlib.Path(__file__).resolve().parent.parent / "content"
    if not content.is_dir():
        print(f"readability: no folder {content}", file=sys.stderr)
        return 2
    scores = []
    print(f"{'score':>6} {'words':>6} {'w/sent':>6}  page")
    for page in sorted(content.rglob("*.md")):
        text = body_text(page.read_text(encoding="utf-8", errors="replace"))
        s, w, y = counts(text)
        name = page.relative_to(content).as_posix()
        if w == 0:
            print(f"{'-':>6} {0:>6} {'-':>6}  {name} (no body text)")
            continue
        score = flesch(s, w, y)
        scores.append(score)
        print(f"{score:6.1f} {w:6d} {w / s:6.1f}  {name}")
    if not scores:
        print("no pages with body text")
        return 1
    print(f"median Flesch reading ease over {len(scores)} pages: {statistics.median(scores):.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
