#!/usr/bin/env bash
# Installs the system packages PhysMod needs on Debian/Ubuntu (idempotent):
#   fonts-dejavu-core  text in PNG plots (SkiaSharp scans the font folders; without fonts, text silently vanishes)
#   python3-numpy      the safetensors interoperability check (benchmarks/check_safetensors.py) run by the tests
#   g++                the C++ reference loop of `physmod bench simulate`
#   chromium           the headless-browser check of the comparison's report.html (tests/PhysMod.Tests/Comparison)
set -euo pipefail
need=()
for p in fonts-dejavu-core python3-numpy g++ chromium; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
[ ${#need[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${need[@]}" >/dev/null
echo "installed: ${need[*]}" >&2
