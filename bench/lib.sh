# Shared helpers of Regent's benchmarks: a throwaway copy of the stack, wrk parsing, promotions.
# Everything talks to 127.0.0.1 ports or `docker exec`; every load run is bounded in time.

say() { printf '[bench] %s\n' "$*" >&2; }
now() { date +%s.%N; }

# Starts a copy of the stack in $BENCH_DIR under compose project $BENCH_PROJECT, converged by
# `regent apply` with builds a (live) and b (stage).
bench_stack_up() {
  local strategy=$1
  bench_stack_copy
  write_desired "$strategy" a b
  bench_stack_start
  regent apply >/dev/null
}

# A fresh $BENCH_DIR with the stack's files, the sample app and the wheelhouse its builds install from.
bench_stack_copy() {
  rm -rf "$BENCH_DIR"; mkdir -p "$BENCH_DIR/deploy/deps"
  (cd "$ROOT" && cp -r docker-compose.yml conf docker examples .gitignore "$BENCH_DIR/")
  ls "$ROOT"/deploy/deps/wheelhouse/*.whl >/dev/null 2>&1 \
    || { say "deploy/deps/wheelhouse has no wheels: run bin/setup-wheelhouse (see its first lines)"; exit 1; }
  cp -r "$ROOT/deploy/deps/wheelhouse" "$BENCH_DIR/deploy/deps/wheelhouse"
}

# Commits $BENCH_DIR as a git repository, makes the database password (as bin/regent up does) and
# starts db, web and nginx.
bench_stack_start() {
  git -C "$BENCH_DIR" init -q -b main
  git -C "$BENCH_DIR" -c user.email=bench@regent.test -c user.name=bench add -A
  git -C "$BENCH_DIR" -c user.email=bench@regent.test -c user.name=bench commit -qm "bench stack"
  mkdir -p "$BENCH_DIR/deploy/secrets" && chmod 700 "$BENCH_DIR/deploy/secrets"
  [ -s "$BENCH_DIR/deploy/secrets/db-password" ] || (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$BENCH_DIR/deploy/secrets/db-password")
  (cd "$BENCH_DIR" && docker-compose -p "$BENCH_PROJECT" up -d db web nginx >/dev/null 2>&1)
}

bench_stack_down() {
  if [ -n "${RUN_PID:-}" ]; then kill "$RUN_PID" 2>/dev/null; wait "$RUN_PID" 2>/dev/null || true; fi
  (cd "$BENCH_DIR" 2>/dev/null && docker-compose -p "$BENCH_PROJECT" down -v -t 2 >/dev/null 2>&1) || true
  rm -rf "$BENCH_DIR"
}

# write_desired STRATEGY LIVE STAGE: replaces desired-state.yaml in one rename.
write_desired() {
  cat > "$BENCH_DIR/.desired.new" <<YAML
apiVersion: regent/v1
kind: Host
metadata:
  name: $BENCH_PROJECT
spec:
  source: {repo: ., path: examples/app}
  strategy: $1
  builds:
    a: {ref: HEAD}
    b: {ref: HEAD}
  live: $2
  stage: $3
YAML
  mv "$BENCH_DIR/.desired.new" "$BENCH_DIR/desired-state.yaml"
}

regent() {
  java -jar "$ROOT/target/regent.jar" "$@" --root "$BENCH_DIR" --file "$BENCH_DIR/desired-state.yaml"
}

# regent_loop LOG ARGS...: starts `regent run` in the background; RUN_PID is the JVM itself.
regent_loop() {
  local log=$1; shift
  java -jar "$ROOT/target/regent.jar" run --listen off "$@" --root "$BENCH_DIR" --file "$BENCH_DIR/desired-state.yaml" >"$log" 2>&1 &
  RUN_PID=$!
}

served_by() {
  curl -s -o /dev/null --max-time 2 -w '%header{x-regent-build}' "http://127.0.0.1:$1/healthz"
}

# until_served PORT BUILD: waits (at most 30 s) until PORT answers from BUILD.
until_served() {
  local deadline=$(( $(date +%s) + 30 ))
  until [ "$(served_by "$1")" = "$2" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || { say "port $1 never served build $2"; return 1; }
    sleep 0.01
  done
}

# until_served_long PORT BUILD: as until_served, for changes that wait on a poll (at most 120 s).
until_served_long() {
  local deadline=$(( $(date +%s) + 120 ))
  until [ "$(served_by "$1")" = "$2" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || { say "port $1 never served build $2"; return 1; }
    sleep 0.05
  done
}

# wrk_start OUT [extra wrk args...]: keep-alive load on the live port until wrk_stop.
wrk_start() {
  local out=$1; shift
  wrk -t2 -c32 -d600s --latency "$@" "http://127.0.0.1:$LIVE_PORT${WRK_PATH:-/healthz}" >"$out" 2>&1 &
  WRK_PID=$!
  sleep 2
}

wrk_stop() {
  kill -INT "$WRK_PID" 2>/dev/null; wait "$WRK_PID" 2>/dev/null || true
}

# wrk_summary FILE: "requests failed p50 p99" (failed = socket errors + non-2xx/3xx).
wrk_summary() {
  awk '
    /requests in/ { req = $1 }
    /Socket errors/ { gsub(",", ""); err += $4 + $6 + $8 + $10 }
    /Non-2xx or 3xx/ { err += $5 }
    /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
    END { printf "%s %d %s %s\n", req, err, p50, p99 }' "$1"
}

# stats FILE: "median max" of the numbers in FILE (seconds -> ms).
stats_ms() {
  sort -n "$1" | awk '{ v[NR] = $1 * 1000 } END { if (NR == 0) { print "- -"; exit }
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.0f %.0f\n", m, v[NR] }'
}
