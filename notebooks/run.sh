#!/usr/bin/env bash
# Executes the notebooks with Jupyter's nbconvert and Deno's TypeScript kernel (one at a time unless
# MINIMX_NOTEBOOK_JOBS says more) and fails (exit 1, naming them) when any cell of any notebook raised an error.
#   notebooks/run.sh --inplace [name ...]      the full runs whose outputs are committed
#   notebooks/run.sh --out DIR [name ...]      CI: executed copies go to DIR, the committed files stay
# Names are notebook file names without .ipynb (default: all). The kernel is registered first
# (`deno jupyter --install --force`: the kernelspec in ~/.local/share/jupyter/kernels/deno points at
# this checkout's node_modules/.bin/deno). CI shortens the trainings with MINIMX_NOTEBOOK_EPOCHS,
# MINIMX_NOTEBOOK_BATCHES and MINIMX_NOTEBOOK_BATCH_SIZE (notebooks/args.ts; they only ever shorten a
# run). MINIMX_NOTEBOOK_JOBS=N runs N notebooks at a time (default 1).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-}
case "$mode" in
  --inplace) shift; target=(--inplace) ;;
  --out) out=$2; shift 2; mkdir -p "$out"; target=(--output-dir "$out") ;;
  *) echo "usage: notebooks/run.sh --inplace|--out DIR [name ...]" >&2; exit 2 ;;
esac
command -v jupyter-nbconvert >/dev/null || { echo "jupyter-nbconvert missing: apt-get install jupyter-nbconvert" >&2; exit 1; }
npx deno jupyter --install --force </dev/null >/dev/null 2>&1 || { echo "deno jupyter --install failed" >&2; exit 1; }
if [ "$#" -eq 0 ]; then
  names=()
  for f in notebooks/*.ipynb; do names+=("$(basename "$f" .ipynb)"); done
else
  names=("$@")
fi
# one notebook: its log and exit status into $work/<name>.log and .rc
run_one() {
  local name=$1 start=$SECONDS status=0
  # iopub_timeout: under load the kernel's last display (a training cell's curves) can arrive more
  # than nbclient's default 4 s after the cell's reply, and would be dropped
  jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout=3600 \
    --ExecutePreprocessor.iopub_timeout=120 "${target[@]}" \
    "notebooks/$name.ipynb" </dev/null >"$work/$name.log" 2>&1 || status=$?
  echo "$status $((SECONDS - start))" >"$work/$name.rc"
}
jobs=${MINIMX_NOTEBOOK_JOBS:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for name in "${names[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  run_one "$name" &
done
wait
failed=()
for name in "${names[@]}"; do
  read -r status took <"$work/$name.rc"
  if [ "$status" -eq 0 ]; then
    echo "ok   $name ($took s)"
  else
    echo "FAIL $name ($took s):"
    # the failing cell and its error (nbclient's CellExecutionError), else the log's end
    if grep -q CellExecutionError "$work/$name.log"; then
      sed -n '/^nbclient.exceptions.CellExecutionError/,$p' "$work/$name.log" | head -n 40
    else
      grep -v 'is unstable' "$work/$name.log" | tail -n 25
    fi
    failed+=("$name")
  fi
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "notebooks with a failing cell: ${failed[*]}"
  exit 1
fi
echo "all ${#names[@]} notebooks ran without a cell error"
