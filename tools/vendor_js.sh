#!/usr/bin/env bash
# Fetch the pinned JavaScript libraries from the npm registry, with their licences:
# the console's (served from src/crisis_dispatch/entrypoints/console/static/vendor/) and the
# browser tests' (tests/browser/vendor/, never served by the app).
# Run by hand when a version changes; never at build or run time (the console works offline).
#
#   tools/vendor_js.sh            # needs `npm` (only to download the package tarball)
#
# Pinned: leaflet 1.9.4 (BSD-2-Clause) for the console map; axe-core 4.14.1 (MPL-2.0,
# copied unmodified with its licence) for the accessibility checks of the browser tests.
# Each tarball's sha512 is checked against the value below, the registry's `dist.integrity`.
set -euo pipefail
cd "$(dirname "$0")/.."
DEST=src/crisis_dispatch/entrypoints/console/static/vendor
LEAFLET_VERSION=1.9.4
LEAFLET_INTEGRITY="sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA=="
AXE_VERSION=4.14.1
AXE_INTEGRITY="sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
TEST_DEST=tests/browser/vendor

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# fetch NAME VERSION INTEGRITY: download the tarball, check it, unpack it into $work/NAME.
fetch() {
  (cd "$work" && npm pack --silent "$1@$2" >/dev/null)
  local tarball="$work/$1-$2.tgz" actual
  actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
  if [ "$actual" != "$3" ]; then
    echo "error: $1-$2.tgz integrity $actual does not match the pinned $3" >&2
    exit 1
  fi
  mkdir -p "$work/$1" && tar -xzf "$tarball" -C "$work/$1"
}

fetch leaflet "$LEAFLET_VERSION" "$LEAFLET_INTEGRITY"
out="$DEST/leaflet-${LEAFLET_VERSION}"
rm -rf "$out" && mkdir -p "$out/images"
cp "$work/leaflet/package/dist/leaflet.js" "$work/leaflet/package/dist/leaflet.css" "$out/"
cp "$work/leaflet/package/dist/images/"*.png "$out/images/"
cp "$work/leaflet/package/LICENSE" "$out/LICENSE"
printf 'leaflet %s from the npm registry (%s), BSD-2-Clause; see LICENSE.\n' "$LEAFLET_VERSION" "$LEAFLET_INTEGRITY" > "$out/SOURCE.txt"
echo "vendored leaflet ${LEAFLET_VERSION} into $out"

fetch axe-core "$AXE_VERSION" "$AXE_INTEGRITY"
out="$TEST_DEST/axe-core-${AXE_VERSION}"
rm -rf "$out" && mkdir -p "$out"
cp "$work/axe-core/package/axe.min.js" "$work/axe-core/package/LICENSE" "$out/"
printf 'axe-core %s from the npm registry (%s), MPL-2.0, unmodified; see LICENSE.\n' "$AXE_VERSION" "$AXE_INTEGRITY" > "$out/SOURCE.txt"
echo "vendored axe-core ${AXE_VERSION} into $out"
