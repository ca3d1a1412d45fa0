#!/usr/bin/env python3
# Times the notes browser's first filter letter through a real
# pseudo-terminal at 80x24: `repair --data-dir DIR notes`, `/`, then `q`
# (a letter no row's own words hold, so every session file is read), from
# the key to the last byte drawn. The in-process bench cannot show this:
# its counting allocator is one counter the search's two threads fight over.
# Run from the repository root after `cargo build --release`:
#   python3 benches/make_sessions.py /tmp/mix 10000 mix
#   python3 benches/pty_search.py /tmp/mix [RUNS] [BINARY]
import os, select, statistics, sys, time

here = os.path.dirname(os.path.abspath(__file__))
directory = sys.argv[1]
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 15
binary = sys.argv[3] if len(sys.argv) > 3 else "./target/release/repair"
# The helpers of pty_timing.py (start under a pseudo-terminal of 80x24,
# read, stop), without running its measurements.
exec(open(os.path.join(here, "pty_timing.py")).read().split("\nruns=")[0])

def cpu_ms(pid):
    """Processor time (user and system, every thread's, the ended ones
    too) the process has taken, from /proc (Linux), in ms."""
    fields = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")

times = []
cpu = []
for _ in range(runs):
    ms, pid, fd = first_frame([binary, "--data-dir", directory, "notes"], b"help")
    read_for(fd, 0.6)
    os.write(fd, b"/")
    read_for(fd, 0.3)
    before = cpu_ms(pid)
    sent = time.monotonic()
    os.write(fd, b"q")
    last = sent
    while True:
        ready, _, _ = select.select([fd], [], [], 0.3)
        if not ready:
            break
        os.read(fd, 65536)
        last = time.monotonic()
    times.append((last - sent) * 1000)
    cpu.append(cpu_ms(pid) - before)
    stop(pid, fd)
# The processor time is counted in ticks (10 ms here), so its mean over
# the runs is the steadier figure; the clock's median is what a clinician
# waits, and swings with whatever else the machine runs.
print("first filter letter over %s, %d runs: median %.1f ms on the clock (fastest %.1f, "
      "slowest %.1f), processor time %.1f ms on average"
      % (directory, runs, statistics.median(times), min(times), max(times),
         statistics.mean(cpu)))
