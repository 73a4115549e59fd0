#!/usr/bin/env bash
# Creates .venv with Python 3.10 and installs the locked dependencies and this project.
# Idempotent: make calls it only when the requirement files changed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY310=$(scripts/find-python310.sh)
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
  rm -rf .venv
  "$PY310" -m venv .venv
fi
export PIP_DISABLE_PIP_VERSION_CHECK=1
.venv/bin/python -m pip install --quiet --upgrade "pip==24.0" "setuptools==70.3.0" "wheel==0.43.0"
.venv/bin/python -m pip install --quiet -c requirements/constraints.txt \
  -r requirements/base.in -r requirements/dev.in
.venv/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
touch .venv/.installed
