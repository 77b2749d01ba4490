#!/bin/sh
# SPDX-License-Identifier: MIT
# fetch.sh DIR: downloads Debian 12's i386 Linux 6.1 686-pae image, its
# headers, linux-kbuild-6.1 and busybox-static with `apt-get download`
# (and linux-source-6.1 when /usr/src/linux-source-6.1.tar.xz is absent)
# (apt-get(8), apt.conf(5)) into DIR/debs and unpacks them into DIR/root,
# without root: apt runs with i386 as its architecture and its own state,
# cache and sources under DIR/apt, so the host's dpkg (amd64 only) and
# apt lists are left alone. The host tools of the headers (fixdep,
# modpost) are linux-kbuild-6.1's amd64 build, which runs here: the
# headers' scripts and tools links are relative and find it in DIR/root;
# the one absolute path, the include of the -common Makefile, is
# rewritten. A second run downloads nothing. Prints the versions.
set -eu
dir=$1
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
apt=$dir/apt debs=$dir/debs root=$dir/root
stamp=$dir/fetched

if [ -f "$stamp" ]; then
	cat "$stamp"
	exit 0
fi

mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/etc/apt.conf.d" \
	"$apt/etc/preferences.d" "$apt/etc/sources.list.d" "$debs"
: > "$apt/status"
cat > "$apt/etc/sources.list" <<EOF
deb [arch=i386,amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main
deb [arch=i386,amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm-updates main
deb [arch=i386,amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian-security bookworm-security main
EOF

# apt-get or apt-cache ($1) with the private directories.
apt_private() {
	tool=$1
	shift
	$tool -o Dir::Etc="$apt/etc" -o Dir::State="$apt" \
		-o Dir::State::Lists="$apt/lists" -o Dir::State::status="$apt/status" \
		-o Dir::Cache="$apt/cache" -o Debug::NoLocking=1 \
		-o APT::Architecture=i386 -o APT::Architectures::=i386 \
		-o APT::Architectures::=amd64 "$@"
}
# As root, apt's download sandbox user could not write DIR/debs.
sandbox=
[ "$(id -u)" -ne 0 ] || sandbox="-o APT::Sandbox::User=root"
aptget() {
	apt_private apt-get -q $sandbox "$@"
}

echo "fetch.sh: apt-get update (i386 + amd64 lists under $apt)"
aptget update >/dev/null
# The newest 6.1 ABI that has a 686-pae image.
image=$(apt_private apt-cache --names-only search '^linux-image-6\.1\.0-[0-9]+-686-pae$' 2>/dev/null |
	sed 's/ .*//' | sort -t- -k4,4n | tail -1)
[ -n "$image" ] || { echo "fetch.sh: no linux-image-6.1.0-*-686-pae in the i386 lists" >&2; exit 1; }
abi=${image#linux-image-}
abi=${abi%-686-pae}
pkgs="$image linux-headers-$abi-686-pae linux-headers-$abi-common
	linux-kbuild-6.1:amd64 busybox-static:i386"
[ -f /usr/src/linux-source-6.1.tar.xz ] || pkgs="$pkgs linux-source-6.1"
echo "fetch.sh: apt-get download $(echo $pkgs)"
(cd "$debs" && rm -f ./*.deb && aptget download $pkgs >/dev/null)

rm -rf "$root"
mkdir -p "$root"
for d in "$debs"/*.deb; do
	dpkg-deb -x "$d" "$root"
done
sed -i "s|^include /usr/src/|include $root/usr/src/|" \
	"$root/usr/src/linux-headers-$abi-686-pae/Makefile"
if [ -f /usr/src/linux-source-6.1.tar.xz ]; then
	ln -sf /usr/src/linux-source-6.1.tar.xz "$dir/linux-source-6.1.tar.xz"
	srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || echo unknown)
	echo "linux-source-6.1 = $srcver (the host's /usr/src/linux-source-6.1.tar.xz)" > "$stamp.tmp"
else
	ln -sf "$root/usr/src/linux-source-6.1.tar.xz" "$dir/linux-source-6.1.tar.xz"
	: > "$stamp.tmp"
fi
for d in "$debs"/*.deb; do
	dpkg-deb -f "$d" Package Version Architecture | tr '\n' ' ' |
		sed 's/Package: //; s/Version: /= /; s/Architecture: /(/; s/ $/)\n/' >> "$stamp.tmp"
done
echo "abi: $abi" >> "$stamp.tmp"
mv "$stamp.tmp" "$stamp"
cat "$stamp"
