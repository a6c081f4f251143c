#!/usr/bin/env bash
# One GPU lease of the `device` tool (one command, under 10 minutes): the CUDA benchmark, the
# GPU tests, and the paper-scale runs a 2-core CPU cannot do, run side by side on the GPU,
# and their logs brought back (issue 14, item 5).
#
# What runs, all within BUDGET seconds (default 420):
#   - eos bench on CUDA, alone on the GPU first (its ratios are timed side by side;
#     --skip-theory --skip-peers; at most BENCH_S = 120 s): $OUT/bench-cuda.md and .json
#   - the GPU tests (python -m pytest -m gpu): seed 0 of every experiment at the paper's
#     size into $RUNS/gpu-seed0 (EOS_RUNS_DIR), each claim's verdict checked to reproduce
#     the CPU verdicts of docs/results/paper within the CPU seeds' spread (not to pass: a
#     finding against the paper is a valid outcome); log in $OUT/gpu-tests.log
#   - grids/paper/sgd.toml   Experiments 7-9 (SGD, batch 32), seeds 0-4 (--jobs $SGD_JOBS)
#   - grids/paper/remark7.toml  Experiment 7's run, seeds 3-4 (Remark 7 needs 5 seeds)
#   - grids/paper/rest.toml  the stable, tau-grid and ReLU 2/200, 2/60 runs, seeds 0-4
#   - grids/paper/unstable.toml  the unstable runs (edge of stability part B), seeds 0-4
#   (runs the CPU made already are made again: the lease starts bare; the merge below keeps
#   the local ones. Estimated cost: docs/results/paper/gpu_cost_estimate.py, 43-383 s on an
#   H200 for the 19 CPU hours published by 2026-12-01, one run at a time)
#   - adam-eos's cnn-relu runs (seed 0, into $RUNS/adam-eos; the GPU tests make them again
#     in gpu-seed0 only if they get that far), then its FC runs if not made
# then every run's logs (config.json, steps.jsonl, summary.json, experiment.json, the sweeps'
# summaries) go into $OUT/gpu-logs.tar.gz, and the checkpoints of unfinished runs into
# $OUT/gpu-ckpt-*.tar (as many as fit the tool's 64 MiB), so the next lease, or a CPU,
# resumes them. A run cut at the budget is unfinished, and the report never judges it.
#
# Prepare here, once per checkout (ignored folders that the call carries):
#   echo /.whl/ >> .git/info/exclude; echo /.data/ >> .git/info/exclude
#   python -m pip download --no-deps autograd -d .whl
#   mkdir -p .data && cp -r ../shared/data/cifar10-subset/cifar-10-batches-py .data/
# Run (device tool): command "bash grids/paper/gpu_session.sh 420", carry [".whl", ".data"],
#   timeout_s 600. To continue earlier runs, unpack their tarballs here
#   and carry those run folders (runs/paper/sgd, ...) too.
# Back here: unpack the tarballs into a staging folder and merge them into runs/paper with
#   grids/paper/merge_gpu_runs.py (its header: a finished local run is never overwritten,
#   nor one a CPU lane is writing), then publish as docs/results/paper/STATUS.md says.
#
# Tested on the CPU (2026-12-01: the bench exits 2 without CUDA, the GPU tests skip, the
# sweeps start and are stopped at the budget, logs and checkpoints packed) with:
#   OUT=/tmp/gpu-out RUNS=/tmp/gpu-runs SGD_JOBS=1 REST_JOBS=1 ADAM_CNN=0 BENCH_S=20 \
#   bash grids/paper/gpu_session.sh 40
set -u
budget=${1:-420}
out=${OUT:-/tmp/gpu-session-out}
runs=${RUNS:-runs/paper}
sgd_jobs=${SGD_JOBS:-8}
rest_jobs=${REST_JOBS:-5}
adam_cnn=${ADAM_CNN:-1}
mkdir -p "$out" "$runs"
log="$out/session.log"
say() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$log"; }

# --- set-up: autograd from its carried wheel, the project without touching torch ---------
if ! python3 -c "import autograd" 2>/dev/null; then
  python3 -m pip install -q --no-index --no-deps --no-build-isolation .whl/autograd-*.whl \
    >>"$log" 2>&1 || { say "autograd wheel missing: carry .whl (see the header)"; exit 2; }
fi
if ! python3 -c "import eos_empirical" 2>/dev/null; then
  python3 -m pip install -q --no-deps --no-build-isolation -e . >>"$log" 2>&1 \
    || { say "pip install -e . failed (see session.log)"; exit 2; }
