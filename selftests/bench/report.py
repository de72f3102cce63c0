#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the guest's BENCH lines into the bench report.

    report.py LOG OUT.md [--chart OUT.png] [--command CMD] [--kernel ABI]

LOG is the guest's test output (selftests/vm/bench/run writes one line per
measurement: "BENCH backing=.. job=.. dev=.. rep=.. iops=.. cpu_us=..
fio_sys=.. dio=.."; lines starting with "# " describe the run).  For every
backing and job it reports the median IOPS of the repetitions with their
range, the guest CPU time per I/O, the ratios to dm-ebs and to the raw
device taken from the same run, then checks the targets the project set
itself and says which are missed.  Exit status 0 even when a target is
missed (the report says so); 1 when the log has no measurements.
"""

import argparse
import re
import statistics
import subprocess
import sys

DEVICES = ["raw", "linear", "sectoremu", "dm-ebs", "loop"]
COLOURS = {"raw": "#7f7f7f", "linear": "#2ca02c", "sectoremu": "#1f77b4", "dm-ebs": "#d62728", "loop": "#ff7f0e"}
BACKINGS = {
    "nullb-latency": "null_blk, 2 ms completions (latency-bound, hardware-like)",
    "nullb-cpu": "null_blk, 100 us completions (CPU-bound)",
    "nvme": "QEMU NVMe, 4096-byte LBAs",
}
# The raw device only takes 4K I/O: each 512-byte job is compared with the
# raw job of the same direction and depth.
RAW_REFERENCE = {
    "512-randread-qd32": "4k-randread-qd32",
    "512-randwrite-qd32": "4k-randwrite-qd32",
}


def summarise_failures(info):
    """One line per device for the guest's "<dev> <job>: fio failed: .."
    notes instead of one per measurement."""
    failed, out = {}, []
    for line in info:
        m = re.match(r"(\S+) (\S+): fio failed: (.*)$", line)
        if not m:
            out.append(line)
            continue
        dev, job, msg = m.groups()
        if dev not in failed:
            failed[dev] = ([], 0, msg)
            out.append(dev)
        jobs, n, first = failed[dev]
        if job not in jobs:
            jobs.append(job)
        failed[dev] = (jobs, n + 1, first)
    for i, line in enumerate(out):
        if line in failed:
            jobs, n, first = failed[line]
            out[i] = (f"{line}: fio failed {n} time{'s' if n > 1 else ''}, "
                      f"jobs {', '.join(jobs)}; first: {first}")
    return out


def parse(path):
    runs, info, errors = [], [], set()
    with open(path, errors="replace") as f:
        for line in f:
            line = re.sub(r"^\[vm [^]]*\] ", "", line.rstrip("\r\n"))
            if line.startswith("BENCH "):
                fields = dict(kv.split("=", 1) for kv in line.split()[1:])
                if fields.get("error"):
                    errors.add((fields["backing"], fields["job"], fields["dev"]))
                    continue
                for k in ("iops", "cpu_us", "fio_sys"):
                    fields[k] = float(fields[k])
                runs.append(fields)
            elif (line.startswith("# ") and not line.startswith("# MISMATCH")
                  and not line.startswith("# perf ")):
                info.append(line[2:])
    return runs, summarise_failures(info), errors


class Results:
    def __init__(self, runs, errors=()):
        self.errors = set(errors)
        self.cells = {}
        self.order = []
        for r in runs:
            key = (r["backing"], r["job"], r["dev"])
            self.cells.setdefault(key, []).append(r)
            if (r["backing"], r["job"]) not in self.order:
                self.order.append((r["backing"], r["job"]))

    def iops(self, backing, job, dev):
        c = self.cells.get((backing, job, dev))
        return statistics.median(r["iops"] for r in c) if c else None

    def cpu(self, backing, job, dev):
        c = self.cells.get((backing, job, dev))
        return statistics.median(r["cpu_us"] for r in c) if c else None

    def range(self, backing, job, dev):
        c = self.cells.get((backing, job, dev))
        v = [r["iops"] for r in c]
        return min(v), max(v), len(v)

    def dio(self, backing, job, dev):
        c = self.cells.get((backing, job, dev)) or []
        return {r["dio"] for r in c}

    def jobs(self, backing):
        return [j for b, j in self.order if b == backing]

    def backings(self):
        seen = []
        for b, _ in self.order:
            if b not in seen:
                seen.append(b)
        return seen


def ratio(a, b):
    return a / b if a is not None and b else None


def fmt_ratio(x):
    return "-" if x is None else f"{x:.2f}x"


def table(res, backing):
    out = ["| job | " + " | ".join(DEVICES) +
           " | sectoremu / dm-ebs | sectoremu / raw | CPU us per I/O (sectoremu, dm-ebs, loop) |",
           "|---" * (len(DEVICES) + 4) + "|"]
    for job in res.jobs(backing):
        cols = []
        for dev in DEVICES:
            m = res.iops(backing, job, dev)
            failed = (backing, job, dev) in res.errors
            if m is None:
                cols.append("**I/O errors**" if failed else "-")
                continue
            lo, hi, n = res.range(backing, job, dev)
            cell = f"{m:,.0f} ({lo:,.0f}-{hi:,.0f})" if n > 1 else f"{m:,.0f}"
            if failed:
                cell += " **I/O errors in some runs**"
            if dev == "loop" and "0" in res.dio(backing, job, dev):
                cell += " (dio off)"
            cols.append(cell)
        se = res.iops(backing, job, "sectoremu")
        raw_job = RAW_REFERENCE.get(job, job)
        cpu = [res.cpu(backing, job, d) for d in ("sectoremu", "dm-ebs", "loop")]
        out.append(f"| {job} | " + " | ".join(cols) + " | " +
                   fmt_ratio(ratio(se, res.iops(backing, job, "dm-ebs"))) + " | " +
                   fmt_ratio(ratio(se, res.iops(backing, raw_job, "raw"))) + " | " +
                   ", ".join("-" if c is None else f"{c:.0f}" for c in cpu) + " |")
    return out


def targets(res):
    """(description, value, limit, control) for every target that can be
    evaluated; control is dm-linear's ratio for the passthrough targets."""
    t = []

    def add(desc, num, den, limit, control=None):
        r = ratio(num, den)
        if r is not None:
            t.append((desc, r, limit, control))

    lat, cpu = "nullb-latency", "nullb-cpu"
    se, ebs, raw = "sectoremu", "dm-ebs", "raw"
    add("latency: 512 B randwrite QD32 vs dm-ebs",
        res.iops(lat, "512-randwrite-qd32", se), res.iops(lat, "512-randwrite-qd32", ebs), 10)
    add("latency: 512 B randwrite QD32 vs raw 4K randwrite QD32",
        res.iops(lat, "512-randwrite-qd32", se), res.iops(lat, "4k-randwrite-qd32", raw), 0.4)
    add("latency: 512 B randread QD32 vs raw 4K randread QD32",
        res.iops(lat, "512-randread-qd32", se), res.iops(lat, "4k-randread-qd32", raw), 0.8)
    add("latency: 512 B mixed QD16 vs dm-ebs",
        res.iops(lat, "512-mixed70-qd16x2", se), res.iops(lat, "512-mixed70-qd16x2", ebs), 5)
    for job in ("512-randwrite-qd1", "512-seqwrite-qd1"):
        add(f"latency: {job} vs dm-ebs",
            res.iops(lat, job, se), res.iops(lat, job, ebs), 1.0)
    for b in (lat, cpu):
        for job in ("4k-randread-qd32", "4k-randwrite-qd32"):
            add(f"{b.split('-')[1]}: {job} through sectoremu vs raw",
                res.iops(b, job, se), res.iops(b, job, raw), 0.95,
                ratio(res.iops(b, job, "linear"), res.iops(b, job, raw)))
    for job in res.jobs(cpu):
        add(f"cpu: {job} vs dm-ebs", res.iops(cpu, job, se), res.iops(cpu, job, ebs), 0.95)
    return t


