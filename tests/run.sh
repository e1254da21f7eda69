#!/usr/bin/env bash
# The test command (`npm test`): make sure the system packages the tests use are
# present, then run every test once. Fails when any test fails.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -d /usr/share/datasets/fashion-mnist ] || need+=(dataset-fashion-mnist)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
# The export tests run the exported PyTorch code (torch with torchrun, numpy).
/usr/bin/python3 -c 'import torch' >/dev/null 2>&1 || need+=(python3-torch)
/usr/bin/python3 -c 'import numpy' >/dev/null 2>&1 || need+=(python3-numpy)

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing test dependencies: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "The tests need these Debian packages: ${need[*]}" >&2
    echo "Install them with:  sudo apt-get update && sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
fi

[ -d node_modules ] || npm install

# With arguments (a file, a -t filter), run just that.
if [ $# -gt 0 ]; then exec npx vitest run "$@"; fi

# The types (vitest strips them without checking) and the lint rules; every test but the real-browser
# ones, in parallel; then the real-browser tests one file at a time (two headless
# Chromiums, one rendering WebGPU in software, starve each other on a small machine
# until waits time out). All three always run; the command fails if any does.
status=0
npx tsc --noEmit -p tsconfig.json || { echo "Type errors (above)." >&2; status=1; }
npx eslint . --max-warnings 0 || { echo "Lint problems (above); see eslint.config.js." >&2; status=1; }
npx prettier --check . --log-level warn || { echo "Unformatted files (above): npm run format fixes them." >&2; status=1; }
npx vitest run --exclude 'tests/e2e/**' || status=1
npx vitest run tests/e2e --no-file-parallelism || status=1
exit $status