fi
if [ -z "${EOS_CIFAR10_ROOT:-}" ]; then export EOS_CIFAR10_ROOT="$PWD/.data"; fi
[ -d "$EOS_CIFAR10_ROOT/cifar-10-batches-py" ] \
  || { say "no data at $EOS_CIFAR10_ROOT: carry .data (see the header)"; exit 2; }
export OMP_NUM_THREADS=1 PYTHONUNBUFFERED=1
python3 - >>"$log" 2>&1 <<'EOF'
import torch, eos_empirical
print("torch", torch.__version__, "cuda", torch.cuda.is_available(),
      torch.cuda.get_device_name(0) if torch.cuda.is_available() else "-")
EOF
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv >>"$log" 2>&1
say "budget ${budget}s; runs into $runs"
deadline=$(( $(date +%s) + budget ))

# --- the CUDA benchmark, alone on the GPU ---------------------------------------------------
say "eos bench on CUDA (at most ${BENCH_S:-120}s)"
timeout "${BENCH_S:-120}" python3 -m eos_empirical.commands bench --device cuda --skip-theory \
  --skip-peers --json "$out/bench-cuda.json" --output "$out/bench-cuda.md" --force \
  >"$out/bench.log" 2>&1 || say "bench: exit $? (see bench.log)"

# --- the runs, side by side --------------------------------------------------------------
pids=()
EOS_RUNS_DIR="$runs/gpu-seed0" python3 -m pytest -m gpu -q -p no:cacheprovider \
  >"$out/gpu-tests.log" 2>&1 &
pids+=($!)
python3 -m eos_empirical.commands sweep grids/paper/sgd.toml --out "$runs/sgd" --jobs "$sgd_jobs" \
  >"$out/sgd.log" 2>&1 &
pids+=($!)
python3 -m eos_empirical.commands sweep grids/paper/remark7.toml --out "$runs/remark7" --jobs 2 \
  >"$out/remark7.log" 2>&1 &
pids+=($!)
python3 -m eos_empirical.commands sweep grids/paper/rest.toml --out "$runs/rest" --jobs "$rest_jobs" \
  >"$out/rest.log" 2>&1 &
pids+=($!)
python3 -m eos_empirical.commands sweep grids/paper/unstable.toml --out "$runs/unstable" --jobs 2 \
  >"$out/unstable.log" 2>&1 &
pids+=($!)
if [ "$adam_cnn" = 1 ]; then
  for eta in 1em4 2em4 4em4; do
    python3 -m eos_empirical.commands experiment adam-eos \
      --runs "adam-cnn-relu-eta$eta,adam-fc-tanh-d2-eta$eta" \
      --out "$runs/adam-eos" >"$out/adam-$eta.log" 2>&1 &
    pids+=($!)
  done
fi

start=$(date +%s)
while [ "$(date +%s)" -lt "$deadline" ]; do
  alive=0
  for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
  [ "$alive" = 0 ] && break
  sleep 5
done
for p in "${pids[@]}"; do kill -INT "$p" 2>/dev/null; done
sleep 10
for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; done
wait 2>/dev/null
say "stopped after $(( $(date +%s) - start ))s"

# --- what comes back ---------------------------------------------------------------------
finished=$(find "$runs" -name summary.json | wc -l)
started=$(find "$runs" -name config.json | wc -l)
say "runs started $started, finished $finished"
find "$runs" \( -name config.json -o -name steps.jsonl -o -name summary.json \
  -o -name experiment.json -o -name 'summary.csv' -o -name 'summary.md' \) -print0 \
  | tar czf "$out/gpu-logs.tar.gz" --null -T -
# checkpoints of unfinished runs, 15 MiB per tarball, at most 5 tarballs (the tool brings
# back 8 files of 16 MiB, 64 MiB in all: logs, session log and these)
n=0; size=0; part=()
flush() {
  if [ "${#part[@]}" -gt 0 ] && [ "$n" -lt 5 ]; then
    tar cf "$out/gpu-ckpt-$n.tar" "${part[@]}"; n=$((n + 1))
  elif [ "${#part[@]}" -gt 0 ]; then
    say "no room to bring back the checkpoints of: ${part[*]}"
  fi
  part=(); size=0
}
while IFS= read -r ck; do
  dir=$(dirname "$ck")
  [ -f "$dir/summary.json" ] && continue
  s=$(stat -c %s "$ck")
  if [ $((size + s)) -gt $((15 * 1024 * 1024)) ]; then flush; fi
  [ "$s" -gt $((15 * 1024 * 1024)) ] && { say "checkpoint too large to bring back: $ck"; continue; }
  part+=("$ck"); size=$((size + s))
done < <(find "$runs" -name checkpoint.pt | sort)
flush
ls -l "$out" | tee -a "$log"
