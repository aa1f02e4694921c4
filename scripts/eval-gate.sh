#!/usr/bin/env bash
# plumb's own eval gate: ingest plumb's docs (the demo corpus) into a temporary store, run the demo
# golden set through the offline pipeline and fail only on a statistically significant regression
# against the committed baseline. Refresh the baseline on purpose with:
#   scripts/eval-gate.sh --update-baseline
set -euo pipefail
cd "$(dirname "$0")/.."
PLUMB=${PLUMB_CMD:-node bin/plumb.js}
DATA=$(mktemp -d)
trap 'rm -rf "$DATA"' EXIT
# The gate measures the defaults: no config file or PLUMB_* variable may change what is measured.
for v in $(env | grep -o '^PLUMB_[A-Z0-9_]*' || true); do unset "$v"; done
CONFIG=(--config "$(pwd)/evals/demo-config.yaml")
$PLUMB "${CONFIG[@]}" --json ingest docs README.md --data "$DATA" >/dev/null
if [ "${1:-}" = "--update-baseline" ]; then
  $PLUMB "${CONFIG[@]}" eval run --data "$DATA" --golden evals/demo-golden.jsonl --name demo-baseline >&2
  $PLUMB "${CONFIG[@]}" --json eval report demo-baseline --compact --data "$DATA" > evals/demo-baseline.json
  echo "wrote evals/demo-baseline.json" >&2
  exit 0
fi
$PLUMB "${CONFIG[@]}" eval gate --data "$DATA" --golden evals/demo-golden.jsonl --name demo-gate \
  --baseline evals/demo-baseline.json \
  --max-drop ndcg@10=0.02,recall@5=0.02,token_f1=0.02,faithfulness=0.02,abstention=0.05 \
  ${EVAL_GATE_HTML:+--html "$EVAL_GATE_HTML"}
