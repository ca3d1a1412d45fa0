#!/usr/bin/env python3
# Measures, through a real pseudo-terminal, the first frame after start and how
# exactly a 3 s pause with a 1 s hold ends (the bell), on the monotonic clock.
# Run from the repository root after `cargo build --release`:
#   python3 benches/pty_timing.py
import os, pty, time, select, tempfile, fcntl, termios, struct, sys
d=tempfile.mkdtemp()
pid, fd = pty.fork()
if pid==0:
    os.environ["TERM"]="xterm-256color"
    os.execv("./target/release/repair",["repair","--data-dir",d,"--scan-seconds","3"])
t_start=time.monotonic()
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH",24,80,0,0))
def read_for(sec):
    end=time.monotonic()+sec; buf=b""
    while time.monotonic()<end:
        r,_,_=select.select([fd],[],[],0.005)
        if r:
            try: buf+=os.read(fd,65536)
            except OSError: break
    return buf
out=b""
while b"help" not in out:
    out+=read_for(0.005)
    if time.monotonic()-t_start>10: print("no first frame", out[-300:], flush=True); sys.exit(1)
print("first frame after %.0f ms (from fork, process start included)"%((time.monotonic()-t_start)*1000), flush=True)
os.write(fd,b"\r"); t0=time.monotonic()
read_for(1.0)
os.write(fd,b" "); read_for(1.0); os.write(fd,b" ")   # hold 1 s
buf=b""
while b"\x07" not in buf:
    r,_,_=select.select([fd],[],[],0.002)
    if r: buf+=os.read(fd,65536)
    if time.monotonic()-t0>10: print("no bell", flush=True); break
t=time.monotonic()-t0
print("pause of 3 s with a 1 s hold rang the bell after %.3f s (expected 4.000)"%t, flush=True)
os.write(fd,b"\x1b"); time.sleep(0.3)
os.kill(pid, 15); os.waitpid(pid,0)
