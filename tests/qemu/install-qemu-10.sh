#!/usr/bin/env bash
# Installs QEMU 10.0 (the system emulators guestaddr addresses guests for,
# from Debian bookworm-backports) for the tests and for
# tools/gen-capabilities, beside the host's QEMU 7.2 and without touching the
# host's packages: the .debs are fetched with a private apt configuration and
# unpacked with `dpkg -x` under DEST (default /opt/guestaddr/qemu-10.0). The
# shared libraries are bookworm's own (libvirglrenderer1 for the OpenGL
# module); the firmware the packages leave to seabios and ipxe-qemu is the
# host's, as QEMU 7.2 uses, so that a guest migrates between the two with ROMs
# of the same sizes.
#
# QEMU also loads modules from the folder it was built for, the host's
# /usr/lib/x86_64-linux-gnu/qemu, and aborts on one of another build (QEMU
# 7.2's), so the wrappers run it in a private mount namespace where its own
# module folder stands there instead (needs root, as the tests run in CI).
#
# DEST/bin/qemu-system-ARCH runs it with its modules and data, for ARCH in
# x86_64, aarch64, arm, ppc64, riscv64 and s390x:
#   DEST/bin/qemu-system-x86_64 --version   ->  QEMU emulator version 10.0.x
# DEST/nospice/bin/qemu-system-x86_64 is the same QEMU without the
# qemu-system-modules-spice package (no qxl, no SPICE), as on a host that
# does not have it installed.
set -euo pipefail
DEST=${1:-/opt/guestaddr/qemu-10.0}
SUITE=bookworm-backports
PACKAGES=(qemu-system-x86 qemu-system-arm qemu-system-ppc qemu-system-riscv qemu-system-s390x qemu-system-data qemu-system-common
          qemu-system-modules-opengl qemu-system-modules-spice)
# The emulators of those packages that guestaddr knows (tools/gen-capabilities' list).
EMULATORS=(x86_64 aarch64 arm ppc64 riscv64 s390x)

installed() {
    local arch
    for arch in "${EMULATORS[@]}"; do
        [ -x "$DEST/bin/qemu-system-$arch" ] && "$DEST/bin/qemu-system-$arch" --version 2>/dev/null | grep -q 'version 10\.0\.' ||
            return 1
    done
}
if installed; then exit 0; fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/archives/partial" "$work/debs"
echo "deb http://deb.debian.org/debian $SUITE main" > "$work/sources.list"
apt_private=(-o "Dir::Etc::SourceList=$work/sources.list" -o "Dir::Etc::SourceParts=-"
             -o "Dir::State::Lists=$work/lists" -o "Dir::Cache::Archives=$work/archives"
             -o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache=" -o "APT::Get::List-Cleanup=0" -o "APT::Sandbox::User=root")
apt-get "${apt_private[@]}" update -qq
(cd "$work/debs" && apt-get "${apt_private[@]}" download -qq "${PACKAGES[@]/%//$SUITE}")

rm -rf "$DEST.new"
mkdir -p "$DEST.new/root"
for deb in "$work"/debs/*.deb; do dpkg -x "$deb" "$DEST.new/root"; done

# The same QEMU without its SPICE module: a module folder without them.
moddir=$DEST/root/usr/lib/x86_64-linux-gnu/qemu
mkdir -p "$DEST.new/nospice/modules"
for so in "$DEST.new/root/usr/lib/x86_64-linux-gnu/qemu"/*.so; do
    spice=$(dpkg -c "$work"/debs/qemu-system-modules-spice_*.deb | grep -c "/$(basename "$so")\$" || true)
    [ "$spice" = 0 ] && ln -s "$moddir/$(basename "$so")" "$DEST.new/nospice/modules/"
done

wrapper() {  # wrapper FILE MODULE_DIR
    mkdir -p "$(dirname "$1")"
    cat > "$1" <<WRAP
#!/bin/sh
# QEMU 10.0 unpacked by tests/qemu/install-qemu-10.sh, with the modules of $2.
exec unshare --mount --propagation private sh -c \\
    'mount --bind "\$0" /usr/lib/x86_64-linux-gnu/qemu && exec "\$@"' $2 \\
    $DEST/root/usr/bin/$(basename "$1") -L $DEST/root/usr/share/qemu "\$@"
WRAP
    chmod +x "$1"
}
for arch in "${EMULATORS[@]}"; do wrapper "$DEST.new/bin/qemu-system-$arch" "$moddir"; done
wrapper "$DEST.new/nospice/bin/qemu-system-x86_64" "$DEST/nospice/modules"

# Swapped in with two renames, so that a test running meanwhile finds one QEMU or the other.
rm -rf "$DEST.old"
[ ! -e "$DEST" ] || mv "$DEST" "$DEST.old"
mv "$DEST.new" "$DEST"
rm -rf "$DEST.old"
for arch in "${EMULATORS[@]}"; do "$DEST/bin/qemu-system-$arch" --version | head -1; done
