#!/usr/bin/env bash
# Builds the solution and runs every test. The last line printed is "N passed, N failed" (", N skipped" follows
# when tests were skipped); the exit code is non-zero when the build or a test failed, or when no test ran.
#
# Usage, from the repository root:  bash .ci/test.sh [extra dotnet test arguments, e.g. --filter Wholesale]
#
# Works on a fresh Debian 12 machine with the .NET SDK: as root it installs what the tests need and is missing
# (chromium for browser tests, the PostgreSQL server binaries); as another user it says what to install.
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root_dir=$PWD
results_dir="$root_dir/TestResults"
started_at=$SECONDS

log() { printf '%s\n' "$*"; }

summary_and_exit() { # passed failed skipped exit-code
    local line="$1 passed, $2 failed"
    if [ "$3" -gt 0 ]; then
        line="$line, $3 skipped"
    fi
    log "$line"
    exit "$4"
}

is_root() { [ "$(id -u)" -eq 0 ]; }

apt_updated=false
apt_install() { # packages...
    local apt_log="$results_dir/apt.log"
    if [ "$apt_updated" = false ]; then
        log "apt-get update ..."
        if ! apt-get update >"$apt_log" 2>&1; then
            log "warning: apt-get update failed (see $apt_log):"
            tail -n 5 "$apt_log"
            return 1
        fi
        apt_updated=true
    fi
    log "apt-get install $* ..."
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y "$@" >>"$apt_log" 2>&1; then
        log "warning: apt-get install $* failed (see $apt_log):"
        tail -n 5 "$apt_log"
        return 1
    fi
}

postgres_bin() {
    if [ -n "${POSTGRES_BIN:-}" ]; then
        printf '%s\n' "$POSTGRES_BIN"
        return
    fi
    # The newest installed major version, as the test fixture picks it.
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$dir" ] && [ -x "$dir/initdb" ] && printf '%s\n' "$dir"
}

# A test host that was killed cannot stop the PostgreSQL server it started; stop any left in our folder.
stop_leftover_postgres() {
    local bin pidfile data
    bin=$(postgres_bin) || return 0
    for pidfile in "$results_dir"/tmp/acrm-pg-*/data/postmaster.pid; do
        [ -f "$pidfile" ] || continue
        data=$(dirname "$pidfile")
        log "stopping a PostgreSQL test server left running in $data"
        if is_root; then
            runuser -u postgres -- "$bin/pg_ctl" --pgdata "$data" --mode immediate stop >/dev/null 2>&1 || true
        else
            "$bin/pg_ctl" --pgdata "$data" --mode immediate stop >/dev/null 2>&1 || true
        fi
    done
}

# --- prerequisites ---------------------------------------------------------------------------------------------
if ! command -v dotnet >/dev/null 2>&1; then
    log "error: the .NET SDK (dotnet) is not on PATH; install the SDK named in global.json."
    summary_and_exit 0 0 0 1
fi

stop_leftover_postgres
rm -rf "$results_dir"
mkdir -p "$results_dir/tmp"
# The PostgreSQL fixture runs the server as the postgres user under root: it must be able to enter this folder.
chmod 755 "$results_dir" "$results_dir/tmp"

if [ ! -x /usr/bin/chromium ]; then
    if is_root; then
        apt_install chromium || log "warning: chromium could not be installed; browser tests will fail."
    else
        log "note: /usr/bin/chromium is missing and this is not root; browser tests need it:"
        log "      sudo apt-get update && sudo apt-get install -y chromium"
    fi
fi

if ! postgres_bin >/dev/null; then
    if is_root; then
        apt_install postgresql || log "warning: PostgreSQL could not be installed; the PostgreSQL tests will fail."
    else
        log "note: the PostgreSQL server binaries are missing and this is not root; the PostgreSQL tests will fail."
        log "      sudo apt-get update && sudo apt-get install -y postgresql   (or set POSTGRES_BIN)"
    fi
fi

# Everything the tests write to a temporary folder lands here and goes with the next run.
export TMPDIR="$results_dir/tmp"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# --- build ---------------------------------------------------------------------------------------------------
log "dotnet build ..."
# No build servers: nothing may outlive the script (a CI runner waits for every process holding its output).
if ! dotnet build AutomotiveCrm.sln --nologo --disable-build-servers -v minimal -clp:ErrorsOnly; then
    log "error: the build failed."
    summary_and_exit 0 0 0 1
fi

# --- test ----------------------------------------------------------------------------------------------------
log "dotnet test ..."
dotnet test AutomotiveCrm.sln --no-build --nologo \
    --results-directory "$results_dir" \
    --logger "trx;LogFilePrefix=results" \
    --logger "console;verbosity=minimal" \
    --blame-hang-timeout 5m --blame-hang-dump-type none \
    "$@"
test_exit=$?
stop_leftover_postgres

# --- summary from the TRX files ------------------------------------------------------------------------------
# Prints the failed tests with the start of their messages, then "passed failed skipped" on the last line.
counts=""
if command -v python3 >/dev/null 2>&1; then
    counts=$(python3 - "$results_dir" <<'PY'
import glob, os, sys
import xml.etree.ElementTree as ET

ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
failures = []
for path in sorted(glob.glob(os.path.join(sys.argv[1], "**", "*.trx"), recursive=True)):
    for result in ET.parse(path).getroot().iterfind(".//t:Results/t:UnitTestResult", ns):
        outcome = result.get("outcome", "")
        if outcome == "Passed":
            passed += 1
        elif outcome == "NotExecuted":
            skipped += 1
        else:  # Failed, Error, Timeout, Aborted...: anything that is not a pass is a failure
            failed += 1
            message = result.findtext("t:Output/t:ErrorInfo/t:Message", default="", namespaces=ns).strip()
            failures.append((result.get("testName", "?"), outcome, message))

if failures:
    print(f"Failed tests ({len(failures)}):")
    for name, outcome, message in failures:
        print(f"  {outcome.upper()}: {name}")
        for line in message.splitlines()[:6]:
            print(f"      {line}")
print(passed, failed, skipped)
PY
    )
fi
if [ -z "$counts" ]; then
    # No python3: add up the TRX counters instead (without failure details; the console output above has them).
    passed=0 failed=0 skipped=0
    counter() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
    while IFS= read -r trx; do
        counters=$(grep -o '<Counters [^>]*>' "$trx")
        passed=$((passed + $(counter passed)))
        failed=$((failed + $(counter failed) + $(counter error) + $(counter timeout) + $(counter aborted)))
        # Skipped tests are counted in total but not in executed.
        skipped=$((skipped + $(counter total) - $(counter executed)))
    done < <(find "$results_dir" -name '*.trx')
    counts="$passed $failed $skipped"
fi

printf '%s\n' "$counts" | sed '$d'
read -r passed failed skipped <<<"$(printf '%s\n' "$counts" | tail -n 1)"
total=$((passed + failed + skipped))

log "Test results: $results_dir (took $((SECONDS - started_at)) s)"
exit_code=0
if [ "$test_exit" -ne 0 ] && [ "$failed" -eq 0 ]; then
    # No failed result was recorded but the run did not complete (a crash, or a test hung past the blame timeout):
    # count it as a failure so the closing line tells the truth.
    log "error: the test run did not complete (aborted, crashed or hung; see the console output above)."
    failed=1
fi
if [ "$test_exit" -ne 0 ] || [ "$failed" -gt 0 ]; then
    exit_code=1
fi
if [ "$total" -eq 0 ]; then
    log "error: no test ran."
    exit_code=1
fi
summary_and_exit "$passed" "$failed" "$skipped" "$exit_code"
