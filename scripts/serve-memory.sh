#!/usr/bin/env bash
# The dev server's memory on a site: resident set once the first build is served, then after
# five body edits and a title edit to one page (each seen by the watcher), as in
# docs/benchmarks.md. The site is copied to a scratch folder first; nothing of SITE changes.
#
#   scripts/serve-memory.sh SIGNPOST_BINARY SITE_DIR [PAGE.md under content/] [PORT]
set -euo pipefail
binary=${1:?usage: serve-memory.sh SIGNPOST_BINARY SITE_DIR [PAGE] [PORT]}
site=${2:?usage: serve-memory.sh SIGNPOST_BINARY SITE_DIR [PAGE] [PORT]}
page=${3:-area-003/page-00523.md}
port=${4:-4481}
work=$(mktemp -d)
server=
cleanup() {
  [ -z "$server" ] || kill "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
cp -r "$site/." "$work/"
"$binary" serve --root "$work" --port "$port" > "$work/.serve.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do
  curl -s -o /dev/null "http://127.0.0.1:$port/" && break
  sleep 0.5
done
memory() {
  printf '%-28s %s, peak %s\n' "$1:" \
    "$(awk '/VmRSS/ {printf "%d MiB", $2 / 1024}' "/proc/$server/status")" \
    "$(awk '/VmHWM/ {printf "%d MiB", $2 / 1024}' "/proc/$server/status")"
}
# Long enough for freed pages to go back to the system after a build (jemalloc's decay is 10 s).
sleep 15
memory "first build served"
file="$work/content/$page"
for n in 1 2 3 4 5; do
  printf '\nA line added by serve-memory.sh (%s).\n' "$n" >> "$file"
  sleep 3
done
sed -i '0,/^title = "/s//title = "Zz /' "$file"
sleep 15
memory "after six edits"
