#!/bin/sh
# Regenerates docs/sinchform.1 from the command definitions (swift-argument-parser's generate-manual plugin reads
# the built binary's --experimental-dump-help). Run it after adding or changing a command or flag.
set -eu
cd "$(dirname "$0")/.."
swift package plugin generate-manual --configuration debug --authors "sinchform contributors" \
    --date "$(date -u +%Y-%m-%d)"
cp .build/plugins/GenerateManual/outputs/sinchform/sinchform.1 docs/sinchform.1
echo "wrote docs/sinchform.1 (view it with: man ./docs/sinchform.1)"
