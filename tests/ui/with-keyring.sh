#!/bin/sh
# Runs a command against a private system keychain: its own D-Bus session bus
# (dbus-run-session) with gnome-keyring-daemon's Secret Service, in a fresh HOME and runtime
# directory that are deleted afterwards. Never the machine's own session or keyrings.
# The login keyring is created unlocked from a throwaway password (an empty one creates none).
# The command sees TICKWIRE_TEST_KEYCHAIN=1.
set -eu
if [ "${TICKWIRE_KEYRING_INSIDE:-}" != 1 ]; then
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT INT TERM
    mkdir -p "$tmp/home" "$tmp/run"
    chmod 700 "$tmp/run"
    status=0
    env -u DBUS_SESSION_BUS_ADDRESS -u DISPLAY -u WAYLAND_DISPLAY \
        HOME="$tmp/home" XDG_RUNTIME_DIR="$tmp/run" XDG_DATA_HOME="$tmp/home/.local/share" \
        XDG_CONFIG_HOME="$tmp/home/.config" TICKWIRE_KEYRING_INSIDE=1 \
        dbus-run-session -- "$0" "$@" || status=$?
    exit "$status"
fi
printf 'tickwire-test' | gnome-keyring-daemon --unlock --components=secrets >/dev/null
TICKWIRE_TEST_KEYCHAIN=1 "$@"
