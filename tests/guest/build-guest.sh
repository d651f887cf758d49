#!/bin/sh
# Build the test guest: a Debian kernel and a busybox initramfs whose init
# prints the guest's own view of its hardware (tests/guest/init).
#
# Usage: build-guest.sh OUTDIR [ARCH]   (ARCH: Debian's name, amd64 by default)
#
# Everything comes from Debian packages fetched with `apt-get download` (no
# install into the host): the cloud kernel (small, virtio and PCI hotplug
# built in or as modules) and busybox-static. busybox's own depmod and cpio
# build the module list and the archive, so the host needs only apt, dpkg and
# readelf (binutils), which finds the libraries systemd's udevadm loads.
# OUTDIR/vmlinuz and OUTDIR/initrd.img are kept while the package versions
# and this folder's scripts are unchanged: a second run only checks versions.
set -eu

out=${1:?usage: build-guest.sh OUTDIR [ARCH]}
arch=${2:-amd64}
here=$(cd "$(dirname "$0")" && pwd)

# The modules the view needs; their dependencies come from modules.dep.
modules="virtio_pci virtio_net virtio_blk virtio_scsi sd_mod virtio_console"
# systemd's udevadm, whose net_id builtin gives each NIC the names
# systemd-udevd would (onboard enoN from the ACPI index, slot, path), and
# the packages of the libraries it loads (checked below: every library it
# needs must be found among them).
udev_pkgs="udev libc6 libacl1 libblkid1 libcap2 libkmod2 liblzma5 libssl3 libzstd1 libselinux1 libpcre2-8-0"

kernel_meta=linux-image-cloud-$arch
kernel_pkg=$(apt-cache depends "$kernel_meta:$arch" | awk '/Depends: linux-image-/ {print $2; exit}')
kernel_pkg=${kernel_pkg%:*}
[ -n "$kernel_pkg" ] || { echo "build-guest: apt knows no $kernel_meta (apt-get update?)" >&2; exit 1; }
# One apt-cache call for both versions: each call reads the whole cache.
versions=$(apt-cache policy "$kernel_pkg:$arch" "busybox-static:$arch" $(for p in $udev_pkgs; do echo "$p:$arch"; done) | awk '/^[^ ]/ {p=$1} /Candidate:/ {printf "%s=%s ", p, $2}')
stamp="${versions}scripts=$(cat "$here/init" "$0" | cksum | cut -d' ' -f1)"

if [ -f "$out/stamp" ] && [ "$(cat "$out/stamp")" = "$stamp" ] && [ -f "$out/vmlinuz" ] && [ -f "$out/initrd.img" ]; then
    exit 0
fi

mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d "$out/.build-XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
# apt-get download writes as _apt where it can; a root-owned folder is fine.
apt-get download -q "$kernel_pkg:$arch" "busybox-static:$arch" $(for p in $udev_pkgs; do echo "$p:$arch"; done) >download.log 2>&1 ||
    { cat download.log >&2; exit 1; }
dpkg -x "$kernel_pkg"_*.deb kernel
dpkg -x busybox-static_*.deb busybox
for p in $udev_pkgs; do dpkg -x "$p"_*.deb udev; done
busybox=$work/busybox/bin/busybox
release=$(ls kernel/lib/modules)
moddir=kernel/lib/modules/$release
"$busybox" depmod -b "$work/kernel" "$release"

root=$work/root
mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/sys" "$root/lib/modules"
cp "$busybox" "$root/bin/busybox"
cp "$here/init" "$root/init"
chmod 755 "$root/init"
# Each wanted module after the modules it needs, once: init loads them in
# this order with insmod (no depmod or modprobe in the guest).
load=$root/lib/modules/load
: >"$load"
add_module() {  # FILE (relative to $moddir), after its dependencies
    grep -qxF "$1" "$load" && return
    deps=$(grep -E "^$1:" "$moddir/modules.dep" | cut -d: -f2)
    for d in $deps; do add_module "$d"; done
    mkdir -p "$root/lib/modules/$(dirname "$1")"
    cp "$moddir/$1" "$root/lib/modules/$1"
    echo "$1" >>"$load"
}
for m in $modules; do
    file=$(grep -oE "^([^:]*/)?$m\.ko(\.[a-z]+)?:" "$moddir/modules.dep" | tr -d : || true)
    if [ -n "$file" ]; then
        add_module "$file"
    elif ! grep -qE "/$m\.ko" "$moddir/modules.builtin"; then
        echo "build-guest: $release has no module $m" >&2; exit 1
    fi
done

# udevadm and the libraries it loads, found by their NEEDED entries.
# (The loader goes where udevadm names it, the libraries in the loader's
# own folder, which it searches by default.)
interpreter=$(readelf -l udev/bin/udevadm | sed -n 's/.*interpreter: \(.*\)]/\1/p')
libdir=$(dirname "$(find udev/lib udev/usr/lib -maxdepth 2 -name libc.so.6 | head -n 1)")
libdir=/lib/${libdir##*/}
mkdir -p "$root/$(dirname "$interpreter")" "$root$libdir"
cp udev/bin/udevadm "$root/bin/udevadm"
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
todo=udev/bin/udevadm
copied=" "
while [ -n "$todo" ]; do
    set -- $todo; file=$1; shift; todo="$*"
    for so in $(needed "$file"); do
        case $copied in *" $so "*) continue ;; esac
        found=$(find udev/lib udev/usr/lib -maxdepth 2 -name "$so" | head -n 1)
        [ -n "$found" ] || { echo "build-guest: udevadm needs $so, which none of: $udev_pkgs has" >&2; exit 1; }
        cp -L "$found" "$root$libdir/$so"
        copied="$copied$so "
        todo="$todo $found"
    done
done
loader=${interpreter##*/}
[ -e "$root$libdir/$loader" ] || { echo "build-guest: udevadm's loader $loader is not among its libraries" >&2; exit 1; }
[ -e "$root$interpreter" ] || ln -s "$libdir/$loader" "$root$interpreter"

(cd "$root" && find . | "$busybox" cpio -o -H newc 2>/dev/null) | gzip -1 >initrd.img
mv initrd.img "$out/initrd.img"
cp kernel/boot/vmlinuz-"$release" "$out/vmlinuz"
echo "$stamp" >"$out/stamp"
