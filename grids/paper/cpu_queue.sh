#!/usr/bin/env bash
# The paper-scale runs still to make on the 2-core CPU, in priority order, as two lanes (the
# machine's limit: two runs at once, one thread each). Every command resumes: a finished run
# is skipped, an interrupted one continues from its checkpoint, so after an interruption
# (a session's end) the same call picks up where the lanes stopped.
#
#   export EOS_CIFAR10_ROOT=../shared/data/cifar10-subset
#   nohup bash grids/paper/cpu_queue.sh a > runs/paper/lane-a.log 2>&1 &
#   nohup bash grids/paper/cpu_queue.sh b > runs/paper/lane-b.log 2>&1 &
#
# Priority (docs/results/paper/STATUS.md says why): the controls the referee asks for, then
# one seed of every run whose experiment has no verdict yet (SGD for Experiments 7-9, its
# run at 2/100 first as it alone decides Experiment 7, then tanh 2/50 for Experiment 9; the
# tau grid for Experiment 5; the lanes never share a run), then seeds 1-4 of the 2/100 run
# (Remark 7 failed in seed 0: a verdict against the paper needs 5 seeds; remark7.toml, whose
# seed 4 lane a takes so that both lanes finish the five seeds together; lane b's sweep finds
# that run's folder locked, skips it and goes on), then seeds 2-4 of the unstable runs in
# both lanes (10-15 minutes a run; two sweeps of one grid share it: each skips the run the
# other holds, so rerun the sweep once both end to write a complete summary.csv),
# then the paper runs not made at all (2/400, ReLU 2/200 and 2/60: lane b, while lane a
# makes the SGD ones; lane b then joins lane a on the SGD ones, which are longer; the lane
# that comes second to a step skips what is done or held),
# then seeds 1-2 of ReLU depth 4 at 2/200 in both lanes (Experiment 6 is inconclusive on
# seed 0 alone: its 'stable' run reaches the edge of stability; seeds 1-2 say whether that
# repeats), then more seeds. adam-eos's FC runs (issue 15: seed 0, then seeds 1-2 from
# grids/paper/adam.toml, about 20 minutes a seed) go first in lane b.
# Publish finished runs as STATUS.md says; a run cut short is never judged.
set -u
lane=${1:?usage: cpu_queue.sh a|b}
runs=${RUNS:-runs/paper}
export OMP_NUM_THREADS=1 PYTHONUNBUFFERED=1
eos() { python -m eos_empirical.commands "$@"; }
say() { echo "[$(date -u +%H:%M:%S)] lane $lane: $*"; }

case $lane in
  a)
    steps=(
      "sweep grids/paper/controls.toml --out $runs/controls --jobs 1 -q"
      "sweep grids/paper/sgd.toml --out $runs/sgd --jobs 1 -q --only seed=0-experiment-run=sgd-relu-d2-b32-eta2_50 --only seed=0-experiment-run=sgd-tanh-d2-b32-eta2_50"
      "sweep grids/paper/sgd.toml --out $runs/sgd --jobs 1 -q --only seed=1-experiment-run=sgd-relu-d2-b32-eta2_100 --only seed=2-experiment-run=sgd-relu-d2-b32-eta2_100"
      "sweep grids/paper/remark7.toml --out $runs/remark7 --jobs 1 -q --only seed=4-experiment-run=sgd-relu-d2-b32-eta2_100"
      "sweep grids/paper/unstable.toml --out $runs/unstable --jobs 1 -q"
      "sweep grids/paper/sgd.toml --out $runs/sgd --jobs 1 -q --only seed=0-experiment-run=sgd-relu-d2-b32-eta2_150 --only seed=0-experiment-run=sgd-tanh"
      "sweep grids/paper/rest.toml --out $runs/rest --jobs 1 -q --only seed=0-experiment-run=gd-relu --only seed=0-experiment-run=gd-tanh-d2-eta2_400"
      "sweep grids/paper/rest.toml --out $runs/rest --jobs 1 -q --only seed=1-experiment-run=gd-relu-d4-eta2_200 --only seed=2-experiment-run=gd-relu-d4-eta2_200"
      "sweep grids/paper/sgd.toml --out $runs/sgd --jobs 1 -q --only seed=1- --only seed=2-"
    )
    ;;
  b)
    steps=(
      "experiment adam-eos --runs adam-fc-tanh-d2-eta4em4,adam-fc-tanh-d2-eta2em4,adam-fc-tanh-d2-eta1em4 --out $runs/adam-eos -q"
      "sweep grids/paper/adam.toml --out $runs/adam-seeds --jobs 1 -q"
      "sweep grids/paper/sgd.toml --out $runs/sgd --jobs 1 -q --only seed=0-experiment-run=sgd-relu-d2-b32-eta2_100"
      "sweep grids/paper/rest.toml --out $runs/rest --jobs 1 -q --only seed=0-experiment-run=gd-tanh-d2-eta2_60-tau"
      "sweep grids/paper/remark7.toml --out $runs/remark7 --jobs 1 -q"
      "sweep grids/paper/unstable.toml --out $runs/unstable --jobs 1 -q"
      "sweep grids/paper/rest.toml --out $runs/rest --jobs 1 -q --only seed=0-experiment-run=gd-relu --only seed=0-experiment-run=gd-tanh-d2-eta2_400"
      "sweep grids/paper/sgd.toml --out $runs/sgd --jobs 1 -q --only seed=0-experiment-run=sgd-relu-d2-b32-eta2_150 --only seed=0-experiment-run=sgd-tanh"
      "sweep grids/paper/rest.toml --out $runs/rest --jobs 1 -q --only seed=1-experiment-run=gd-relu-d4-eta2_200 --only seed=2-experiment-run=gd-relu-d4-eta2_200"
      "sweep grids/paper/rest.toml --out $runs/rest --jobs 1 -q --only seed=1- --only seed=2-"
    )
    ;;
  *)
    echo "cpu_queue.sh: lane must be a or b, got '$lane'" >&2
    exit 2
    ;;
esac

for s in "${steps[@]}"; do
  say "eos $s"
  # shellcheck disable=SC2086  # the step is a word list on purpose
  eos $s
  rc=$?
  case $rc in
    0) ;;
    3) say "exit 3 (the other lane holds a point of this step; going on)" ;;
    *) say "exit $rc (a failed point is in its run folder's log; going on)" ;;
  esac
done
say "done"
