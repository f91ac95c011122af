#!/usr/bin/env python3
"""Times `signpost serve` from a file save to the rebuilt page being served.

Usage: serve-bench.py SIGNPOST_BINARY SITE_DIR [EDITS] [-v]
       serve-bench.py hugo HUGO_SITE_DIR [EDITS] [-v] [--disableFastRender]

The second form times `hugo server` on the same kind of edits (scripts/hugo-serve-bench.sh
sets the Hugo site up); Hugo makes no A–Z or comparison table, so "lists" is not timed.

With -v, prints each edit's time and the server's own lines.

Starts the dev server on the site, then for each edit appends a unique marker to one page's
body (a body-only edit) or changes its title (a title edit, which touches lists), and polls the
page over HTTP until the marker is served (for a title edit, on the page and on its section's
list; then, timed separately as "lists", on the A–Z and in the comparison table's data; for a
body edit, timed as "search", until the search index's shard for the marker holds it).
Prints the median and worst time of each kind.
"""
import bisect
import glob
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request


def main():
    binary, site = sys.argv[1], sys.argv[2]
    edits = int(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3].isdigit() else 20
    hugo = os.path.basename(binary) == "hugo"
    if hugo:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        command = [binary, "server", "--source", site, "--bind", "127.0.0.1", "--port", str(port),
                   "--baseURL", f"http://127.0.0.1:{port}/"]
        command += [a for a in sys.argv if a == "--disableFastRender"]
        ready = r"Web Server is available at (http://\S+)"
    else:
        command = [binary, "serve", "--root", site, "--port", "0"]
        ready = r"Serving at (http://\S+)"
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        base = None
        for line in server.stdout:
            match = re.search(ready, line)
            if match:
                base = match.group(1)
                break
        # Keep reading the server's lines (one per rebuild) so that its output never blocks.
        log = []
        threading.Thread(target=lambda: log.extend(server.stdout), daemon=True).start()
        pages = sorted(glob.glob(os.path.join(site, "content", "*", "*.md")))
        pages = [p for p in pages if not p.endswith("_index.md")]
        results = {"body": [], "title": [], "lists": [], "search": []}
        for kind in ("body", "title"):
            for n in range(edits):
                path = pages[(n * 7919) % len(pages)]
                rel = os.path.relpath(path, os.path.join(site, "content"))[:-3] + "/"
                url = base.rstrip("/") + "/" + rel
                original = open(path, encoding="utf-8").read()
                marker = f"bench{kind}{n}x{time.time_ns()}"
                if kind == "body":
                    edited = original + f"\n{marker}\n"
                else:
                    edited = re.sub(r'^title = "', f'title = "{marker} ', original, count=1, flags=re.M)
                # A title shows on the page and in its section's list.
                section = base.rstrip("/") + "/" + rel.rsplit("/", 2)[0] + "/"
                waiting = [url] if kind == "body" else [url, section]
                started = time.perf_counter()
                with open(path, "w", encoding="utf-8") as f:
                    f.write(edited)
                while waiting:
                    try:
                        body = urllib.request.urlopen(waiting[0], timeout=30).read().decode("utf-8", "replace")
                    except Exception:
                        body = ""
                    if marker in body:
                        waiting.pop(0)
                        continue
                    if time.perf_counter() - started > 120:
                        raise SystemExit(f"timed out waiting for {waiting[0]}")
                    time.sleep(0.002)
                results[kind].append((time.perf_counter() - started) * 1000)
                if "-v" in sys.argv:
                    print(f"{kind} edit {n}: {results[kind][-1]:.0f} ms ({rel})", flush=True)
                if kind == "body" and not hugo:
                    while not indexed(base, marker):
                        if time.perf_counter() - started > 120:
                            raise SystemExit(f"timed out waiting for {marker} in the search index")
                        time.sleep(0.01)
                    results["search"].append((time.perf_counter() - started) * 1000)
                if kind == "title" and not hugo:
                    # The long lists: polled less often, as they are big.
                    for target in ("a-z/", "compare/matrix.json"):
                        target = base.rstrip("/") + "/" + target
                        while marker not in urllib.request.urlopen(target, timeout=30).read().decode("utf-8", "replace"):
                            if time.perf_counter() - started > 120:
                                raise SystemExit(f"timed out waiting for {target}")
                            time.sleep(0.02)
                    results["lists"].append((time.perf_counter() - started) * 1000)
                with open(path, "w", encoding="utf-8") as f:
                    f.write(original)
                time.sleep(1.0)
        for kind, times in results.items():
            if not times:
                continue
            print(f"{kind:5} edit: median {statistics.median(times):.0f} ms, worst {max(times):.0f} ms over {len(times)} edits")
        if "-v" in sys.argv:
            print("".join(log))
    finally:
        server.kill()


def indexed(base, marker):
    """Whether the search shard that would hold `marker` holds it (docs/search.md)."""
    root = base.rstrip("/") + "/search/"
    manifest = json.loads(urllib.request.urlopen(root + "manifest.json", timeout=30).read())
    shard = max(bisect.bisect_right(manifest["shards"], marker) - 1, 0)
    name = "s" + manifest["ids"]["s"][shard * 7:shard * 7 + 7] + ".bin"
    try:
        shard = urllib.request.urlopen(root + name, timeout=30).read()
    except urllib.error.HTTPError:
        return False  # replaced between the two requests
    # Words are front-coded: the tail of the marker (a time in nanoseconds) is stored as it is.
    return marker[-8:].encode() in shard


if __name__ == "__main__":
    main()
