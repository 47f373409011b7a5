#!/bin/sh
# Installs what building and testing Perpscope needs on Debian 12, and nothing when it is
# all there already (so it is quick to run every time). Needs root or sudo for apt-get.
set -eu

PACKAGES="cmake g++ make pkgconf libsqlite3-dev zlib1g-dev libpq-dev postgresql-15 \
qt6-base-dev qt6-svg-dev qt6-websockets-dev libqcustomplot-dev libgl-dev \
libqt6sql6-sqlite qt6-qpa-plugins fonts-dejavu-core \
xvfb xauth desktop-file-utils appstream lintian file librsvg2-bin dpkg-dev \
clang-14 libclang-rt-14-dev"

missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "Installing:$missing" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
