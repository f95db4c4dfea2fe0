#!/usr/bin/env python3
"""Times the event-log queries of GET /v1/events on a SQLite database of a million events.

Builds the schema from the project's own migrations (storage/src/main/resources/db/sqlite), fills
it with one partner's 1,000,000 events (8 types under 3 prefixes, 100 workspaces, 1 in 1,000 with a
failed delivery, one delivery each) plus a second partner's 100,000, then runs the same SQL as
JdbcEventStore.list for each filter and prints the median time of 5 runs and SQLite's plan.

    python3 bench/event_log_sqlite.py [/tmp/eventlog.db]
"""
import glob, os, random, re, sqlite3, statistics, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
path = sys.argv[1] if len(sys.argv) > 1 else "/tmp/partnerhooks-eventlog.db"
if os.path.exists(path):
    os.remove(path)
db = sqlite3.connect(path)
migrations = glob.glob(os.path.join(ROOT, "storage/src/main/resources/db/sqlite/V*__*.sql"))
for f in sorted(migrations, key=lambda p: int(re.search(r"/V(\d+)__", p).group(1))):
    db.executescript(open(f).read())

TYPES = ["channel.ready", "channel.live", "channel.disconnected", "workspace.quota.reached",
         "workspace.quota.warning", "package.updated", "package.expired", "client.created"]
T0 = 1_763_000_000_000
rnd = random.Random(7)
ALPHA = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

def ulid(prefix, ms):
    t = "".join(ALPHA[(ms >> (5 * i)) & 31] for i in range(9, -1, -1))
    return prefix + t + "".join(rnd.choice(ALPHA) for _ in range(16))

def ulid_floor(ms):
    """What IdGenerator.timePrefix makes: the id range of a time range."""
    return "evt_" + "".join(ALPHA[(ms >> (5 * i)) & 31] for i in range(9, -1, -1))

def fill(partner, n):
    db.execute("INSERT INTO partners (id, name, api_key_hash, created_at) VALUES (?, ?, ?, ?)",
               (partner, partner, partner + "-hash", T0))
    db.execute("INSERT INTO endpoints (id, partner_id, url, event_types, enabled, secret, created_at, updated_at)"
               " VALUES (?, ?, 'https://x.test', '[\"*\"]', 1, 's', ?, ?)", ("ep_" + partner, partner, T0, T0))
    ev, dl = [], []
    for i in range(n):
        ms = T0 + i * 100
        eid = ulid("evt_", ms)
        ws = "ws_%03d" % rnd.randrange(100)
        ev.append((eid, partner, TYPES[i % len(TYPES)], '{"workspace_id":"%s"}' % ws, "{}", ms,
                   "workspace_id:" + ws, i, ws))
        dl.append((ulid("dlv_", ms), eid, "ep_" + partner, partner, "failed" if i % 1000 == 7 else "delivered",
                   1, ms, ms, ms))
        if len(ev) == 50_000:
            flush(ev, dl)
    flush(ev, dl)

def flush(ev, dl):
    db.executemany("INSERT INTO events (id, partner_id, type, subject, data, created_at, subject_key, sequence,"
                   " workspace_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", ev)
    db.executemany("INSERT INTO deliveries (id, event_id, endpoint_id, partner_id, status, attempt_count,"
                   " next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", dl)
    db.commit()
    ev.clear()
    dl.clear()

t = time.time()
fill("ptn_A", 1_000_000)
fill("ptn_B", 100_000)
db.execute("ANALYZE")
print(f"built {path} in {time.time() - t:.0f} s")

COLS = "id, partner_id, type, subject, data, created_at, idempotency_key, subject_key, sequence, test"
mid = T0 + 500_000 * 100
cases = [
    ("newest page", "", []),
    ("type exact", " AND type = ?", ["workspace.quota.reached"]),
    ("type prefix.*", " AND substr(type, 1, ?) = ?", [len("workspace.quota."), "workspace.quota."]),
    ("workspace_id", " AND workspace_id = ?", ["ws_042"]),
    ("since/until (1 h in the middle)", " AND id >= ? AND created_at >= ? AND id < ? AND created_at < ?",
     [ulid_floor(mid - 60_000), mid, ulid_floor(mid + 3_600_000 + 60_000), mid + 3_600_000]),
    ("since only (1 h ago)", " AND id >= ? AND created_at >= ?", [ulid_floor(T0 + 999_000 * 100 - 3_600_000 - 60_000),
     T0 + 999_000 * 100 - 3_600_000]),
    ("deep cursor (page after row 900,000)", " AND id < ?", [None]),
    ("status=failed", " AND id IN (SELECT d.event_id FROM deliveries d WHERE d.partner_id = ? AND d.status = 'failed')",
     ["ptn_A"]),
    ("type + workspace", " AND type = ? AND workspace_id = ?", ["channel.live", "ws_042"]),
]
for name, where, params in cases:
    sql = f"SELECT {COLS} FROM events WHERE partner_id = ?{where} ORDER BY id DESC LIMIT ?"
    if params == [None]:
        params = [db.execute("SELECT id FROM events WHERE partner_id = 'ptn_A' ORDER BY id DESC LIMIT 1 OFFSET 900000")
                  .fetchone()[0]]
    args = ["ptn_A"] + params + [51]
    runs = []
    for _ in range(5):
        s = time.perf_counter()
        rows = db.execute(sql, args).fetchall()
        runs.append((time.perf_counter() - s) * 1000)
    plan = "; ".join(r[3] for r in db.execute("EXPLAIN QUERY PLAN " + sql, args))
    print(f"{name:34s} {statistics.median(runs):8.2f} ms  rows={len(rows):3d}  plan: {plan}")
