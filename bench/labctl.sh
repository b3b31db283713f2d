#!/usr/bin/env bash
# labctl benchmark: find one KMS key's events in 2,000 CloudTrail log files
# (about 100 MB uncompressed) seeded into a moto server, with labctl and with
# what a student does today: `aws s3 sync` of the log prefix, then
# `zcat | grep` for the key ID. Both must find the same events; the script
# reports both times, their ratio, and labctl's peak memory.
#
# usage: bash bench/labctl.sh   (env: FILES=2000 RECORDS=50 REPEAT=3)
# needs: go, python3 with moto and boto3, GNU time if available, and the AWS
# CLI; without the CLI a boto3 stand-in does its download, and the report
# says so.
set -euo pipefail
cd "$(dirname "$0")/.."

FILES="${FILES:-2000}"
RECORDS="${RECORDS:-50}"
work="$(mktemp -d)"
moto_pid=""
cleanup() {
  if [ -n "$moto_pid" ]; then kill "$moto_pid" 2>/dev/null || true; wait "$moto_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== building labctl and the seeder"
go build -o "$work/labctl" ./cmd/labctl
go build -o "$work/seed" ./bench/labctlseed

echo "== starting moto"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
endpoint="http://127.0.0.1:$port"
python3 -m moto.server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto_pid=$!
for _ in $(seq 100); do
  curl -fs "$endpoint/moto-api/" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fs "$endpoint/moto-api/" >/dev/null || { echo "moto did not start:"; cat "$work/moto.log"; exit 1; }

# Test credentials for the emulator; nothing here talks to AWS.
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-west-2 AWS_REGION=us-west-2
export AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE="$work/aws-config" AWS_SHARED_CREDENTIALS_FILE="$work/aws-credentials"
printf '[default]\ns3 =\n    addressing_style = path\n' >"$AWS_CONFIG_FILE"

echo "== seeding $FILES log files"
"$work/seed" --endpoint-url "$endpoint" --files "$FILES" --records "$RECORDS" --outputs "$work/outputs.json" >"$work/seed.txt"
cat "$work/seed.txt"
key_id="$(sed -n 's/^keyId=//p' "$work/seed.txt")"
bucket="$(sed -n 's/^bucket=//p' "$work/seed.txt")"
prefix="AWSLogs/123456789012/CloudTrail/us-west-2/"

# run_timed OUT_PREFIX CMD...: runs CMD (stdout to OUT_PREFIX.out, stderr to
# OUT_PREFIX.err) and appends "wall_s user_s sys_s max_rss_kb" to
# OUT_PREFIX.times. GNU time's figures cover the command and every child it
# waited for (aws, zcat, grep); without GNU time, Python's getrusage does.
run_timed() {
  local prefix="$1"; shift
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%e %U %S %M' -o "$prefix.t" "$@" >"$prefix.out" 2>"$prefix.err"
  else
    python3 - "$prefix" "$@" <<'PY'
import resource, subprocess, sys, time
prefix, cmd = sys.argv[1], sys.argv[2:]
t0 = time.monotonic()
with open(prefix + ".out", "w") as out, open(prefix + ".err", "w") as err:
    subprocess.run(cmd, stdout=out, stderr=err, check=True)
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
open(prefix + ".t", "w").write(f"{time.monotonic() - t0:.2f} {ru.ru_utime:.2f} {ru.ru_stime:.2f} {ru.ru_maxrss}\n")
PY
  fi
  tail -n 1 "$prefix.t" >>"$prefix.times"
}
if [ -x /usr/bin/time ]; then rss_how="GNU time %M, max resident set size"; else rss_how="getrusage ru_maxrss"; fi

# The student's workflow today. `aws s3 sync` downloads with 10 concurrent
# requests by default; the boto3 stand-in does the same list + download.
# BENCH_WITHOUT_AWS_CLI=1 forces the stand-in even where the CLI exists.
if [ -z "${BENCH_WITHOUT_AWS_CLI:-}" ] && command -v aws >/dev/null 2>&1 && aws --version >/dev/null 2>&1; then
  cli_how="the AWS CLI ($(aws --version 2>&1 | cut -d' ' -f1)): aws s3 sync of the prefix, then zcat | grep -F KEY_ID"
  sync_cmd="aws --endpoint-url $endpoint s3 sync s3://$bucket/$prefix \"\$1\" --only-show-errors"
elif [ -n "${BENCH_WITHOUT_AWS_CLI:-}" ]; then
  cli_how="AWS CLI NOT USED (BENCH_WITHOUT_AWS_CLI set), so a boto3 stand-in for aws s3 sync (list + 10 concurrent downloads), then zcat | grep -F KEY_ID"
  sync_cmd="python3 bench/labctl_s3sync.py $endpoint $bucket $prefix \"\$1\""
else
  cli_how="AWS CLI NOT INSTALLED, so a boto3 stand-in for aws s3 sync (list + 10 concurrent downloads), then zcat | grep -F KEY_ID"
  sync_cmd="python3 bench/labctl_s3sync.py $endpoint $bucket $prefix \"\$1\""
fi
cli_script="$sync_cmd && find \"\$1\" -name '*.json.gz' -print0 | xargs -0 zcat | grep -F $key_id"

REPEAT="${REPEAT:-3}"
for i in $(seq "$REPEAT"); do
  echo "== run $i/$REPEAT: labctl events --key $key_id"
  run_timed "$work/labctl" "$work/labctl" events --outputs "$work/outputs.json" --endpoint-url "$endpoint" \
    --key "$key_id" --since 3d --format json
  cat "$work/labctl.err"
  echo "== run $i/$REPEAT: $cli_how"
  # A fresh directory each time: sync skips files it already has.
  rm -rf "$work/sync"
  run_timed "$work/cli" bash -c "$cli_script" cli-workflow "$work/sync"
done
cp "$work/labctl.out" "$work/labctl.json"
cp "$work/cli.out" "$work/grep.out"

# How fast can this moto serve the files at all? Bare unsigned GETs from 8
# Python threads, no client work: the floor under both workflows.
floor_s="$(python3 - "$endpoint" "$bucket" "$prefix" <<'PY'
import http.client, re, sys, threading, time, urllib.parse, urllib.request
endpoint, bucket, prefix = sys.argv[1:]
host, port = urllib.parse.urlparse(endpoint).hostname, urllib.parse.urlparse(endpoint).port
keys, token = [], None
while True:
    q = {"list-type": "2", "prefix": prefix, **({"continuation-token": token} if token else {})}
    page = urllib.request.urlopen(f"{endpoint}/{bucket}?{urllib.parse.urlencode(q)}").read().decode()
    keys += re.findall(r"<Key>([^<]+)</Key>", page)
    m = re.search(r"<NextContinuationToken>([^<]+)</NextContinuationToken>", page)
    if not m:
        break
    token = m.group(1)
todo, lock = list(keys), threading.Lock()
def worker():
    while True:
        with lock:
            if not todo:
                return
            key = todo.pop()
        c = http.client.HTTPConnection(host, port)
        c.request("GET", f"/{bucket}/{urllib.parse.quote(key)}")
        c.getresponse().read()
        c.close()
t0 = time.monotonic()
threads = [threading.Thread(target=worker) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
print(f"{time.monotonic() - t0:.2f}")
PY
)"

echo "== checking both found the same events"
python3 - "$work" "$key_id" <<'PY'
import json, sys
work, key = sys.argv[1:]
labctl = [r["eventID"] for r in json.load(open(f"{work}/labctl.json"))]
grep_ids, grep_files = set(), 0
with open(f"{work}/grep.out") as f:
    for line in f:
        grep_files += 1
        for r in json.loads(line)["Records"]:
            if key in json.dumps(r):
                grep_ids.add(r["eventID"])
print(f"labctl: {len(labctl)} events; zcat | grep: {grep_files} matching files holding {len(grep_ids)} events that mention the key")
if len(labctl) != len(set(labctl)) or set(labctl) != grep_ids:
    sys.exit("MISMATCH: the two workflows found different events")
print("same events: yes")
PY

python3 - "$work/labctl.times" "$work/cli.times" "$rss_how" "$cli_how" "$floor_s" "$FILES" <<'PY'
import statistics, sys
labctl_f, cli_f, rss_how, cli_how, floor_s, files = sys.argv[1:]
def load(path):
    return [[float(x) for x in line.split()] for line in open(path)]
lab, cli = load(labctl_f), load(cli_f)
med = lambda rows, i: statistics.median(r[i] for r in rows)
lab_wall, cli_wall = med(lab, 0), med(cli, 0)
rss_mib = max(r[3] for r in lab) / 1024
print(f"== result (median of {len(lab)} runs each)")
print(f"labctl events: {lab_wall:.2f} s wall, {med(lab, 1) + med(lab, 2):.2f} s CPU; peak RSS {rss_mib:.1f} MiB ({rss_how})")
print(f"CLI workflow:  {cli_wall:.2f} s wall, {med(cli, 1) + med(cli, 2):.2f} s CPU  [{cli_how}]")
print(f"speed-up:      {cli_wall / lab_wall:.1f}x (target >= 2x); peak memory {'under' if rss_mib < 100 else 'OVER'} 100 MB")
print("all runs (wall s, user s, sys s, max RSS KiB):")
for name, rows in (("labctl", lab), ("cli", cli)):
    for r in rows:
        print(f"  {name:6} {r[0]:6.2f} {r[1]:6.2f} {r[2]:6.2f} {int(r[3]):8d}")
print(f"moto floor:    {float(floor_s):.2f} s for {files} bare unsigned GETs (8 threads, no client work)")
print("Both workflows download every file from the same moto server on loopback. moto serves")
print("them from one Python process (one core, under the GIL), so its floor bounds both wall")
print("times; CPU above is the client side only (labctl; or aws + zcat + grep).")
PY
