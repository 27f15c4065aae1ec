#!/usr/bin/env bash
# Builds the function app's deployment zip: the layout the Azure Functions host expects
# (host.json at the root, one folder per function with its function.json, the app's binaries).
#
#   scripts/publish-functionapp.sh [ZIP_PATH]     default: artifacts/functionapp/SafetySurveillance.Functions.zip
#
# Deploy the zip without azd:  az functionapp deployment source config-zip -g <rg> -n <app> --src <zip>
# (azd does the same publish itself: `azd deploy`.)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
zip="$(realpath -m "${1:-$root/artifacts/functionapp/SafetySurveillance.Functions.zip}")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A private artifacts folder: safe beside other builds of the same checkout.
dotnet publish "$root/src/SafetySurveillance.Functions/SafetySurveillance.Functions.csproj" \
  --configuration Release --nologo --verbosity quiet --disable-build-servers \
  --artifacts-path "$work/artifacts" --output "$work/publish" \
  -p:FunctionAppZipPath="$zip" >&2

echo "$zip"
