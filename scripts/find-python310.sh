#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter, the only version Rasa 3.6 runs on.
# Looks on PATH first, then in pyenv's and the usual install folders, so a machine
# whose pyenv shim has 3.10 installed but not selected still works.
set -u
candidates=()
if command -v python3.10 >/dev/null 2>&1; then candidates+=("$(command -v python3.10)"); fi
if command -v pyenv >/dev/null 2>&1; then
  for d in "$(pyenv root 2>/dev/null)"/versions/3.10*/bin/python3.10; do candidates+=("$d"); done
fi
for d in "$HOME"/.pyenv/versions/3.10*/bin/python3.10 /usr/local/bin/python3.10 /usr/bin/python3.10; do
  candidates+=("$d")
done
for py in "${candidates[@]}"; do
  if [ -x "$py" ] && "$py" -c 'import sys, venv; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1; then
    echo "$py"
    exit 0
  fi
done
echo "Python 3.10 was not found: install it (Debian/Ubuntu: 'sudo apt-get install python3.10 python3.10-venv', or 'pyenv install 3.10') and run this again." >&2
exit 1
