#!/usr/bin/env bash
# Same-machine A/B of plumb's gateway path: an earlier commit against the working tree, run in
# alternation (old, new, old, new, ...) so both meet the same machine noise. Compare the server's
# CPU µs per request first: req/s on 2 shared cores also moves with where the scheduler puts things. Each run is
# profile-live.ts without profiling: fresh stub + plumb server, 1 s warm-up, then S seconds of
# autocannon at concurrency C, JSON or streamed responses. Prints req/s, p50 and p99 ms per run.
#   bash bench/gateway-overhead/ab-against.sh BASE_COMMIT [C=10] [PAIRS=4] [S=6] [json|stream]
# PIN=1 in the environment runs plumb alone on CPU 0, the stub and the load on CPU 1 (profile-live.ts).
set -euo pipefail
base=$1; c=${2:-10}; pairs=${3:-4}; seconds=${4:-6}; mode=${5:-json}
here=$(cd "$(dirname "$0")/../.." && pwd)
old=$(mktemp -d /tmp/plumb-ab-XXXXXX)
trap 'git -C "$here" worktree remove --force "$old" >/dev/null 2>&1 || true' EXIT
git -C "$here" worktree add --detach -f "$old" "$base" >/dev/null 2>&1
ln -s "$here/node_modules" "$old/node_modules"
(cd "$old" && node scripts/build.mjs >/dev/null)
(cd "$here" && npm run -s build >/dev/null)
run() {
  # This checkout's load script either way; PLUMB_ROOT picks whose build serves.
  (cd "$here" && PLUMB_ROOT="$1/" NO_PROF=1 npx tsx bench/gateway-overhead/profile-live.ts "$c" "$seconds" "$mode" 2>/dev/null | tail -1) |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s);console.log(Math.round(r.rps),"req/s  p50",r.latencyMs.p50,"ms  p99",r.latencyMs.p99,"ms  cpu",r.cpuUsPerReq,"us/req (main",r.mainCpuUsPerReq+")")})'
}
for i in $(seq "$pairs"); do
  echo "$mode c=$c pair $i  old $(git -C "$old" rev-parse --short HEAD): $(run "$old")"
  echo "$mode c=$c pair $i  new (working tree): $(run "$here")"
done
