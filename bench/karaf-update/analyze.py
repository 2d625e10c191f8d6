#!/usr/bin/env python3
"""Turns the output of the bench:mark commands written by bench/karaf-update.sh
into per-swap figures and a Markdown summary.

Input lines (all times are System.nanoTime() of the Karaf JVM):
  MARK <label> <ns> ok=N nosvc=N threw=N act=N deact=N loaders=N bound=BSN#ID
  GAP <start-ns> <end-ns> <no-service calls> <calls that threw> <thread-id>
  OPEN <start-ns> <thread-id>
  EVT bind|unbind <ns> <bsn#id>
  ERR <exception class> <count>

Usage: analyze.py OUTPUT_FILE SWAPS WARMUP CALIBRATIONS CSV_OUT
Exit status 0 when every swap was measured and ended bound to the expected
implementation with the load running, 1 otherwise (figures are printed anyway).
"""
import math
import re
import sys

MARK_RE = re.compile(r"^MARK (\S+) (\d+) (.*)$")


def pct(values, q):
    """Nearest-rank percentile."""
    if not values:
        return float("nan")
    s = sorted(values)
    return s[max(0, math.ceil(q * len(s)) - 1)]


def fmt(x, unit=""):
    if isinstance(x, float):
        if math.isnan(x):
            return "n/a"
        return f"{x:.1f}{unit}"
    return f"{x}{unit}"


