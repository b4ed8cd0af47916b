#!/usr/bin/env bash
# Fetch the console's pinned JavaScript libraries from the npm registry and copy the files
# it serves into src/crisis_dispatch/entrypoints/console/static/vendor/, with their licences.
# Run by hand when a version changes; never at build or run time (the console works offline).
#
#   tools/vendor_js.sh            # needs `npm` (only to download the package tarball)
#
# Pinned: leaflet 1.9.4 (BSD-2-Clause). The tarball's sha512 is checked against the value
# below, which is the registry's `dist.integrity` for that version.
set -euo pipefail
cd "$(dirname "$0")/.."
DEST=src/crisis_dispatch/entrypoints/console/static/vendor
LEAFLET_VERSION=1.9.4
LEAFLET_INTEGRITY="sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA=="

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "leaflet@${LEAFLET_VERSION}" >/dev/null)
tarball="$work/leaflet-${LEAFLET_VERSION}.tgz"
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [ "$actual" != "$LEAFLET_INTEGRITY" ]; then
  echo "error: leaflet-${LEAFLET_VERSION}.tgz integrity $actual does not match the pinned $LEAFLET_INTEGRITY" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$work"
out="$DEST/leaflet-${LEAFLET_VERSION}"
rm -rf "$out" && mkdir -p "$out/images"
cp "$work/package/dist/leaflet.js" "$work/package/dist/leaflet.css" "$out/"
cp "$work/package/dist/images/"*.png "$out/images/"
cp "$work/package/LICENSE" "$out/LICENSE"
printf 'leaflet %s from the npm registry (%s), BSD-2-Clause; see LICENSE.\n' "$LEAFLET_VERSION" "$LEAFLET_INTEGRITY" > "$out/SOURCE.txt"
echo "vendored leaflet ${LEAFLET_VERSION} into $out"
