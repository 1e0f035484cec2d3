#!/usr/bin/env bash
# `npm run notebooks`: registers Deno's TypeScript kernel and opens notebooks/ in JupyterLab (or the
# classic Notebook) when one is installed; otherwise prints the two commands to run.
set -euo pipefail
cd "$(dirname "$0")/.."
npx deno jupyter --install --force </dev/null >/dev/null 2>&1
echo "registered the Deno kernel (npx deno jupyter --install --force)"
for app in jupyter-lab jupyter-notebook; do
  if command -v "$app" >/dev/null; then exec "$app" notebooks/; fi
done
cat <<'TEXT'
No JupyterLab or Notebook here. Install one (pip install jupyterlab, or apt-get install
jupyter-notebook), or open notebooks/*.ipynb in VS Code's Jupyter extension with the "Deno" kernel.
The two commands this script wraps:
  npx deno jupyter --install --force
  jupyter lab notebooks/
TEXT
