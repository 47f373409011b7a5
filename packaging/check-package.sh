#!/bin/sh
# Package checks, run by CTest (label "package"; registered in packaging/CMakeLists.txt):
#
#   check-package.sh files   BUILD_DIR VERSION APP_ID
#     `cmake --install` into a staging dir: every file is there (binary, desktop entry,
#     metainfo, SVG + PNG icons of the right sizes, man page, copyright, changelog, the
#     recorder's systemd unit and sample environment file), and
#     desktop-file-validate, appstreamcli validate and man --warnings have nothing to say.
#   check-package.sh deb     BUILD_DIR VERSION APP_ID
#     cpack builds the .deb into BUILD_DIR/package-check; its control fields are right, the
#     binary is stripped, and lintian reports no error and no warning.
#   check-package.sh install BUILD_DIR VERSION APP_ID
#     As root on a machine with apt (exit 77 = skipped otherwise): apt-get installs that .deb,
#     the installed /usr/bin/perpscope runs (--version, a headless backfill and export into a
#     temporary database, export image once that command exists, a GUI screenshot on the
#     offscreen platform), the installed desktop entry and metainfo validate, and the package
#     is purged again whatever happens. A perpscope package this check did not install is
#     never touched (the check is skipped instead).
#
# CMAKE and CPACK name the tools of the build (set by CTest); plain cmake/cpack otherwise.
set -eu

mode=$1 build=$(cd "$2" && pwd) version=$3 appid=$4
work=$build/package-check
CMAKE=${CMAKE:-cmake}
CPACK=${CPACK:-cpack}
sizes="16 22 24 32 48 64 128 256 512"

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }
need() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || skip "$tool is not installed (packaging/install-deps.sh installs it)"
  done
}
# Runs a validator that must print nothing and succeed.
quiet() {
  out=$("$@" 2>&1) || { echo "$out"; fail "$*"; }
  [ -z "$out" ] || { echo "$out"; fail "$* has remarks"; }
}

check_tree() { # $1 = the prefix (…/usr) of an installed tree
  usr=$1
  for f in bin/perpscope "share/applications/$appid.desktop" "share/metainfo/$appid.metainfo.xml" \
           "share/icons/hicolor/scalable/apps/$appid.svg" share/man/man1/perpscope.1.gz \
           share/doc/perpscope/copyright share/doc/perpscope/changelog.gz; do
    [ -f "$usr/$f" ] || fail "not installed: $usr/$f"
  done
  check_recorder_unit "$usr"
  for s in $sizes; do
    png=$usr/share/icons/hicolor/${s}x$s/apps/$appid.png
    file "$png" | grep -q "PNG image data, $s x $s, 8-bit/color RGBA" || fail "$png: $(file -b "$png")"
  done
  quiet desktop-file-validate "$usr/share/applications/$appid.desktop"
  grep -qx 'Exec=perpscope %F' "$usr/share/applications/$appid.desktop" || fail "the desktop entry must run 'perpscope %F'"
  grep -qx "Icon=$appid" "$usr/share/applications/$appid.desktop" || fail "the desktop entry must use the icon $appid"
  out=$(appstreamcli validate --no-net "$usr/share/metainfo/$appid.metainfo.xml" 2>&1) || { echo "$out"; fail "appstreamcli validate"; }
  echo "$out"
  grep -q "<release version=\"$version\"" "$usr/share/metainfo/$appid.metainfo.xml" || fail "the metainfo has no release $version"
  gzip -t "$usr/share/man/man1/perpscope.1.gz" "$usr/share/doc/perpscope/changelog.gz"
  gzip -cd "$usr/share/man/man1/perpscope.1.gz" | grep -q "^\.TH PERPSCOPE 1 .*\"perpscope $version\"" || fail "the man page is not for $version"
  if command -v man >/dev/null 2>&1; then # what lintian runs on man pages
    out=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$usr/share/man/man1/perpscope.1.gz" 2>&1 >/dev/null) \
      || { echo "$out"; fail "man cannot format the man page"; }
    [ -z "$out" ] || { echo "$out"; fail "man --warnings has remarks on the man page"; }
  fi
  first=$(gzip -cd "$usr/share/doc/perpscope/changelog.gz" | head -n 1)
  case $first in "perpscope ($version) "*) ;; *) fail "packaging/changelog starts with '$first', not an entry for $version" ;; esac
  head -n 1 "$usr/share/doc/perpscope/copyright" | grep -qx 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' \
    || fail "the copyright file is not in the machine-readable format"
}

