#!/bin/sh
# Build the test guest: a Debian kernel and a busybox initramfs whose init
# prints the guest's own view of its hardware (tests/guest/init).
#
# Usage: build-guest.sh OUTDIR [ARCH]   (ARCH: Debian's name, amd64 by
# default; arm64, ppc64el and s390x for the other architectures)
#
# Everything comes from Debian packages fetched with `apt-get download` (no
# install into the host): the kernel (the cloud flavour where Debian has one:
# small, virtio and PCI hotplug built in or as modules) and busybox-static.
# The host's own busybox-static runs depmod and cpio, so the host needs only
# apt, dpkg and readelf (binutils), which finds the libraries systemd's
# udevadm (and on ppc64el rtas_errd and drmgr) loads (of any architecture).
# Another architecture's packages are looked up in an apt state of this
# folder's own (OUTDIR/apt: the host's sources, that architecture's lists),
# so neither the host's dpkg architectures nor its lists change.
# OUTDIR/vmlinuz and OUTDIR/initrd.img are kept while the package versions
# and this folder's scripts are unchanged: a second run only checks versions.
set -eu

out=${1:?usage: build-guest.sh OUTDIR [ARCH]}
arch=${2:-amd64}
here=$(cd "$(dirname "$0")" && pwd)
host_arch=$(dpkg --print-architecture)

# The modules the view needs; their dependencies come from modules.dep.
# pSeries has its PCI hotplug driver (rpaphp) and VIO NIC driver as modules.
modules="virtio_pci virtio_net virtio_blk virtio_scsi sd_mod virtio_console"
# systemd's udevadm, whose net_id builtin gives each NIC the names
# systemd-udevd would (onboard enoN from the ACPI index, slot, path), and
# the packages of the libraries it loads (checked below: every library a
# program needs must be found among them).
user_pkgs="udev libc6 libacl1 libblkid1 libcap2 libkmod2 liblzma5 libssl3 libzstd1 libselinux1 libpcre2-8-0"
programs=bin/udevadm
kernel_meta=linux-image-cloud-$arch
case $arch in
    ppc64el)
        kernel_meta=linux-image-powerpc64le; modules="$modules rpaphp ibmveth"
        # A pSeries Linux guest leaves PCI hotplug to user space: rtas_errd
        # (ppc64-diag) reads QEMU's RTAS hotplug event and runs drmgr
        # (powerpc-ibm-utils), which does the RTAS calls through librtas.
        # libm (libsqlite3 needs it) is libc6's.
        user_pkgs="$user_pkgs ppc64-diag powerpc-ibm-utils librtas2 librtasevent2 libservicelog-1.1-1 libsqlite3-0 libnuma1"
        programs="$programs usr/sbin/rtas_errd usr/sbin/drmgr" ;;
    s390x) kernel_meta=linux-image-s390x ;;
esac

mkdir -p "$out"
out=$(cd "$out" && pwd)
apt_options=
if [ "$arch" != "$host_arch" ]; then
    state=$out/apt
    mkdir -p "$state/lists/partial" "$state/cache/archives/partial"
    apt_options="-o Dir::State::Lists=$state/lists -o Dir::Cache=$state/cache -o Dir::State::status=/dev/null
        -o APT::Architecture=$host_arch -o APT::Architectures::=$host_arch -o APT::Architectures::=$arch"
    # Lists older than a day are read again: the archive drops superseded kernels.
    # shellcheck disable=SC2086
    [ -n "$(find "$state/lists" -maxdepth 1 -name "*_binary-${arch}_Packages*" -mtime -1)" ] ||
        apt-get -q $apt_options update >"$state/update.log" 2>&1 || { cat "$state/update.log" >&2; exit 1; }
fi

# shellcheck disable=SC2086
kernel_pkg=$(apt-cache $apt_options depends "$kernel_meta:$arch" | awk '/Depends: linux-image-/ {print $2; exit}')
kernel_pkg=${kernel_pkg%:*}
[ -n "$kernel_pkg" ] || { echo "build-guest: apt knows no $kernel_meta (apt-get update?)" >&2; exit 1; }
# The guest's busybox, and the host's to run depmod and cpio.
packages="$kernel_pkg:$arch busybox-static:$arch $(for p in $user_pkgs; do echo "$p:$arch"; done)"
[ "$arch" = "$host_arch" ] || packages="$packages busybox-static:$host_arch"
# One apt-cache call for every version: each call reads the whole cache.
# shellcheck disable=SC2086
versions=$(apt-cache $apt_options policy $packages | awk '/^[^ ]/ {p=$1} /Candidate:/ {printf "%s=%s ", p, $2}')
stamp="${versions}scripts=$(cat "$here/init" "$0" | cksum | cut -d' ' -f1)"

if [ -f "$out/stamp" ] && [ "$(cat "$out/stamp")" = "$stamp" ] && [ -f "$out/vmlinuz" ] && [ -f "$out/initrd.img" ]; then
    exit 0
fi

work=$(mktemp -d "$out/.build-XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
# apt-get download writes as _apt where it can; a root-owned folder is fine.
# shellcheck disable=SC2086
apt-get $apt_options download -q $packages >download.log 2>&1 ||
    { cat download.log >&2; exit 1; }
dpkg -x "$kernel_pkg"_*.deb kernel
dpkg -x busybox-static_*_"$arch".deb busybox
dpkg -x busybox-static_*_"$host_arch".deb tools
for p in $user_pkgs; do dpkg -x "$p"_*_"$arch".deb user; done
busybox=$work/tools/bin/busybox
release=$(ls kernel/lib/modules)
moddir=kernel/lib/modules/$release
"$busybox" depmod -b "$work/kernel" "$release"

root=$work/root
mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/sys" "$root/lib/modules"
cp "$work/busybox/bin/busybox" "$root/bin/busybox"
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

# udevadm (and the pSeries hotplug programs) and the libraries they load,
# found by their NEEDED entries. (The loader goes where udevadm names it, the
# libraries in the loader's own folder, which it searches by default.)
interpreter=$(readelf -l user/bin/udevadm | sed -n 's/.*interpreter: \(.*\)]/\1/p')
libdir=$(dirname "$(find user/lib user/usr/lib -maxdepth 2 -name libc.so.6 | head -n 1)")
libdir=/lib/${libdir##*/}
mkdir -p "$root/$(dirname "$interpreter")" "$root$libdir"
for program in $programs; do
    mkdir -p "$root/$(dirname "$program")"
    cp "user/$program" "$root/$program"
done
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
todo=$(for program in $programs; do echo "user/$program"; done)
copied=" "
while [ -n "$todo" ]; do
    set -- $todo; file=$1; shift; todo="$*"
    for so in $(needed "$file"); do
        case $copied in *" $so "*) continue ;; esac
        found=$(find user/lib user/usr/lib -maxdepth 2 -name "$so" | head -n 1)
        [ -n "$found" ] || { echo "build-guest: $file needs $so, which none of: $user_pkgs has" >&2; exit 1; }
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
# pSeries boots the ELF vmlinux (Debian ships no vmlinuz there).
cp kernel/boot/vmlinu[xz]-"$release" "$out/vmlinuz"
echo "$stamp" >"$out/stamp"
