#!/usr/bin/env python3
"""A Markdown table of medians from the peer kit's logs (one JSON line and one `time -v` block
per run, as its bench.sh writes them), with the ratio of delimit to each other engine reading
the same input format.

usage: table.py RESULTS_DIR EXPECTED_JSON TITLE VARIANT...
"""
import json, os, re, statistics, sys

LABELS = {
    "delimit-csv": "delimit batch, CSV, three-valued (bit planes compiled from the law)",
    "delimit-jsonl": "delimit batch, JSON Lines, three-valued (bit planes compiled from the law)",
    "rust-csv-bool": "hand-written Rust, CSV, boolean",
    "rust-jsonl-bool": "hand-written Rust, JSON Lines, boolean",
    "rust-csv-kleene-bits": "hand-written Rust, CSV, three-valued as two bit planes",
    "rust-jsonl-kleene-bits": "hand-written Rust, JSON Lines, three-valued as two bit planes",
    "rust-csv-kleene": "hand-written Rust, CSV, three-valued as Option<bool> + match",
    "rust-jsonl-kleene": "hand-written Rust, JSON Lines, three-valued as Option<bool> + match",
    "openfisca": "OpenFisca 46 (numpy, vectorised), CSV, boolean",
    "zen-rust-expr": "GoRules ZEN crate, expression node, JSON Lines, boolean",
    "zen-rust-table": "GoRules ZEN crate, decision tables, JSON Lines, boolean",
}


def fmt(x):
    if x != x:
        return "n/a"
    if x >= 1e9:
        return f"{x / 1e9:.3g} G"
    if x >= 1e6:
        return f"{x / 1e6:.3g} M"
    if x >= 1e3:
        return f"{x / 1e3:.3g} k"
    return f"{x:.3g}"


def hms(s):  # "0:01.23" or "1:02:03"
    return sum(float(p) * 60 ** i for i, p in enumerate(reversed(s.split(":"))))


def stats(path, want):
    txt = open(path).read()
    walls = [hms(m) for m in re.findall(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", txt)]
    rss = [int(m) / 1024 for m in re.findall(r"Maximum resident set size \(kbytes\): (\d+)", txt)]
    js = [json.loads(l) for l in txt.splitlines() if l.startswith("{")]
    n = js[0]["n"] if js else float("nan")
    wall = statistics.median(walls) if walls else float("nan")
    return {
        "runs": len(walls),
        "whole": n / wall if walls else float("nan"),
        "eval": statistics.median(j["eval_rps"] for j in js) if js else float("nan"),
        "rss": statistics.median(rss) if rss else float("nan"),
        "ok": bool(js) and all(j["counts"] == want for j in js),
    }


def main():
    results, expected, title, variants = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    exp = json.load(open(expected))
    want = {k: v["true"] for k, v in exp["counts"].items()}
    rows = {}
    for v in variants:
        path = os.path.join(results, v + ".log")
        if os.path.exists(path):
            rows[v] = stats(path, want)
    print(f"**{title}** ({exp['n']:,} cases)")
    print()
    print("| engine | runs | whole process, cases/s | evaluation only, cases/s | peak memory | counts as expected.json | delimit ÷ engine, whole process | delimit ÷ engine, evaluation |")
    print("|---|---|---|---|---|---|---|---|")
    for v, s in rows.items():
        fmt_ = "jsonl" if "jsonl" in v or v.startswith("zen") else "csv"
        ours = rows.get(f"delimit-{fmt_}")
        if v.startswith("delimit") or not ours:
            r_whole = r_eval = "—"
        else:
            r_whole = f"{ours['whole'] / s['whole']:.2f}×"
            r_eval = f"{ours['eval'] / s['eval']:.2f}×"
        print(f"| {LABELS.get(v, v)} | {s['runs']} | {fmt(s['whole'])} | {fmt(s['eval'])} | {s['rss']:.0f} MiB | "
              f"{'yes' if s['ok'] else 'no'} | {r_whole} | {r_eval} |")


if __name__ == "__main__":
    main()
