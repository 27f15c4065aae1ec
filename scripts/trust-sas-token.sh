#!/usr/bin/env bash
# Issues a trust's SAS token restricted to its publisher endpoint safety-events/publishers/{ODS}.
#
#   scripts/trust-sas-token.sh --ods RJ1 [--days 90] [--expiry UNIX_SECONDS]
#
# Namespace, resource group and hub come from the azd environment (azd env get-value ...), or from
# EVENT_HUBS_NAMESPACE / AZURE_RESOURCE_GROUP / EVENT_HUB_NAME. The signing key is the trust's hub-level
# send rule `trust-{ods}-send`, read with the az CLI, or given in TRUST_RULE_KEY. Prints the token on stdout.
# The key never leaves the operator: only the token goes to the trust. (openssl receives the key on its
# command line for the moment it runs: run this on the operator's own machine, not a shared one.)
set -euo pipefail

ods="" days=90 expiry=""
while [ $# -gt 0 ]; do
  case "$1" in
    --ods) ods="$2"; shift 2 ;;
    --days) days="$2"; shift 2 ;;
    --expiry) expiry="$2"; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
[[ "$ods" =~ ^[A-Za-z0-9]{3,10}$ ]] || { echo "--ods must be an ODS code (3-10 letters/digits)" >&2; exit 2; }

env_value() { # $1 = variable name: environment first, then the azd environment
  if [ -n "${!1:-}" ]; then echo "${!1}"; else azd env get-value "$1"; fi
}
namespace="$(env_value EVENT_HUBS_NAMESPACE)"
hub="${EVENT_HUB_NAME:-safety-events}"
rule="trust-$(tr '[:upper:]' '[:lower:]' <<<"$ods")-send"
key="${TRUST_RULE_KEY:-}"
if [ -z "$key" ]; then
  key="$(az eventhubs eventhub authorization-rule keys list \
    --resource-group "$(env_value AZURE_RESOURCE_GROUP)" --namespace-name "$namespace" \
    --eventhub-name "$hub" --name "$rule" --query primaryKey --output tsv)"
fi
expiry="${expiry:-$(( $(date +%s) + days * 86400 ))}"

# The token's resource is the publisher endpoint: the service accepts it only for that publisher.
uri="https://${namespace}.servicebus.windows.net/${hub}/publishers/${ods}"
encoded_uri="$(printf '%s' "$uri" | sed -e 's/%/%25/g' -e 's/:/%3A/g' -e 's#/#%2F#g')"
# Signature: HMAC-SHA256 over "<url-encoded uri>\n<expiry>" with the rule key's text as the HMAC key.
signature="$(printf '%s\n%s' "$encoded_uri" "$expiry" | openssl dgst -sha256 -mac HMAC -macopt "key:${key}" -binary | base64 -w0)"
encoded_signature="$(printf '%s' "$signature" | sed -e 's/+/%2B/g' -e 's#/#%2F#g' -e 's/=/%3D/g')"

echo "SharedAccessSignature sr=${encoded_uri}&sig=${encoded_signature}&se=${expiry}&skn=${rule}"
