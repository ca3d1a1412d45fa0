#!/usr/bin/env python3
# Writes COUNT practice sessions like the ones `cargo bench -- scale` makes
# (six steps, a few hundred bytes of notes each, one every seven hours back
# from 24 Nov 2026 09:00 +01:00), owner-only, into DIR/sessions, to time the
# real binary by hand:
#   python3 benches/make_sessions.py /tmp/s10k 10000
#   /usr/bin/time -v target/release/repair --data-dir /tmp/s10k notes list >/dev/null
# With a third argument `drill CARDS`, writes COUNT drill sessions instead,
# one a day back from 24 Nov 2026, each with CARDS typed attempts of about
# 2 KB (CARDS=14000 makes a session of about 29 MB), to measure what
# `repair drill`, `notes stats` and the start screen hold of a long history:
#   python3 benches/make_sessions.py /tmp/d6 6 drill 14000
#   /usr/bin/time -v target/release/repair --data-dir /tmp/d6 notes stats >/dev/null
# With a third argument `mix`, writes COUNT practice sessions of which every
# third (the newest among them) is a typed drill of six short attempts, as
# the bench's `drill_store` (benches/speed.rs) does, for the browser's
# search (benches/pty_search.py):
#   python3 benches/make_sessions.py /tmp/mix 10000 mix
import datetime, json, os, sys

directory, count = sys.argv[1], int(sys.argv[2])
drill_cards = int(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[3] == "drill" else None
mix = len(sys.argv) > 3 and sys.argv[3] == "mix"
sessions = os.path.join(directory, "sessions")
os.makedirs(sessions, mode=0o700, exist_ok=True)
os.chmod(directory, 0o700)
steps = [("scan", "Pause and scan inward"), ("reflect", "Reflect tentatively, and check"),
         ("validate", "Validate"), ("mend", "Make it better"),
         ("ask-later", "Later, ask what it was like"), ("own", "Own your part")]
words = ["tight chest", "I wonder if that landed badly", "they went quiet",
         "sorry I hurried", "felt defensive, stayed", "their jaw relaxed"]
start = datetime.datetime(2026, 11, 24, 9, 0, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))
def drill_session(n, cards):
    at = start - datetime.timedelta(days=n)
    sid = at.strftime("%Y%m%d-%H%M%S") + "-%08x" % n
    response = " ".join(words[(n + k) % 6] for k in range(80))
    records = [{
        "number": k // 2 + 1, "card": "card-%02d" % (k % 24),
        "kind": "withdrawal" if k % 2 == 0 else "confrontation",
        "level": "intermediate", "client": "A client's statement of about this length.",
        "attempt": 1 + k % 2, "rating": (n + k) % 11,
        "criteria_met": ["Names the client's experience as a guess."],
        "criteria_missed": ["Stops and listens to the answer."] if (n + k) % 3 == 0 else [],
        "marker_guess": "withdrawal", "marker_right": k % 3 != 0, "respond_seconds": 35,
        "response": "%s (%d)" % (response, k), "next_level": "intermediate",
    } for k in range(cards)]
    return sid, {
        "id": sid, "mode": "drill", "protocol": "rupture-repair",
        "protocol_title": "Rupture and Repair", "drill": "validate",
        "started_at": at.isoformat(), "finished_at": at.isoformat(), "complete": True,
        "steps": [], "drill_cards": records,
    }

for n in range(count):
    if drill_cards is not None:
        sid, session = drill_session(n, drill_cards)
        path = os.path.join(sessions, sid + ".json")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump(session, f, indent=2)
        continue
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

def short_drill(n):
    """The bench's drill_store session in place of the walk numbered n."""
    at = start - datetime.timedelta(hours=7 * n)
    sid = at.strftime("%Y%m%d-%H%M%S") + "-%08x" % n
    cards = [{
        "number": k, "card": "card-%d" % k, "kind": "withdrawal", "level": "beginner",
        "client": "It was no big deal, really. I'm over it.", "attempt": 1,
        "rating": (n + k) % 11, "criteria_met": ["names it as a guess"],
        "criteria_missed": ["asks whether it fits"],
        "self_report": "shoulders up (session %d)" % n, "marker_guess": "denial",
        "marker_right": True, "respond_seconds": 30,
        "response": "I moved on fast just then; can we go back?", "next_level": "beginner",
    } for k in range(1, 7)]
    return sid, {
        "id": sid, "mode": "drill", "protocol": "rupture-repair",
        "protocol_title": "Rupture and Repair", "drill": "reflect",
        "started_at": at.isoformat(), "finished_at": at.isoformat(), "complete": True,
        "steps": [], "drill_cards": cards,
    }

if mix:
    for n in range(0, count, 3):
        sid, session = short_drill(n)
        path = os.path.join(sessions, sid + ".json")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump(session, f, indent=2)
