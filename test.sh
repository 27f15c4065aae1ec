#!/usr/bin/env bash
# Runs every test of SafetySurveillance on a fresh clone: installs what the tests need
# (scripts/bootstrap.sh), builds the solution with warnings as errors, and runs all test projects
# (xunit v3 on Microsoft.Testing.Platform) against real Azurite and the real Event Hubs emulator.
set -euo pipefail
cd "$(dirname "$0")"

scripts/bootstrap.sh
dotnet build SafetySurveillance.sln --nologo -v quiet

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test --solution SafetySurveillance.sln --no-build --no-progress "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One plain closing line for CI: "Tests: N passed, N failed, N skipped".
sum() { grep -E "^\s*$1:\s+[0-9]+" "$log" | awk '{s+=$2} END {print s+0}'; }
echo "Tests: $(sum succeeded) passed, $(sum failed) failed, $(sum skipped) skipped"
exit "$status"
