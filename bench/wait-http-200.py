#!/usr/bin/env python3
"""Wait until an HTTP URL answers 200; print the moment it did.

Usage: wait-http-200.py URL PID TIMEOUT_S [INTERVAL_S]

Polls URL with http.client (no fork per probe; a refused connection costs
well under a millisecond, a full GET on loopback about one), sleeping
INTERVAL_S (default 0.005) between probes. Stops early if process PID is
gone or a zombie.

Prints one line to stdout: the wall-clock time (time.time(), microseconds
since the epoch) at which the first 200 arrived, and exits 0.
Exit 1 = timeout, 2 = the process died first, 64 = usage error.
"""
import http.client
import os
import sys
import time
import urllib.parse


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return False
    state = stat[stat.rindex(b")") + 2:stat.rindex(b")") + 3]
    return state != b"Z"


def main(argv):
    if len(argv) not in (4, 5):
        print(__doc__, file=sys.stderr)
        return 64
    url, pid, timeout = argv[1], int(argv[2]), float(argv[3])
    interval = float(argv[4]) if len(argv) == 5 else 0.005
    u = urllib.parse.urlsplit(url)
    host = u.hostname or "127.0.0.1"
    port = u.port or (443 if u.scheme == "https" else 80)
    path = (u.path or "/") + (("?" + u.query) if u.query else "")
    conn_cls = http.client.HTTPSConnection if u.scheme == "https" else http.client.HTTPConnection
    deadline = time.monotonic() + timeout
    while True:
        conn = conn_cls(host, port, timeout=2)
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            resp.read()
            if resp.status == 200:
                print(int(time.time() * 1_000_000))
                return 0
        except (OSError, http.client.HTTPException):
            pass
        finally:
            conn.close()
        if not alive(pid):
            return 2
        if time.monotonic() >= deadline:
            return 1
        time.sleep(interval)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
