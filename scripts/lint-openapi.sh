#!/usr/bin/env bash
# Lints the served OpenAPI document with Redocly's recommended rules (npm's @redocly/cli, fetched by npx).
# Usage: scripts/lint-openapi.sh [SERVER=http://localhost:5080]   Exit code: Redocly's (0 when there is no error).
# Not part of scripts/test.sh: it needs the npm registry. OpenApiConformanceTests checks the same essentials offline.
set -euo pipefail
server=${1:-http://localhost:5080}
document=$(mktemp --suffix=.json)
trap 'rm -f "$document"' EXIT
curl -fsS "$server/openapi/v1.json" -o "$document"
npx -y @redocly/cli@2 lint "$document" --format=summary