def main():
    path, swaps, warmup, cals, csv_out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    marks = {}
    gaps, opens, events, errors = [], [], [], {}
    open_at = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        last_label = None
        for raw in f:
            line = re.sub(r"\x1b\[[0-9;]*m", "", raw).strip()
            m = MARK_RE.match(line)
            if m:
                label, ns, rest = m.group(1), int(m.group(2)), m.group(3)
                kv = dict(p.split("=", 1) for p in rest.split() if "=" in p)
                rec = {"t": ns}
                for k in ("ok", "nosvc", "threw", "act", "deact", "loaders"):
                    rec[k] = int(kv.get(k, "0"))
                rec["bound"] = kv.get("bound", "?")
                marks[label] = rec
                last_label = label
                open_at[label] = []
                continue
            p = line.split()
            if not p:
                continue
            if p[0] == "GAP" and len(p) >= 6:
                gaps.append(tuple(int(x) for x in p[1:6]))
            elif p[0] == "OPEN" and len(p) >= 3 and last_label:
                open_at[last_label].append(int(p[1]))
            elif p[0] == "EVT" and len(p) >= 4:
                events.append((p[1], int(p[2]), p[3]))
            elif p[0] == "ERR" and len(p) >= 3:
                errors[p[1]] = int(p[2])

    problems = []
    cal = []
    for i in range(1, cals + 1):
        a, b = marks.get(f"cal-pre-{i}"), marks.get(f"cal-post-{i}")
        if a and b:
            cal.append((b["t"] - a["t"]) / 1e6)

    rows = []
    total = warmup + swaps
    for i in range(1, total + 1):
        pre, post, settle = marks.get(f"pre-{i}"), marks.get(f"post-{i}"), marks.get(f"settle-{i}")
        if not (pre and post and settle):
            problems.append(f"swap {i}: marks missing (bundle:update failed or the session ended early)")
            break
        lo, hi = pre["t"], settle["t"]
        mine = [g for g in gaps if lo <= g[1] <= hi or lo <= g[0] <= hi]
        evs = [e for e in events if lo <= e[1] <= hi]
        unb = [e[1] for e in evs if e[0] == "unbind"]
        bnd = [e[1] for e in evs if e[0] == "bind"]
        scr_window = (min(bnd) - min(unb)) / 1e6 if unb and bnd and min(bnd) > min(unb) else float("nan")
        target = "it.greeter.b" if i % 2 == 1 else "it.greeter.a"
        row = {
            "swap": i,
            "warmup": i <= warmup,
            "to": target,
            "update_ms": (post["t"] - pre["t"]) / 1e6,
            "gap_ms": max(((g[1] - g[0]) / 1e6 for g in mine), default=0.0),
            "gap_sum_ms": sum((g[1] - g[0]) / 1e6 for g in mine),
            "gaps": len(mine),
            "scr_ms": scr_window,
            "unbinds": len(unb),
            "binds": len(bnd),
            # > 0: the consumer got a working service back only after bundle:update returned
            "rebind_after_return_ms": max(((g[1] - post["t"]) / 1e6 for g in mine), default=float("nan")),
            "failed": (settle["nosvc"] + settle["threw"]) - (pre["nosvc"] + pre["threw"]),
            "nosvc": settle["nosvc"] - pre["nosvc"],
            "threw": settle["threw"] - pre["threw"],
            "ok": settle["ok"] - pre["ok"],
            "activations": settle["act"] - pre["act"],
            "loaders": settle["loaders"] - pre["loaders"],
            "bound": settle["bound"],
            "open": len(open_at.get(f"settle-{i}", [])),
        }
        if not row["bound"].startswith(target + "#"):
            problems.append(f"swap {i}: consumer bound to {row['bound']} after settling, expected {target}")
        if row["open"]:
            problems.append(f"swap {i}: {row['open']} load thread(s) still without a working service after settling")
        rows.append(row)

    with open(csv_out, "w", encoding="utf-8") as f:
        keys = list(rows[0].keys()) if rows else ["swap"]
        f.write(",".join(keys) + "\n")
        for r in rows:
            f.write(",".join(str(r[k]) for k in keys) + "\n")

    meas = [r for r in rows if not r["warmup"]]
    begin, end = marks.get("begin"), marks.get("end")

    def col(k):
        return [r[k] for r in meas if not (isinstance(r[k], float) and math.isnan(r[k]))]

    print(f"Measured swaps: {len(meas)} of {swaps} (after {warmup} warm-up swaps, not counted)")
    print()
    print("| per swap | p50 | p99 | max | min |")
    print("|---|---:|---:|---:|---:|")
    for k, label, unit in (
        ("update_ms", "bundle:update duration, inside Karaf (ms)", ""),
        ("gap_ms", "consumer without a working service, longest outage (ms)", ""),
        ("scr_ms", "SCR unbind(old) -> bind(new) (ms)", ""),
        ("rebind_after_return_ms", "working service back after bundle:update returned (ms, <0 = before)", ""),
        ("failed", "failed calls (no service + threw)", ""),
        ("gaps", "outages per swap", ""),
    ):
        v = col(k)
        if v:
            print(f"| {label} | {fmt(pct(v, .5))} | {fmt(pct(v, .99))} | {fmt(max(v))} | {fmt(min(v))} |")
    if cal:
        print(f"| calibration: bench:mark -> bench:mark, nothing between (ms) | {fmt(pct(cal, .5))} | "
              f"{fmt(pct(cal, .99))} | {fmt(max(cal))} | {fmt(min(cal))} |")
    print()
    tot_failed = sum(r["failed"] for r in meas)
    tot_nosvc = sum(r["nosvc"] for r in meas)
    tot_threw = sum(r["threw"] for r in meas)
    tot_ok = sum(r["ok"] for r in meas)
    calls = tot_ok + tot_failed
    print(f"Totals over the measured swaps: {calls:,} calls, {tot_failed:,} failed "
          f"({tot_nosvc:,} found no service, {tot_threw:,} threw; "
          f"{(100.0 * tot_failed / calls) if calls else 0:.3f} %); "
          f"{sum(1 for r in meas if r['failed'] > 0)} of {len(meas)} swaps had failed calls; "
          f"outage time summed {sum(r['gap_sum_ms'] for r in meas):.1f} ms")
    unseen = [r["swap"] for r in meas if r["gaps"] == 0 and r["unbinds"]]
    if unseen:
        print(f"Swaps whose unbind->bind window the load thread did not observe (it made no call meanwhile, "
              f"e.g. descheduled): {len(unseen)} ({', '.join(map(str, unseen[:10]))}{' ...' if len(unseen) > 10 else ''})")
    if errors:
        print("Exceptions seen by the load (whole run): " + ", ".join(f"{k} x{v:,}" for k, v in errors.items()))
    acts = sum(r["activations"] for r in meas)
    loaders = sum(r["loaders"] for r in meas)
    if begin and end:
        print(f"Consumer component: activations {begin['act']} at start -> {end['act']} at end "
              f"({acts} during measured swaps); class loaders {begin['loaders']} -> {end['loaders']} "
              f"=> consumer bundle {'WAS' if (end['act'] > begin['act'] or end['loaders'] > begin['loaders']) else 'was NOT'} "
              f"restarted/refreshed by the swaps")
        el = (end["t"] - begin["t"]) / 1e9
        wf = (end["nosvc"] + end["threw"]) - (begin["nosvc"] + begin["threw"])
        print(f"Whole run incl. warm-up and calibration: {end['ok'] - begin['ok']:,} good calls, {wf:,} failed, "
              f"in {el:.1f} s ({(end['ok'] - begin['ok']) / el / 1e6:.1f} M good calls/s)")
    else:
        problems.append("begin/end marks missing")
    if problems:
        print()
        print("PROBLEMS:")
        for p in problems:
            print(f"- {p}")
    return 1 if problems or len(meas) < swaps else 0


if __name__ == "__main__":
    sys.exit(main())
