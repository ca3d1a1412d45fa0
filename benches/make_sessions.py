#!/usr/bin/env python3
# Writes COUNT practice sessions like the ones `cargo bench -- scale` makes
# (six steps, a few hundred bytes of notes each, one every seven hours back
# from 24 Nov 2026 09:00 +01:00), owner-only, into DIR/sessions, to time the
# real binary by hand:
#   python3 benches/make_sessions.py /tmp/s10k 10000
#   /usr/bin/time -v target/release/repair --data-dir /tmp/s10k notes list >/dev/null
import datetime, json, os, sys

directory, count = sys.argv[1], int(sys.argv[2])
sessions = os.path.join(directory, "sessions")
os.makedirs(sessions, mode=0o700, exist_ok=True)
os.chmod(directory, 0o700)
steps = [("scan", "Pause and scan inward"), ("reflect", "Reflect tentatively, and check"),
         ("validate", "Validate"), ("mend", "Make it better"),
         ("ask-later", "Later, ask what it was like"), ("own", "Own your part")]
words = ["tight chest", "I wonder if that landed badly", "they went quiet",
         "sorry I hurried", "felt defensive, stayed", "their jaw relaxed"]
start = datetime.datetime(2026, 11, 24, 9, 0, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))
for n in range(count):
    at = start - datetime.timedelta(hours=7 * n)
    sid = at.strftime("%Y%m%d-%H%M%S") + "-%08x" % n
    session = {
        "id": sid, "mode": "practice", "protocol": "rupture-repair",
        "protocol_title": "Rupture and Repair", "drill": None,
        "started_at": at.isoformat(), "finished_at": None, "complete": False,
        "steps": [{"id": i, "title": t, "status": "done" if k < 2 else "not-reached",
                   "notes": "%s (session %d). %s" % (words[(n + k) % 6], n, words[k % 6] * 3),
                   "pause_seconds": None} for k, (i, t) in enumerate(steps)],
    }
    path = os.path.join(sessions, sid + ".json")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(session, f, indent=2)