# The recorder service and its sample environment file: the unit runs `perpscope record`
# with the three variables the sample sets, as a dynamic user, restarted on failure; the
# sample parses as an environment file and sets them.
check_recorder_unit() { # $1 = the prefix (…/usr); the unit lives in …/lib/systemd/system (Debian 12)
  unit=${1%/usr}/lib/systemd/system/perpscope-recorder@.service
  env=$1/share/doc/perpscope/examples/recorder.env
  [ -f "$unit" ] || fail "not installed: $unit"
  [ -f "$env" ] || fail "not installed: $env"
  grep -qx 'EnvironmentFile=/etc/perpscope/recorder-%i.env' "$unit" || fail "$unit does not read /etc/perpscope/recorder-%i.env"
  grep -q '^ExecStart=/usr/bin/perpscope record ' "$unit" || fail "$unit does not run perpscope record"
  for key in DynamicUser=yes Restart=on-failure StandardError=journal KillSignal=SIGTERM WantedBy=multi-user.target; do
    grep -qx "$key" "$unit" || fail "$unit lacks $key"
  done
  for var in PERPSCOPE_DB PERPSCOPE_SOURCES PERPSCOPE_INSTRUMENTS; do
    grep -q "\${$var}" "$unit" || fail "$unit does not pass \${$var}"
    grep -q "^$var=." "$env" || fail "$env does not set $var"
  done
  ( set -a; . "$env"; [ -n "$PERPSCOPE_DB" ] && [ -n "$PERPSCOPE_SOURCES" ] && [ -n "$PERPSCOPE_INSTRUMENTS" ] ) \
    || fail "$env does not parse as an environment file"
}

check_files() {
  need desktop-file-validate appstreamcli gzip file
  stage=$(mktemp -d)
  trap 'rm -rf "$stage"' EXIT
  DESTDIR=$stage "$CMAKE" --install "$build" --prefix /usr >/dev/null
  check_tree "$stage/usr"
  echo "installed tree OK"
}

check_deb() {
  need dpkg-deb dpkg-shlibdeps lintian file
  rm -rf "$work"
  mkdir -p "$work"
  "$CPACK" --config "$build/CPackConfig.cmake" -B "$work" >"$work/cpack.log" 2>&1 || { cat "$work/cpack.log"; fail "cpack"; }
  deb=$(ls "$work"/perpscope_"$version"_*.deb)
  dpkg-deb --info "$deb"
  field() { dpkg-deb --field "$deb" "$1"; }
  [ "$(field Package)" = perpscope ] || fail "Package: $(field Package)"
  [ "$(field Version)" = "$version" ] || fail "Version: $(field Version)"
  [ "$(field Section)" = misc ] || fail "Section: $(field Section)"
  [ "$(field Priority)" = optional ] || fail "Priority: $(field Priority)"
  for dep in libqt6svg6 libqt6widgets6 libqt6network6 libqcustomplot2.1-qt6 libsqlite3-0; do
    field Depends | grep -q "$dep" || fail "Depends lacks $dep (see packaging/cpack.cmake): $(field Depends)"
  done
  [ "$(field Recommends)" = qt6-wayland ] || fail "Recommends: $(field Recommends)"
  [ "$(field Description | wc -l)" -ge 5 ] || fail "the long description is missing"
  dpkg-deb --fsys-tarfile "$deb" | tar -xOf - ./usr/bin/perpscope >"$work/perpscope.bin"
  file "$work/perpscope.bin" | grep -q ', stripped' || fail "the binary is not stripped: $(file -b "$work/perpscope.bin")"
  rm -f "$work/perpscope.bin"
  lrc=0
  lintian --fail-on error,warning --display-info "$deb" >"$work/lintian.log" 2>&1 || lrc=$?
  echo "lintian:"
  grep -v 'running with root privileges' "$work/lintian.log" || true
  [ "$lrc" -eq 0 ] || fail "lintian reports errors or warnings (above)"
  echo "$deb OK"
}

