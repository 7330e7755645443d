#!/usr/bin/env bash
# The web container's main process: three uWSGI emperors, one for the builds' routers
# (vassal.ini), one for their worker pools (zerg.ini), one for canary pools (canary.ini: a build's
# extra pool on another build's router, conf/uwsgi/canary.skel). If one dies, the script stops the
# others and exits non-zero, so Docker's restart policy brings the whole container back.
set -uo pipefail
# uWSGI logs to stderr; the emperors and every vassal inherit this, so all of it goes to stdout.
exec 2>&1
run=/code/deploy/run
builds=/code/deploy/builds
mkdir -p "$builds" "$run"
# Sockets left by a previous container only refuse connections: clear them so a socket file
# means a live server (uWSGI rebinds its own paths anyway).
rm -f "$run"/*.stats "$run"/*.sock

# --emperor-freq takes whole seconds; 1 is the fastest scan this uWSGI offers.
uwsgi --emperor "$builds/[a-z]*/vassal.ini" --emperor-freq 1 \
      --emperor-stats "$run/emperor-vassals.stats" &
vassals=$!
# Graceful: removing a zerg.ini lets the old pool finish its in-flight requests.
uwsgi --emperor "$builds/[a-z]*/zerg.ini" --emperor-freq 1 --emperor-graceful-shutdown \
      --emperor-stats "$run/emperor-pools.stats" &
pools=$!
# Graceful too: removing a canary.ini withdraws the canary without failing its in-flight requests.
uwsgi --emperor "$builds/[a-z]*/canary.ini" --emperor-freq 1 --emperor-graceful-shutdown \
      --emperor-stats "$run/emperor-canaries.stats" &
canaries=$!

stop() {
  kill -INT "$vassals" "$pools" "$canaries" 2>/dev/null
  wait "$vassals" "$pools" "$canaries"
}
trap 'stop; exit 0' TERM INT

wait -n "$vassals" "$pools" "$canaries"
echo "regent: an emperor exited with status $?; stopping the web container" >&2
stop
exit 1
