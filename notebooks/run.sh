#!/usr/bin/env bash
# Executes the notebooks with Jupyter's nbconvert and Deno's TypeScript kernel, one at a time,
# and fails (exit 1, naming them) when any cell of any notebook raised an error.
#   notebooks/run.sh --inplace [name ...]      the full runs whose outputs are committed
#   notebooks/run.sh --out DIR [name ...]      CI: executed copies go to DIR, the committed files stay
# Names are notebook file names without .ipynb (default: all). The kernel is registered first
# (`deno jupyter --install --force`: the kernelspec in ~/.local/share/jupyter/kernels/deno points at
# this checkout's node_modules/.bin/deno). CI shortens the trainings with MINIMX_NOTEBOOK_EPOCHS and
# MINIMX_NOTEBOOK_BATCHES (notebooks/args.ts).
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
failed=()
for name in "${names[@]}"; do
  start=$SECONDS
  log=$(mktemp)
  if jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout=3600 "${target[@]}" \
    "notebooks/$name.ipynb" </dev/null >"$log" 2>&1; then
    echo "ok   $name ($((SECONDS - start)) s)"
  else
    echo "FAIL $name ($((SECONDS - start)) s):"
    # the failing cell and its error (nbclient's CellExecutionError), else the log's end
    if grep -q CellExecutionError "$log"; then
      sed -n '/^nbclient.exceptions.CellExecutionError/,$p' "$log" | head -n 40
    else
      grep -v 'is unstable' "$log" | tail -n 25
    fi
    failed+=("$name")
  fi
  rm -f "$log"
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "notebooks with a failing cell: ${failed[*]}"
  exit 1
fi
echo "all ${#names[@]} notebooks ran without a cell error"
