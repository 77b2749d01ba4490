#!/bin/sh
# SPDX-License-Identifier: MIT
# fetch.sh [DIR]: Debian 12's busybox-static for i386 (`apt-get download
# busybox-static:i386`, apt-get(8)) into DIR (default build/busybox):
# DIR/busybox is the .deb's bin/busybox, a static i386 Linux executable
# that the issue-16 kernel must run unchanged (tools/busybox/run.py).
# apt runs with its own state, cache and sources under DIR/apt, i386 as
# its architecture, so the host's dpkg and apt lists are left alone (as
# tools/linuxbench/fetch.sh). A second run downloads nothing. Prints the
# package's version.
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
dir=${1:-$here/build/busybox}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
apt=$dir/apt stamp=$dir/fetched

if [ -f "$stamp" ] && [ -x "$dir/busybox" ]; then
	cat "$stamp"
	exit 0
fi

mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/etc/apt.conf.d" \
	"$apt/etc/preferences.d" "$apt/etc/sources.list.d" "$dir/debs"
: > "$apt/status"
cat > "$apt/etc/sources.list" <<SOURCES
deb [arch=i386 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main
deb [arch=i386 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian-security bookworm-security main
SOURCES
# As root, apt's download sandbox user could not write DIR/debs.
sandbox=
[ "$(id -u)" -ne 0 ] || sandbox="-o APT::Sandbox::User=root"
aptget() {
	apt-get -q $sandbox -o Dir::Etc="$apt/etc" -o Dir::State="$apt" \
		-o Dir::State::Lists="$apt/lists" -o Dir::State::status="$apt/status" \
		-o Dir::Cache="$apt/cache" -o Debug::NoLocking=1 \
		-o APT::Architecture=i386 -o APT::Architectures::=i386 "$@"
}

echo "fetch.sh: apt-get update (i386 lists under $apt)"
aptget update >/dev/null
echo "fetch.sh: apt-get download busybox-static:i386"
(cd "$dir/debs" && rm -f ./*.deb && aptget download busybox-static:i386 >/dev/null)
deb=$(ls "$dir"/debs/busybox-static_*_i386.deb)
rm -rf "$dir/root"
dpkg-deb -x "$deb" "$dir/root"
cp "$dir/root/bin/busybox" "$dir/busybox"
dpkg-deb -f "$deb" Package Version Architecture | tr '\n' ' ' |
	sed 's/Package: //; s/Version: /= /; s/Architecture: /(/; s/ $/)\n/' > "$stamp"
cat "$stamp"
