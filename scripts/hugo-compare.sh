#!/usr/bin/env bash
# Builds the same generated corpus with Signpost and with Hugo (Debian's `hugo` package),
# side by side with hyperfine, output on tmpfs: the comparison in docs/benchmarks.md.
#
#   scripts/hugo-compare.sh /tmp/c10k [RUNS]
#
# The Hugo site shares the corpus's content/ folder (Signpost's TOML front matter is Hugo's
# too) and uses the minimal templates in scripts/hugo-compare/ (pages, section lists, one
# taxonomy per facet, related pages, sitemap, RSS). Hugo builds no search index and no
# comparison table, so Signpost does more work in these runs.
set -euo pipefail
site=${1:?usage: hugo-compare.sh SITE_DIR [RUNS]}
runs=${2:-5}
here=$(cd "$(dirname "$0")" && pwd)
signpost=${SIGNPOST:-$here/../target/release/signpost}
work=$(mktemp -d /dev/shm/hugo-compare.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/hugo"
cp -r "$here/hugo-compare/." "$work/hugo/"
ln -s "$(cd "$site" && pwd)/content" "$work/hugo/content"
hyperfine --warmup 1 --runs "$runs" --export-markdown "$work/table.md" \
  -n signpost "$signpost build --root $site --output $work/signpost-out" \
  -n hugo "hugo --quiet --source $work/hugo --destination $work/hugo-out"
cat "$work/table.md"
for tool in signpost hugo; do
  if [ "$tool" = signpost ]; then
    cmd=("$signpost" build --root "$site" --output "$work/signpost-out")
  else
    cmd=(hugo --quiet --source "$work/hugo" --destination "$work/hugo-out")
  fi
  /usr/bin/time -f "$tool: %e s wall, %M KB peak RSS, %P CPU" "${cmd[@]}" > /dev/null
done
