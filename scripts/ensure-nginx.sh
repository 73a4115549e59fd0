#!/usr/bin/env bash
# The scaled-out setup (`make run-scaled`, tests/scaled/) puts Debian's nginx in front of
# the Rasa replicas. Installs it with apt when it is missing and we are root; otherwise
# says how. Idempotent: does nothing when nginx is there. Only the binary is used: the
# stack writes its own configuration under var/ and runs nginx as the current user
# (no system service, nothing under /var/log/nginx).
set -euo pipefail
if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's nginx for the scaled-out setup..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # nginx-light on bookworm, nginx alone on releases without the -light package.
  # policy-rc.d 101: do not start the system service the package ships.
  policy=/usr/sbin/policy-rc.d
  created=""
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; created=1; fi
  apt-get install -y -qq nginx-light >/dev/null 2>&1 || apt-get install -y -qq nginx >/dev/null
  if [ -n "$created" ]; then rm -f "$policy"; fi
else
  echo "The scaled-out setup needs Debian's nginx: run 'sudo apt-get install nginx-light'." >&2
  exit 1
fi
