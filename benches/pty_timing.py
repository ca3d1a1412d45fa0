#!/usr/bin/env python3
# Measures, through a real pseudo-terminal, the first frame after start, the
# same for `less` on the README started the same way (the first frame should
# stay close to `less`'s, which every terminal user knows), and how exactly a 3 s pause
# with a 1 s hold ends (the bell), on the monotonic clock.
# Run from the repository root after `cargo build --release`:
#   python3 benches/pty_timing.py
import os, pty, time, select, tempfile, fcntl, termios, struct, sys, shutil, statistics

def read_for(fd, sec):
    end=time.monotonic()+sec; buf=b""
    while time.monotonic()<end:
        r,_,_=select.select([fd],[],[],0.005)
        if r:
            try: buf+=os.read(fd,65536)
            except OSError: break
    return buf

def first_frame(argv, marker, env=None):
    """Milliseconds from fork to `marker` on the screen, and the pty."""
    pid, fd = pty.fork()
    if pid==0:
        os.environ["TERM"]="xterm-256color"
        os.environ["LESS"]=""
        os.environ.update(env or {})
        os.execvp(argv[0],argv)
    t_start=time.monotonic()
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH",24,80,0,0))
    out=b""
    while marker not in out:
        r,_,_=select.select([fd],[],[],0.002)
        if r:
            try: out+=os.read(fd,65536)
            except OSError: break
        if time.monotonic()-t_start>10:
            print("no first frame from", argv[0], out[-300:], flush=True); sys.exit(1)
    return (time.monotonic()-t_start)*1000, pid, fd

def stop(pid, fd):
    os.kill(pid, 15); os.waitpid(pid,0); os.close(fd)

runs=21
if shutil.which("less"):
    # Every day's start as a clinician makes it (`repair` alone, here with
    # REPAIR_DATA_DIR naming a data directory made by an earlier run), the
    # same with --data-dir (which builds the command-line parser), and the
    # very first one, which makes the directory (and syncs it).
    used=tempfile.mkdtemp()
    repair="./target/release/repair"
    ms,pid,fd=first_frame([repair,"--data-dir",used],b"help"); stop(pid,fd)
    alone=[]; flag=[]; first=[]; theirs=[]
    for _ in range(runs):
        ms,pid,fd=first_frame([repair],b"help",{"REPAIR_DATA_DIR":used}); stop(pid,fd); alone.append(ms)
        ms,pid,fd=first_frame([repair,"--data-dir",used],b"help"); stop(pid,fd); flag.append(ms)
        d=tempfile.mkdtemp()
        ms,pid,fd=first_frame([repair,"--data-dir",d],b"help"); stop(pid,fd); first.append(ms)
        ms,pid,fd=first_frame(["less","README.md"],b"repair-practice"); stop(pid,fd); theirs.append(ms)
    less=statistics.median(theirs)
    print("first frame over %d runs, from fork (process start included), medians: "
          "repair %.1f ms (%.2fx less), repair --data-dir %.1f ms (%.2fx), "
          "the very first run, making its data directory, %.1f ms; less README.md %.1f ms"
          %(runs,statistics.median(alone),statistics.median(alone)/less,
            statistics.median(flag),statistics.median(flag)/less,
            statistics.median(first),less), flush=True)
else:
    print("less is not installed: no comparison", flush=True)

d=tempfile.mkdtemp()
pid, fd = pty.fork()
if pid==0:
    os.environ["TERM"]="xterm-256color"
    os.execv("./target/release/repair",["repair","--data-dir",d,"--scan-seconds","3"])
t_start=time.monotonic()
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH",24,80,0,0))
out=b""
while b"help" not in out:
    out+=read_for(fd, 0.005)
    if time.monotonic()-t_start>10: print("no first frame", out[-300:], flush=True); sys.exit(1)
print("first frame after %.0f ms (from fork, process start included)"%((time.monotonic()-t_start)*1000), flush=True)
# Enter on the first screen drills the month's step; Enter again begins its pause.
os.write(fd,b"\r"); read_for(fd, 0.5)
os.write(fd,b"\r"); t0=time.monotonic()
read_for(fd, 1.0)
os.write(fd,b" "); read_for(fd, 1.0); os.write(fd,b" ")   # hold 1 s
buf=b""
while b"\x07" not in buf:
    r,_,_=select.select([fd],[],[],0.002)
    if r: buf+=os.read(fd,65536)
    if time.monotonic()-t0>10: print("no bell", flush=True); break
t=time.monotonic()-t0
print("pause of 3 s with a 1 s hold rang the bell after %.3f s (expected 4.000)"%t, flush=True)
os.write(fd,b"\x1b"); time.sleep(0.3)
os.kill(pid, 15); os.waitpid(pid,0)
