#!/usr/bin/python3
"""Drives and watches N local serf agents over their RPC ports (no fork per probe), for
bench/discovery-bench.sh. Needs python3-msgpack (Debian). Prints one RESULT line.

  serf-rpc.py converge N RPC_BASE BIND_BASE          join agents 1..N-1 to agent 0, time until all see N alive
  serf-rpc.py detect   N RPC_BASE PIDFILE            SIGKILL the last agent, time until all others see it failed
  serf-rpc.py steady   N RPC_BASE SECONDS            count member-failed events and non-alive sightings meanwhile

Agent i listens for RPC on 127.0.0.1:RPC_BASE+i and gossips on 127.0.0.1:BIND_BASE+i.
"""
import os
import signal
import socket
import sys
import time

import msgpack


class Agent:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.unpacker = msgpack.Unpacker(raw=False)
        self.seq = 0
        self.call("handshake", {"Version": 1}, reply_body=False)

    def send(self, command, body=None):
        self.seq += 1
        data = msgpack.packb({"Command": command, "Seq": self.seq})
        if body is not None:
            data += msgpack.packb(body)
        self.sock.sendall(data)
        return self.seq

    def read(self):
        while True:
            for obj in self.unpacker:
                return obj
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise ConnectionError("agent closed the connection")
            self.unpacker.feed(chunk)

    def call(self, command, body=None, reply_body=True):
        self.send(command, body)
        header = self.read()
        if header.get("Error"):
            raise RuntimeError(f"{command}: {header['Error']}")
        return self.read() if reply_body else None

    def members(self):
        return self.call("members")["Members"]


def now():
    return time.monotonic_ns()


def alive_count(agent):
    return sum(1 for m in agent.members() if m["Status"] == "alive")


def converge(n, rpc_base, bind_base):
    agents = [Agent(rpc_base + i) for i in range(n)]
    t0 = now()
    # Every agent but the first asks to join the first, all at once (as a start script would). An agent
    # whose join fails (at 500, the first agent drops some of 499 simultaneous join connections) asks
    # again at once, as serf's -retry-join would (after its 30 s interval); the clock keeps running.
    pending = list(range(1, n))
    retries = 0
    while pending:
        for i in pending:
            agents[i].send("join", {"Existing": [f"127.0.0.1:{bind_base}"], "Replay": False})
        failed = []
        for i in pending:
            header = agents[i].read()
            while "Seq" not in header:  # the body of an earlier failed join, if serf sent one
                header = agents[i].read()
            if header.get("Error"):
                failed.append(i)
                continue
            agents[i].read()
        if failed and time.monotonic_ns() - t0 > 600e9:
            raise TimeoutError(f"{len(failed)} agents could not join in 10 minutes")
        retries += len(failed)
        pending = failed
    joined = now()
    waiting = set(range(n))
    while waiting:
        for i in list(waiting):
            if alive_count(agents[i]) == n:
                waiting.discard(i)
        if time.monotonic_ns() - t0 > 600e9:
            raise TimeoutError("not converged in 10 minutes")
    print(f"RESULT serf-converge members={n} ms={(now() - t0) / 1e6:.0f} join_calls_ms={(joined - t0) / 1e6:.0f}"
          f" join_retries={retries}")


def detect(n, rpc_base, pidfile):
    pids = [int(line) for line in open(pidfile)]
    agents = [Agent(rpc_base + i) for i in range(n - 1)]
    victim = f"s{n - 1}"
    t0 = now()
    os.kill(pids[n - 1], signal.SIGKILL)
    waiting = set(range(n - 1))
    while waiting:
        for i in list(waiting):
            status = {m["Name"]: m["Status"] for m in agents[i].members()}
            if status.get(victim, "failed") == "failed":
                waiting.discard(i)
        time.sleep(0.002)
        if time.monotonic_ns() - t0 > 300e9:
            raise TimeoutError("not detected in 5 minutes")
    print(f"RESULT serf-detect members={n} ms={(now() - t0) / 1e6:.0f}")


def steady(n, rpc_base, seconds):
    agents = [Agent(rpc_base + i) for i in range(n)]
    watchers = [Agent(rpc_base + i) for i in range(n)]
    for w in watchers:
        w.call("stream", {"Type": "member-failed"}, reply_body=False)
        w.sock.setblocking(False)
    failed_events = 0
    non_alive_sightings = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for w in watchers:
            try:
                chunk = w.sock.recv(1 << 20)
                w.unpacker.feed(chunk)
            except BlockingIOError:
                pass
            for obj in w.unpacker:
                if isinstance(obj, dict) and obj.get("Event") == "member-failed":
                    failed_events += len(obj.get("Members", []))
        for a in agents:
            non_alive_sightings += sum(1 for m in a.members() if m["Status"] != "alive")
        time.sleep(1)
    intact = all(alive_count(a) == n for a in agents)
    print(f"RESULT serf-steady members={n} seconds={seconds} false_deaths={failed_events} "
          f"non_alive_sightings={non_alive_sightings} views_intact={intact}")


if __name__ == "__main__":
    mode, n, rpc_base = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    if mode == "converge":
        converge(n, rpc_base, int(sys.argv[4]))
    elif mode == "detect":
        detect(n, rpc_base, sys.argv[4])
    elif mode == "steady":
        steady(n, rpc_base, int(sys.argv[4]))
    else:
        sys.exit(__doc__)