def chart(res, png):
    """Grouped bars of median IOPS, one panel per backing, log scale."""
    backings = res.backings()
    data = png + ".dat"
    with open(data, "w") as f:
        for b in backings:
            f.write(f"# {b}\n")
            for job in res.jobs(b):
                vals = [res.iops(b, job, d) for d in DEVICES]
                f.write(job + " " + " ".join("NaN" if v is None else f"{v:.0f}"
                                             for v in vals) + "\n")
            f.write("\n\n")
    panels = []
    for i, b in enumerate(backings):
        # gnuplot refuses a histogram column without any value
        plots = ", ".join(
            f"'{data}' index {i} using {c + 2}:xtic(1) title '{d}' lc rgb '{COLOURS[d]}'"
            for c, d in enumerate(DEVICES)
            if any(res.iops(b, job, d) for job in res.jobs(b)))
        panels.append(f"set title '{BACKINGS.get(b, b)}'\nplot {plots}")
    script = f"""
set terminal pngcairo noenhanced size 1200,{380 * len(backings)} font ',9'
set output '{png}'
set multiplot layout {len(backings)},1
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y
set ylabel 'IOPS (median)'
set xtics rotate by -20
set key top right
set grid ytics
{chr(10).join(panels)}
unset multiplot
"""
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    subprocess.run(["rm", "-f", data], check=False)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("log")
    ap.add_argument("out")
    ap.add_argument("--chart")
    ap.add_argument("--command", default="make bench")
    ap.add_argument("--kernel", default="")
    ap.add_argument("--source", default="", help="the source revision measured")
    ap.add_argument("--date", default="")
    ap.add_argument("--note", default="", help="a line on how the run went")
    a = ap.parse_args()

    runs, info, errors = parse(a.log)
    if not runs:
        print(f"report.py: {a.log}: no BENCH lines", file=sys.stderr)
        return 1
    res = Results(runs, errors)
    md = [f"# sectoremu bench, {a.date} {a.kernel}".rstrip(), "",
          f"Command: `{a.command}`" + (f" (source {a.source})" if a.source else ""), ""] + ([f"**{a.note}**", ""] if a.note else [])
    md += [f"- {line}" for line in info]
    md += ["", "Each cell: median IOPS of the repetitions (min-max); the ratios "
           "compare medians from this run.  CPU: guest CPU time per I/O (all "
           "CPUs, user+system+irq, so it includes the kernel workers doing the "
           "read-modify-write).  linear: a dm-linear mapping of the same device, 4K "
           "jobs only: what device-mapper itself costs any target.  \"dio off\": the kernel did not switch the loop "
           "device to direct I/O (`/sys/block/loopN/loop/dio` = 0): it serves one "
           "request at a time through its backing file, buffered or through the "
           "O_DIRECT descriptor losetup opened.  \"I/O errors\": fio failed on "
           "that device (the job's I/O was refused).", ""]
    if a.chart:
        chart(res, a.chart)
        md += [f"![IOPS per job and device]({a.chart.rsplit('/', 1)[-1]})", ""]
    for b in res.backings():
        md += [f"## {BACKINGS.get(b, b)}", ""] + table(res, b) + [""]
    t = targets(res)
    missed = [x for x in t if x[1] < x[2]]
    md += ["## Targets", "",
           "dm-linear vs raw: the same job through a dm-linear mapping, the "
           "cost of device-mapper itself, which every target pays.", "",
           "| target | measured | goal | | dm-linear vs raw |", "|---|---|---|---|---|"]
    md += [f"| {d} | {v:.2f}x | >= {lim}x | {'met' if v >= lim else '**missed**'} | "
           f"{fmt_ratio(c)} |" for d, v, lim, c in t]
    summary = (f"targets: {len(t) - len(missed)} met, {len(missed)} missed" +
               (": " + "; ".join(x[0] for x in missed) if missed else ""))
    md += ["", summary, ""]
    with open(a.out, "w") as f:
        f.write("\n".join(md))
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