# --- install -------------------------------------------------------------------------------

marker=/var/tmp/perpscope-package-check.installed # exists while this check has the package installed

package_present() {
  status=$(dpkg-query -W -f='${db:Status-Abbrev}' perpscope 2>/dev/null || true)
  case $status in "" | un* | pn*) return 1 ;; *) return 0 ;; esac
}

remove_package() {
  if [ -f "$marker" ] && ! package_present; then
    rm -f "$marker" # interrupted before apt-get installed anything
  elif [ -f "$marker" ]; then
    if ! dpkg --purge perpscope >"$tmp/purge.log" 2>&1; then
      cat "$tmp/purge.log"
      echo "FAIL: could not remove the perpscope package; remove it with: dpkg --purge perpscope" >&2
      return 1
    fi
    rm -f "$marker"
    [ ! -e /usr/bin/perpscope ] || { echo "FAIL: /usr/bin/perpscope is still there after the purge" >&2; return 1; }
    echo "package removed"
  fi
}

cleanup() {
  rc=$?
  remove_package || rc=1
  rm -rf "$tmp"
  exit $rc
}

check_install() {
  [ "$(id -u)" -eq 0 ] || skip "installing the package needs root"
  need apt-get dpkg dpkg-query flock desktop-file-validate appstreamcli file
  deb=$(ls "$work"/perpscope_"$version"_*.deb 2>/dev/null | head -n 1)
  [ -n "$deb" ] || fail "no .deb in $work: package_deb builds it"

  # One package check at a time on this machine (several checkouts may run CTest at once).
  exec 9>/run/lock/perpscope-package-check.lock
  flock -w 600 9 || fail "another package check kept the lock for 10 minutes"
  tmp=$(mktemp -d)
  trap cleanup EXIT
  trap 'exit 130' INT TERM HUP
  if package_present; then
    [ -f "$marker" ] || skip "a perpscope package is installed on this machine and this check did not install it; leaving it alone"
    echo "removing the package an interrupted earlier check left installed"
    remove_package || exit 1
  fi

  echo "$deb" >"$marker"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=120 "$deb" \
    >"$tmp/apt.log" 2>&1 || { cat "$tmp/apt.log"; fail "apt-get install $deb"; }
  echo "installed $deb"
  [ "$(dpkg-query -W -f='${Version}' perpscope)" = "$version" ] || fail "dpkg does not list perpscope $version"
  check_tree /usr

  bin=/usr/bin/perpscope
  [ "$($bin --version)" = "perpscope $version" ] || fail "$bin --version prints '$($bin --version)'"

  # A user of the installed app: private home, data, config and runtime dirs.
  mkdir -p "$tmp/home" "$tmp/runtime"
  chmod 700 "$tmp/runtime"
  export HOME="$tmp/home" XDG_DATA_HOME="$tmp/home/data" XDG_CONFIG_HOME="$tmp/home/config" XDG_RUNTIME_DIR="$tmp/runtime"
  db=$tmp/workspace.db
  source=sim
  if ! $bin backfill --db "$db" --source sim --seed 7 --days 2 --instrument BTCUSDT --end 2026-01-03 >"$tmp/backfill.log" 2>&1; then
    grep -q "unknown source 'sim'" "$tmp/backfill.log" || { cat "$tmp/backfill.log"; fail "backfill --source sim"; }
    echo "note: this build has no simulator; backfilling the synthetic walk instead"
    source=synthetic
    $bin backfill --db "$db" --source synthetic --seed 7 --days 2 --instrument BTCUSDT --end 2026-01-03 >"$tmp/backfill.log" 2>&1 \
      || { cat "$tmp/backfill.log"; fail "backfill --source synthetic"; }
  fi
  cat "$tmp/backfill.log"
  $bin export csv --db "$db" --kind candles --instrument BTCUSDT --timeframe 1h --out "$tmp/candles.csv" \
    || fail "export csv from the installed binary"
  rows=$(($(wc -l <"$tmp/candles.csv") - 1))
  [ "$rows" -ge 24 ] || fail "export csv wrote $rows hourly candles of a 2-day $source backfill"
  echo "backfill ($source) + export csv: $rows hourly candles"
  if $bin --help | grep -q 'export image'; then
    $bin export image --db "$db" --pane workspace --out "$tmp/workspace.png" || fail "export image from the installed binary"
    file "$tmp/workspace.png" | grep -q 'PNG image data' || fail "export image wrote no PNG"
    echo "export image: $(file -b "$tmp/workspace.png")"
  else
    echo "note: this build has no 'export image' command yet"
  fi
  # The recorder: a source that ends (the synthetic walk has no live stream) ends it with
  # exit 0 after its batches are committed; status reads what it stored. The service unit
  # verifies against the installed binary.
  $bin record --db "$tmp/recorded.db" --source synthetic --instrument BTCUSDT --days 1 >"$tmp/record.log" 2>&1 \
    || { cat "$tmp/record.log"; fail "record from the installed binary"; }
  grep -q '^synthetic: batch committed ' "$tmp/record.log" || { cat "$tmp/record.log"; fail "record logged no committed batch"; }
  $bin status --db "$tmp/recorded.db" --now 2030-01-01 | grep -q '^SYNTH:BTCUSDT  *candles ' || fail "status lists no SYNTH:BTCUSDT candles"
  echo "record + status: $(grep -c 'batch committed' "$tmp/record.log") batches committed"
  if command -v systemd-analyze >/dev/null 2>&1; then
    mkdir -p "$tmp/units"
    ln -s /lib/systemd/system/perpscope-recorder@.service "$tmp/units/perpscope-recorder@check.service"
    systemd-analyze verify --man=no "$tmp/units/perpscope-recorder@check.service" || fail "systemd-analyze verify perpscope-recorder@.service"
    echo "systemd-analyze verify: perpscope-recorder@.service OK"
  fi
  # The GUI without --db: its database goes to the user's data dir, its settings to the
  # config dir (written when the window closes after the screenshot).
  QT_QPA_PLATFORM=offscreen timeout 120 $bin --source synthetic --size 1200x800 --screenshot "$tmp/window.png" --screenshot-after 1 \
    >"$tmp/gui.log" 2>&1 || { cat "$tmp/gui.log"; fail "the installed GUI did not start and quit"; }
  file "$tmp/window.png" | grep -q 'PNG image data, 1200 x 800' || fail "GUI screenshot: $(file -b "$tmp/window.png")"
  [ -s "$XDG_DATA_HOME/Perpscope/perpscope/perpscope.db" ] || fail "no database under \$XDG_DATA_HOME/Perpscope/perpscope"
  [ -s "$XDG_CONFIG_HOME/Perpscope/perpscope.conf" ] || fail "no settings in \$XDG_CONFIG_HOME/Perpscope/perpscope.conf"
  echo "installed GUI started, kept its data in \$XDG_DATA_HOME and its settings in \$XDG_CONFIG_HOME, and took its screenshot"
  if command -v man >/dev/null 2>&1; then
    [ "$(man -w perpscope)" = /usr/share/man/man1/perpscope.1.gz ] || fail "man -w perpscope: $(man -w perpscope)"
  fi
  remove_package
  echo "installed package OK"
}

case $mode in
  files) check_files ;;
  deb) check_deb ;;
  install) check_install ;;
  *) fail "usage: $0 files|deb|install BUILD_DIR VERSION APP_ID" ;;
esac
