#!/usr/bin/env python3
# What cgroup v1 mkdir, rename (within the parent) and rmdir cost in the five hierarchies the linux
# backend uses (cpu, cpuacct, memory, pids, freezer), per sliver: the evaluation of spare cgroups
# taken by rename (docs/benchmarks.md section 4). Needs root and v1 mounts under /sys/fs/cgroup.
#   python3 bench/cgroup-rename-cost.py [ROUNDS=300]
import os, time, statistics, sys
H = ["cpu", "cpuacct", "memory", "pids", "freezer"]
root = "cgroup-rename-cost-%d" % os.getpid()
base = [f"/sys/fs/cgroup/{h}/{root}" for h in H]
for b in base:
    os.makedirs(b, exist_ok=True)
N = int(sys.argv[1]) if len(sys.argv) > 1 else 300
def timed(fn):
    t = time.perf_counter_ns(); fn(); return (time.perf_counter_ns() - t) / 1e3
mk, ren, rm, ren2 = [], [], [], []
for i in range(N):
    mk.append(timed(lambda: [os.mkdir(f"{b}/s{i}") for b in base]))
    ren.append(timed(lambda: [os.rename(f"{b}/s{i}", f"{b}/.trash-s{i}") for b in base]))
    ren2.append(timed(lambda: [os.rename(f"{b}/.trash-s{i}", f"{b}/t{i}") for b in base]))
    rm.append(timed(lambda: [os.rmdir(f"{b}/t{i}") for b in base]))
# the python loop itself
loop = [timed(lambda: [None for b in base]) for i in range(N)]
for name, xs in [("mkdir x5", mk), ("rename x5", ren), ("rename back x5", ren2), ("rmdir x5", rm), ("(loop)", loop)]:
    xs = sorted(xs)
    print(f"{name:16s} p50 {statistics.median(xs):7.1f} us  p90 {xs[int(len(xs)*0.9)]:7.1f} us")
for b in base:
    os.rmdir(b)
print("load", open("/proc/loadavg").read().split()[:3])
