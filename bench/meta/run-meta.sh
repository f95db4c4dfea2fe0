#!/usr/bin/env bash
# Meta inbound throughput on this machine: starts the packaged server on SQLite (or on
# PARTNERHOOKS_DATABASE_URL), registers one number with a messaging webhook pointed at a local
# sink, and posts signed callbacks for SECONDS at CONCURRENCY. Prints callbacks accepted per second.
# Usage: bench/meta/run-meta.sh [concurrency=32] [seconds=20]   (build first: mvn -pl server -am package -DskipTests)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
conc="${1:-32}"; secs="${2:-20}"; port="${PORT:-18089}"; sink_port=$((port + 1))
data="$(mktemp -d)"
export PARTNERHOOKS_OPERATOR_TOKEN=bench PARTNERHOOKS_META_APP_SECRET=bench-secret PARTNERHOOKS_META_VERIFY_TOKEN=bench \
       PARTNERHOOKS_ALLOWED_TARGETS=127.0.0.0/8 PARTNERHOOKS_PORT="$port" PARTNERHOOKS_DATA_DIR="$data"
python3 -c "
import http.server,socketserver
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get('content-length',0))); self.send_response(200); self.send_header('content-length','0'); self.end_headers()
    def log_message(self,*a): pass
class S(socketserver.ThreadingMixIn, http.server.HTTPServer): daemon_threads=True
S(('127.0.0.1',$sink_port),H).serve_forever()" &
sink=$!
"$java" -jar "$root/server/target/partnerhooks.jar" serve > "$data/server.log" 2>&1 &
server=$!
trap 'kill $server $sink 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 60); do curl -sf "localhost:$port/readyz" >/dev/null && break; sleep 0.5; done
api() { curl -sf "localhost:$port$2" -X "$1" -H "Authorization: Bearer $3" -H 'Content-Type: application/json' -d "$4"; }
partner=$(api POST /platform/v1/partners bench '{"name":"Bench"}')
pid=$(echo "$partner" | python3 -c 'import json,sys;print(json.load(sys.stdin)["id"])')
key=$(echo "$partner" | python3 -c 'import json,sys;print(json.load(sys.stdin)["api_key"])')
api PUT /platform/v1/clients/cl_bench bench '{"partner_id":"'$pid'","name":"Bench"}' >/dev/null
api PUT /platform/v1/channels/ch_bench bench '{"partner_id":"'$pid'","client_id":"cl_bench","phone_number":"+4915123456789","phone_number_id":"900000000000001","waba_id":"800000000000001"}' >/dev/null
api PUT /v1/channels/ch_bench/webhook "$key" '{"url":"http://127.0.0.1:'$sink_port'/wa"}' >/dev/null
"$java" "$root/bench/meta/MetaLoad.java" "http://127.0.0.1:$port" bench-secret 900000000000001 800000000000001 "$conc" "$secs"
