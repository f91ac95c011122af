#!/usr/bin/env bash
# Times `hugo server` (Debian's `hugo` package) on the same edits as scripts/serve-bench.py
# times `signpost serve`, on a copy of a generated corpus, on tmpfs: the comparison in
# docs/benchmarks.md.
#
#   scripts/hugo-serve-bench.sh /tmp/s10k [EDITS] [--disableFastRender]
#
# The Hugo site uses the minimal templates in scripts/hugo-compare/ (pages, section lists,
# one taxonomy per facet, related pages); its content is copied, since Hugo does not watch
# through a symbolic link.
set -euo pipefail
site=${1:?usage: hugo-serve-bench.sh SITE_DIR [EDITS] [--disableFastRender]}
shift
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /dev/shm/hugo-serve.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp -r "$here/hugo-compare/." "$work/"
cp -r "$site/content" "$work/content"
python3 "$here/serve-bench.py" hugo "$work" "$@"
