#!/usr/bin/env bash
# Packaging check, run by CTest (label "packaging"):
#   check-deb.sh BUILD_DIR VERSION [CPACK]
# Builds the .deb with CPack from BUILD_DIR, requires lintian to report no errors, checks the
# package's Depends are satisfied on this machine, then unpacks it into a temporary root and
# runs what it installed: tickwire-feed serves on a free loopback port, tickwire-tap reads
# NDJSON from it, and the dashboard renders itself offscreen to a PNG, which proves that its
# QML imports resolve without the build tree.
# TICKWIRE_PACKAGING_INSTALL=1 (as root, on a throwaway machine such as CI) installs it with
# `apt-get install ./tickwire_*.deb` instead, which also pulls missing dependencies, and purges
# it at the end. Exit 77 (CTest: skipped) when a packaging tool is missing.
set -euo pipefail

build_dir=$1
version=$2
cpack=${3:-cpack}

work=$(mktemp -d "${TMPDIR:-/tmp}/tickwire-packaging.XXXXXX")
pids=()
installed=0
cleanup() {
    local pid
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if [ "$installed" = 1 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq tickwire >/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }
fail() {
    printf 'FAIL: %s\n' "$*" >&2
    exit 1
}
# Prints a log file and fails.
fail_with() {
    local log=$1
    shift
    sed 's/^/  | /' "$log" >&2
    fail "$@"
}

for tool in "$cpack" dpkg-deb dpkg-shlibdeps lintian appstreamcli desktop-file-validate; do
    if ! command -v "$tool" >/dev/null; then
        echo "SKIP: $tool is not installed (scripts/dev installs it)"
        exit 77
    fi
done

# On Windows and macOS, Qt's deploy script ships the QML modules this scan lists (see
# app/tickwire/CMakeLists.txt); it runs on Linux too, so check here that it sees the UI's imports.
step "QML imports found for deployment"
scan="$build_dir/app/tickwire/.qt_plugins/Qt6_QmlPlugins_Imports_tickwire.cmake"
[ -f "$scan" ] || fail "no qmlimportscanner result at $scan"
for module in QtQuick QtQuick.Controls QtQuick.Layouts QtCharts Qt.labs.settings; do
    grep -q "NAME;$module;" "$scan" || fail "qmlimportscanner did not find $module for tickwire"
done
echo "QtQuick, Controls, Layouts, QtCharts, Qt.labs.settings"

step "cpack -G DEB"
start=$SECONDS
if ! timeout 240 "$cpack" --config "$build_dir/CPackConfig.cmake" -G DEB -B "$work/out" \
    >"$work/cpack.log" 2>&1; then
    fail_with "$work/cpack.log" "cpack failed"
fi
debs=("$work"/out/tickwire_"$version"_*.deb)
deb=${debs[0]}
[ -f "$deb" ] || fail_with "$work/cpack.log" "no tickwire_${version}_*.deb was produced"
echo "$(basename "$deb"), $(stat -c %s "$deb") bytes, $((SECONDS - start)) s"
dpkg-deb --field "$deb" Package Version Architecture Depends Recommends

step "lintian"
lintian_args=(--fail-on error --tag-display-limit 0)
[ "$(id -u)" -ne 0 ] || lintian_args+=(--allow-root)
if ! timeout 180 lintian "${lintian_args[@]}" "$deb" >"$work/lintian.log" 2>&1; then
    fail_with "$work/lintian.log" "lintian reports errors"
fi
cat "$work/lintian.log"
echo "no lintian errors"

step "Depends"
depends=$(dpkg-deb --field "$deb" Depends)
for expected in libqt6quick6 libqt6websockets6 qml6-module-qtcharts qml6-module-qtquick-controls; do
    [[ $depends == *"$expected"* ]] || fail "Depends lacks $expected: $depends"
done
# apt's dry run resolves the Depends against this machine (virtual packages and versions
# included): it installs nothing but tickwire when every dependency is already here.
if ! apt-get install --simulate "$deb" >"$work/simulate.log" 2>&1; then
    fail_with "$work/simulate.log" "apt cannot resolve the package's dependencies"
fi
missing=$(sed -n 's/^Inst \([^ ]*\) .*/\1/p' "$work/simulate.log" | grep -vx tickwire | xargs || true)
if [ -n "$missing" ] && [ "${TICKWIRE_PACKAGING_INSTALL:-0}" != 1 ]; then
    fail "dependencies not installed here: $missing (apt-get install ./$(basename "$deb") pulls them)"
fi
echo "dependencies met${missing:+ once apt installs $missing}"

if [ "${TICKWIRE_PACKAGING_INSTALL:-0}" = 1 ]; then
    step "apt-get install ./$(basename "$deb")"
    [ "$(id -u)" -eq 0 ] || fail "TICKWIRE_PACKAGING_INSTALL=1 needs root"
    installed=1
    if ! DEBIAN_FRONTEND=noninteractive timeout 240 apt-get install -y -qq "$deb" \
        >"$work/apt.log" 2>&1; then
        fail_with "$work/apt.log" "apt-get install failed"
    fi
    root=
else
    step "dpkg-deb -x into a temporary root"
    root="$work/root"
    dpkg-deb -x "$deb" "$root"
fi
bin="$root/usr/bin"

step "installed files"
for file in \
    usr/bin/tickwire usr/bin/tickwire-feed usr/bin/tickwire-tap \
    usr/share/tickwire/instruments.json usr/share/tickwire/sample-trades.csv \
    usr/share/applications/io.github.tickwire.Tickwire.desktop \
    usr/share/metainfo/io.github.tickwire.Tickwire.metainfo.xml \
    usr/share/icons/hicolor/scalable/apps/io.github.tickwire.Tickwire.svg \
    usr/share/icons/hicolor/16x16/apps/io.github.tickwire.Tickwire.png \
    usr/share/icons/hicolor/512x512/apps/io.github.tickwire.Tickwire.png \
    usr/share/man/man1/tickwire.1.gz usr/share/man/man1/tickwire-feed.1.gz \
    usr/share/man/man1/tickwire-tap.1.gz \
    usr/lib/systemd/system/tickwire-feed.service \
    usr/share/doc/tickwire/copyright usr/share/doc/tickwire/changelog.gz; do
    [ -s "$root/$file" ] || fail "/$file is not installed"
done
echo "all present"
metainfo="$root/usr/share/metainfo/io.github.tickwire.Tickwire.metainfo.xml"
appstreamcli validate --no-net "$metainfo"
desktop-file-validate "$root/usr/share/applications/io.github.tickwire.Tickwire.desktop"
newest=$(grep -o '<release version="[^"]*"' "$metainfo" | head -n 1 | cut -d '"' -f 2)
[ "$newest" = "$version" ] || fail "the metainfo's newest release is $newest, the project is $version"
unit="$root/usr/lib/systemd/system/tickwire-feed.service"
grep -q '^ExecStart=tickwire-feed ' "$unit" || fail "the unit's ExecStart must be a bare name (see the unit)"
# With the package installed, systemd can resolve that name: check the unit as systemd reads it.
if [ -z "$root" ] && command -v systemd-analyze >/dev/null; then
    systemd-analyze verify --man=no "$unit"
fi

# Run only what the package installed: no build-tree QML or plugin paths, a private home.
unset QML_IMPORT_PATH QML2_IMPORT_PATH QT_PLUGIN_PATH LD_LIBRARY_PATH
unset XDG_CONFIG_HOME XDG_DATA_HOME XDG_CACHE_HOME XDG_STATE_HOME
export HOME="$work/home" XDG_RUNTIME_DIR="$work/runtime"
mkdir -p "$HOME" && mkdir -m 0700 "$XDG_RUNTIME_DIR"

step "--version of each program (no display)"
for program in tickwire-feed tickwire-tap tickwire; do
    out=$(env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM timeout 20 \
        "$bin/$program" --version 2>&1) || fail "$program --version: $out"
    echo "$out"
    [ "$out" = "$program $version" ] || fail "$program --version says \"$out\", expected \"$program $version\""
done

step "tickwire-feed on 127.0.0.1, a free port"
"$bin/tickwire-feed" --listen 127.0.0.1:0 --ephemeral >"$work/feed.out" 2>"$work/feed.err" &
feed=$!
pids+=("$feed")
url=
for _ in $(seq 150); do
    url=$(sed -n 's/^tickwire-feed listening on \(ws:\/\/[^ ]*\)$/\1/p' "$work/feed.out")
    [ -n "$url" ] && break
    kill -0 "$feed" 2>/dev/null || fail_with "$work/feed.err" "tickwire-feed exited"
    sleep 0.1
done
[ -n "$url" ] || fail_with "$work/feed.err" "tickwire-feed did not print its URL within 15 s"
echo "$url"

step "tickwire-tap, 3 s"
if ! timeout 30 "$bin/tickwire-tap" "$url" --subscribe ticker:BTC-USD,ETH-USD \
    --subscribe trades:BTC-USD --duration 3 >"$work/tap.out" 2>"$work/tap.err"; then
    fail_with "$work/tap.err" "tickwire-tap failed"
fi
lines=$(wc -l <"$work/tap.out")
tickers=$(grep -c '^{.*"type":"ticker"' "$work/tap.out" || true)
not_json=$(grep -vc '^{.*}$' "$work/tap.out" || true)
echo "$lines NDJSON lines, $tickers ticker events"
[ "$tickers" -gt 0 ] || fail_with "$work/tap.err" "no ticker event arrived"
[ "$not_json" = 0 ] || fail "$not_json stdout lines are not JSON objects"

step "tickwire --grab, offscreen, against that server"
if ! QT_QPA_PLATFORM=offscreen timeout 60 "$bin/tickwire" --server "$url" \
    --grab "$work/shot.png" --grab-delay 2500 >"$work/app.log" 2>&1; then
    fail_with "$work/app.log" "tickwire --grab failed"
fi
if grep -Ei 'is not installed|module .* not found|failed to load component' "$work/app.log"; then
    fail_with "$work/app.log" "QML imports did not resolve from the installed system"
fi
[ -s "$work/shot.png" ] || fail_with "$work/app.log" "no screenshot was written"
[ "$(head -c 8 "$work/shot.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
    fail "the screenshot is not a PNG"
# IHDR: width and height, big-endian, at bytes 16..23.
read -r width height <<<"$(od -An -tu1 -j16 -N8 "$work/shot.png" |
    awk '{print ($1*16777216+$2*65536+$3*256+$4), ($5*16777216+$6*65536+$7*256+$8)}')"
echo "PNG ${width}x${height}, $(stat -c %s "$work/shot.png") bytes"
[ "$width" -ge 640 ] && [ "$height" -ge 400 ] || fail "the screenshot is only ${width}x${height}"

step "SIGTERM stops tickwire-feed cleanly"
kill -TERM "$feed"
rc=0
timeout 15 tail --pid="$feed" -f /dev/null || fail "tickwire-feed ignored SIGTERM for 15 s"
wait "$feed" || rc=$?
pids=()
[ "$rc" = 0 ] || fail_with "$work/feed.err" "tickwire-feed exited with $rc after SIGTERM"

echo
echo "packaging check passed"
