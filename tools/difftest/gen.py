#!/usr/bin/env python3
"""Random x86_64 guest generator mixing device snippets from the example inputs.

usage: gen.py SEED > guest.xml

Prints one libvirt domain definition (pc/q35 or a versioned machine, 0 to 300
devices) that depends only on SEED and on the pool. Devices come from
$DIFFTEST_DIR/pool.json (built by extract.py when missing) plus the
hand-written EXTRA snippets below; some keep, drop, blank or garble their
<address>. AVOID_KNOWN=1 steers away from the disagreements already found
(addresses of the wrong type, virtio cdroms, spice channels without
graphics, ...) so that a batch finds new ones.
"""
import functools
import os
import random
import sys
import xml.etree.ElementTree as ET

sys.dont_write_bytecode = True  # keep __pycache__ out of the repository
import extract

AVOID = os.environ.get('AVOID_KNOWN') == '1'
# GEN_ARCH=aarch64 makes ARM 'virt' guests instead (no ACPI: it needs UEFI there).
ARCH = os.environ.get('GEN_ARCH', 'x86_64')
MACHINES = {
 'x86_64': ['pc', 'q35', 'q35', 'pc-i440fx-7.2', 'pc-q35-7.2', 'pc-q35-6.2', 'pc-i440fx-4.2', 'pc-q35-2.12', 'pc-i440fx-2.12'],
 'aarch64': ['virt', 'virt', 'virt', 'virt-7.2', 'virt-6.2', 'virt-4.0'],
}


def pcie_machine(machine):
    return 'q35' in machine or 'virt' in machine


@functools.cache
def pool():
    return extract.load()

EXTRA = {
 'tpm': ['<tpm model="tpm-crb"><backend type="passthrough"><device path="/dev/tpm0"/></backend></tpm>',
         '<tpm model="tpm-tis"><backend type="passthrough"><device path="/dev/tpm0"/></backend></tpm>'],
 'iommu': ['<iommu model="intel"/>', '<iommu model="virtio"/>',
           '<iommu model="intel"><driver intremap="on" caching_mode="on"/></iommu>'],
 'watchdog': ['<watchdog model="i6300esb" action="reset"/>', '<watchdog model="ib700" action="poweroff"/>',
              '<watchdog model="itco" action="reset"/>'],
 'panic': ['<panic model="isa"/>', '<panic model="hyperv"/>', '<panic model="isa"><address type="isa" iobase="0x505"/></panic>'],
 'vsock': ['<vsock model="virtio"><cid auto="yes"/></vsock>', '<vsock model="virtio"><cid auto="no" address="5"/></vsock>'],
 'sound': ['<sound model="ich6"/>', '<sound model="ich9"/>', '<sound model="ac97"/>', '<sound model="es1370"/>',
           '<sound model="usb"/>', '<sound model="sb16"/>', '<sound model="pcspk"/>', '<sound model="ich7"/>',
           '<sound model="ich6"><codec type="micro"/></sound>'],
 'input': ['<input type="tablet" bus="usb"/>', '<input type="mouse" bus="usb"/>', '<input type="keyboard" bus="usb"/>',
           '<input type="tablet" bus="virtio"/>', '<input type="keyboard" bus="virtio"/>', '<input type="mouse" bus="ps2"/>',
           '<input type="keyboard" bus="ps2"/>', '<input type="passthrough" bus="virtio"><source evdev="/dev/input/event1"/></input>'],
 'video': ['<video><model type="vga"/></video>', '<video><model type="cirrus"/></video>', '<video><model type="qxl"/></video>',
           '<video><model type="virtio"/></video>', '<video><model type="bochs"/></video>', '<video><model type="ramfb"/></video>',
           '<video><model type="none"/></video>', '<video><model type="qxl" primary="yes"/></video>'],
 'memballoon': ['<memballoon model="virtio"/>', '<memballoon model="none"/>', '<memballoon model="virtio-non-transitional"/>'],
 'rng': ['<rng model="virtio"><backend model="random">/dev/urandom</backend></rng>',
         '<rng model="virtio-transitional"><backend model="random">/dev/urandom</backend></rng>',
         '<rng model="virtio"><backend model="builtin"/></rng>'],
 'controller:usb:qemu-xhci': ['<controller type="usb" model="qemu-xhci" ports="15"/>', '<controller type="usb" model="qemu-xhci"/>'],
 'hub': ['<hub type="usb"/>'],
 'shmem': ['<shmem name="x"><model type="ivshmem-plain"/><size unit="M">4</size></shmem>',
           '<shmem name="x"><model type="ivshmem-doorbell"/><server path="/tmp/s"/><msi vectors="4" ioeventfd="on"/></shmem>',
           '<shmem name="x"/>'],
 'serial': ['<serial type="pty"><target type="pci-serial"/></serial>', '<serial type="pty"><target type="usb-serial"/></serial>',
            '<serial type="pty"><target type="isa-serial"/></serial>', '<serial type="pty"/>', '<serial type="pty"><target port="2"/></serial>'],
 'console': ['<console type="pty"><target type="virtio"/></console>', '<console type="pty"><target type="serial"/></console>', '<console type="pty"/>'],
 'channel': ['<channel type="spicevmc"><target type="virtio" name="com.redhat.spice.0"/></channel>',
             '<channel type="unix"><target type="virtio" name="org.qemu.guest_agent.0"/></channel>',
             '<channel type="pty"><target type="virtio" name="x"/></channel>'],
 'parallel': ['<parallel type="pty"/>'],
 'smartcard': ['<smartcard mode="host"/>', '<smartcard mode="passthrough" type="spicevmc"/>'],
 'redirdev': ['<redirdev bus="usb" type="spicevmc"/>', '<redirdev bus="usb" type="tcp"><source mode="connect" host="127.0.0.1" service="4000"/></redirdev>'],
 'crypto': ['<crypto model="virtio" type="qemu"><backend model="builtin" queues="1"/></crypto>'],
 'hostdev': ['<hostdev mode="subsystem" type="pci" managed="yes"><source><address domain="0x0000" bus="0x06" slot="0x12" function="0x5"/></source></hostdev>',
             '<hostdev mode="subsystem" type="usb" managed="yes"><source><vendor id="0x1234"/><product id="0xbeef"/></source></hostdev>',
             '<hostdev mode="subsystem" type="scsi"><source><adapter name="scsi_host0"/><address bus="0" target="0" unit="0"/></source></hostdev>',
             '<hostdev mode="subsystem" type="mdev" model="vfio-pci"><source><address uuid="c2177883-f1bb-47f0-914d-32a22e3a8804"/></source></hostdev>',
             '<hostdev mode="subsystem" type="scsi_host"><source protocol="vhost" wwpn="naa.50014057667280d8"/></hostdev>'],
 'interface:hostdev': ['<interface type="hostdev" managed="yes"><source><address type="pci" domain="0x0000" bus="0x00" slot="0x07" function="0x0"/></source></interface>'],
}

if ARCH == 'aarch64':  # x86 guests stay what their seeds always gave
    EXTRA['iommu'].append('<iommu model="smmuv3"/>')
    EXTRA['serial'].append('<serial type="pty"><target type="system-serial"/></serial>')

# category weights
WEIGHTS = {
 'disk': 14, 'interface': 10, 'controller:pci': 8, 'controller:other': 8, 'serial': 2, 'console': 2, 'channel': 3,
 'input': 3, 'sound': 2, 'video': 2, 'watchdog': 1, 'rng': 2, 'memballoon': 1, 'hostdev': 3, 'smartcard': 1,
 'redirdev': 2, 'filesystem': 2, 'shmem': 2, 'tpm': 1, 'panic': 1, 'iommu': 1, 'vsock': 1, 'hub': 1, 'crypto': 1,
 'parallel': 1, 'memory': 1,
}

def keys_for(cat):
    keys = pool()
    if cat == 'disk': return [k for k in keys if k.startswith('disk:')]
    if cat == 'interface': return [k for k in keys if k.startswith('interface:')]
    if cat == 'controller:pci': return [k for k in keys if k.startswith('controller:pci:')]
    if cat == 'controller:other': return [k for k in keys if k.startswith('controller:') and not k.startswith('controller:pci:')]
    return [k for k in keys if k == cat]

def pick_snippet(rng, cat, machine):
    cands = keys_for(cat)
    extra = EXTRA.get(cat, [])
    if cat == 'controller:other':
        extra = EXTRA['controller:usb:qemu-xhci']
    if cat == 'controller:pci':
        q35 = pcie_machine(machine)
        pref = ['pcie-root-port', 'pcie-to-pci-bridge', 'pcie-switch', 'dmi-to-pci', 'pcie-expander', 'pci-bridge'] if q35 else ['pci-bridge', 'pci-expander-bus']
        if rng.random() < 0.9:
            cands = [k for k in cands if any(p in k for p in pref) and not k.endswith('pci-root') and not k.endswith('pcie-root')]
    if cat == 'disk':
        # reweight buses
        bus = rng.choice(['virtio', 'virtio', 'sata', 'scsi', 'scsi', 'ide', 'usb', 'fdc', '?'])
        c2 = [k for k in cands if k.split(':')[1] == bus]
        if c2: cands = c2
    if cat == 'interface':
        c2 = [k for k in cands if k.split(':')[1] in ('virtio', 'e1000', 'e1000e', 'rtl8139', 'virtio-non-transitional', 'virtio-transitional', 'vmxnet3', 'ne2k_pci', 'pcnet', 'usb-net', 'igb', 'i82559er', '')]
        if rng.random() < 0.9 and c2: cands = c2
        if rng.random() < 0.05: extra = EXTRA['interface:hostdev']
    texts = []
    for k in cands: texts.extend(pool()[k])
    if extra and (not texts or rng.random() < 0.4):
        texts = extra
    if not texts: return None
    return ET.fromstring(rng.choice(texts))

def odd_pci_address(rng, npcictl):
    bus = rng.choice([0, 0, 0, rng.randint(0, max(1, npcictl)), rng.randint(0, 255)])
    slot = rng.choice([0, 1, 2, 3, 0x1f, rng.randint(0, 31), rng.randint(1, 31)])
    fn = rng.choice([0, 0, 0, 1, rng.randint(0, 7)])
    a = ET.Element('address', type='pci', domain='0x0000', bus='0x%02x' % bus, slot='0x%02x' % slot, function='0x%x' % fn)
    if rng.random() < 0.2: a.set('multifunction', rng.choice(['on', 'off']))
    return a

NON_PCI_TAGS = ('serial', 'parallel', 'panic', 'smartcard', 'redirdev', 'hub', 'memory', 'channel', 'console', 'tpm')
def odd_addr_for(rng, dev, npcictl):
    tag = dev.tag
    if AVOID:
        if tag in NON_PCI_TAGS or (tag == 'hostdev' and dev.get('type') != 'pci') or (tag == 'input' and dev.get('bus') != 'virtio') \
           or (tag == 'sound' and dev.get('model') in ('sb16', 'pcspk', 'usb', 'ich7')) or (tag in ('video', 'memballoon') and 'none' in ET.tostring(dev, encoding='unicode')):
            return None
        if tag == 'disk':
            tg = dev.find('target')
            if tg is None or tg.get('bus') not in ('sata', 'scsi', 'ide', 'fdc', 'usb'): return odd_pci_address(rng, npcictl)
    if tag == 'disk':
        tg = dev.find('target'); bus = tg.get('bus') if tg is not None else None
        if bus in ('sata', 'scsi', 'ide', 'fdc'):
            return ET.Element('address', type='drive', controller=str(rng.choice([0, 0, 1, 2])), bus=str(rng.choice([0, 0, 1, 2])),
                              target=str(rng.choice([0, 0, 1, 7])), unit=str(rng.choice([0, 1, 2, 5, 6, 7, 16])))
        if bus == 'usb':
            return ET.Element('address', type='usb', bus='0', port=rng.choice(['1', '2', '3', '1.1', '5', '7']))
    if tag in ('channel', 'console') and rng.random() < 0.7:
        return ET.Element('address', type='virtio-serial', controller=str(rng.choice([0, 0, 1])), bus='0', port=str(rng.choice([0, 1, 2, 3, 30, 31])))
    if tag in ('input', 'hub', 'redirdev') or (tag == 'sound' and dev.get('model') == 'usb'):
        return ET.Element('address', type='usb', bus=str(rng.choice([0, 0, 1])), port=rng.choice(['1', '2', '3', '1.1', '1.2', '4', '8', '16']))
    if tag == 'smartcard':
        return ET.Element('address', type='ccid', controller='0', slot=str(rng.choice([0, 1])))
    if ARCH == 'aarch64' and rng.random() < 0.3:
        return ET.Element('address', type='virtio-mmio')
    return odd_pci_address(rng, npcictl)

def arm_refuses(dev):
    """PC devices libvirt refuses on ARM 'virt' (kept now and then, to check the refusals)."""
    tag, model = dev.tag, dev.get('model')
    if tag in ('panic', 'nvram') or (tag == 'iommu' and model == 'intel') or (tag == 'tpm' and model != 'tpm-tis'):
        return True
    if tag == 'input' and dev.get('bus') in ('ps2', None) and dev.get('type') != 'tablet':
        return True
    target = dev.find('target')
    if tag == 'serial' and target is not None and target.get('type') == 'isa-debug':
        return True
    return tag == 'video' and 'qxl' in ET.tostring(dev, encoding='unicode')


USB_TAGS = ('hub', 'redirdev', 'smartcard')
def needs_usb(dev):
    target = dev.find('target')
    return (dev.tag in USB_TAGS or (dev.tag in ('input', 'sound') and dev.get('bus', dev.get('model')) == 'usb')
            or (dev.tag == 'disk' and target is not None and target.get('bus') == 'usb')
            or (dev.tag == 'hostdev' and dev.get('type') == 'usb'))


MAXMEM = '<maxMemory slots="8" unit="MiB">16384</maxMemory>'

def generate(seed):
    rng = random.Random(seed)
    machine = rng.choice(MACHINES[ARCH])
    size = rng.choices(['tiny', 'small', 'medium', 'large'], [2, 4, 3, 2])[0]
    n = {'tiny': rng.randint(0, 4), 'small': rng.randint(4, 15), 'medium': rng.randint(15, 50), 'large': rng.randint(50, 300)}[size]
    keep_addr_p = rng.choice([0.0, 0.05, 0.15, 0.3])
    odd_addr_p = rng.choice([0.0, 0.0, 0.03, 0.1])
    empty_addr_p = rng.choice([0.0, 0.0, 0.05, 0.2])
    if n > 50:
        keep_addr_p /= 4; odd_addr_p /= 5
    cats = list(WEIGHTS); w = [WEIGHTS[c] for c in cats]
    if size == 'large' and rng.random() < 0.5:
        # big guests: lots of disks/nics
        w = [x * (6 if c in ('disk', 'interface') else 1) for c, x in zip(cats, w)]
    devs = []
    singles = set()
    for i in range(n):
        cat = rng.choices(cats, w)[0]
        if cat in ('watchdog', 'iommu', 'memballoon', 'panic', 'tpm', 'vsock') and cat in singles and rng.random() < 0.99:
            continue
        singles.add(cat)
        if cat == 'serial' and sum(1 for x in devs if x.tag == 'serial') >= 2 and rng.random() < 0.97: continue
        d = pick_snippet(rng, cat, machine)
        if d is None: continue
        if d.tag == 'watchdog' and d.get('model') == 'itco': continue
        if ARCH == 'aarch64' and arm_refuses(d) and rng.random() < 0.9: continue
        if d.tag == 'iommu' and d.get('model') not in ('intel', 'virtio', 'smmuv3' if ARCH == 'aarch64' else 'intel'): continue
        if d.tag == 'controller' and d.get('type') not in ('pci', 'usb', 'scsi', 'sata', 'ide', 'virtio-serial', 'ccid', 'fdc'): continue
        if d.tag == 'console' and (rng.random() < 0.8 or any(x.tag == 'console' for x in devs)):
            t = d.find('target')
            if t is None: t = ET.SubElement(d, 'target')
            t.set('type', 'virtio'); t.attrib.pop('port', None)
        if d.tag == 'controller' and d.get('type') == 'fdc': continue
        if d.tag == 'disk' and pcie_machine(machine) and rng.random() < 0.8:
            tg = d.find('target')
            if tg is not None and tg.get('bus') == 'ide': tg.set('bus', 'sata')
        if d.tag == 'controller' and d.get('type') == 'ide' and pcie_machine(machine) and rng.random() < 0.97: continue
        if d.tag == 'tpm' and d.find('backend').get('type') == 'emulator': continue
        if d.tag == 'controller' and d.get('type') == 'pci':
            tg = d.find('target')
            if tg is not None:
                for nd in tg.findall('node'): tg.remove(nd)
        if d.tag == 'controller' and d.get('type') == 'usb' and (d.get('model') or '').startswith('ich9-') and rng.random() < 0.8:
            # whole ich9 companion set
            ms = [('ich9-ehci1', None), ('ich9-uhci1', '0'), ('ich9-uhci2', '2'), ('ich9-uhci3', '4')]
            for mo, sp in ms:
                c = ET.Element('controller', type='usb', model=mo)
                if sp is not None: ET.SubElement(c, 'master', startport=sp)
                c.set('_group', '1')
                devs.append(c)
            continue
        devs.append(d)
    # fixups
    prefix = {'virtio': 'vd', 'sata': 'sd', 'scsi': 'sd', 'usb': 'sd', 'ide': 'hd', 'fdc': 'fd', 'xen': 'xvd'}
    used_targets = set()
    mac = 0
    ctl_idx = {}
    pci_idx = 0
    RANK = ['pci-expander-bus', 'pcie-expander-bus', 'pcie-root-port', 'dmi-to-pci-bridge', 'pcie-to-pci-bridge',
            'pcie-switch-upstream-port', 'pcie-switch-downstream-port', 'pci-bridge']
    if rng.random() < 0.85:
        pcis = [d for d in devs if d.tag == 'controller' and d.get('type') == 'pci']
        rest = [d for d in devs if not (d.tag == 'controller' and d.get('type') == 'pci')]
        pcis.sort(key=lambda d: RANK.index(d.get('model')) if d.get('model') in RANK else -1)
        devs = pcis + rest
    npcictl = sum(1 for d in devs if d.tag == 'controller' and d.get('type') == 'pci')
    uniq = 0
    for d in devs:
        uniq += 1
        # addresses
        a = d.find('address')
        if a is not None and rng.random() >= keep_addr_p:
            d.remove(a); a = None
        if rng.random() < odd_addr_p:
            if a is not None: d.remove(a)
            oa = odd_addr_for(rng, d, npcictl)
            if oa is not None: d.append(oa)
        elif a is None and rng.random() < empty_addr_p and not (AVOID and (d.get('model') in ('ich9-uhci1', 'dmi-to-pci-bridge') or d.tag in ('video', 'memballoon', 'sound', 'hostdev'))) and d.tag not in ('disk', 'input', 'hub', 'redirdev', 'smartcard', 'channel', 'console', 'serial', 'parallel', 'memory', 'panic'):
            if rng.random() < 0.6: d.append(ET.Element('address', type='pci'))
            else: d.append(ET.Element('address', type='pci', domain='0x0000', bus='0x00', slot='0x00', function='0x%x' % rng.randint(0, 7)))
        if d.tag == 'disk':
            tg = d.find('target')
            if tg is None:
                tg = ET.SubElement(d, 'target')
            bus = tg.get('bus')
            if AVOID:
                if bus is None: bus = rng.choice(['virtio', 'sata', 'scsi', 'usb']); tg.set('bus', bus)
                if bus == 'virtio' and d.get('device') in ('cdrom', 'floppy'):
                    d.set('device', 'disk')
                    if d.find('source') is None: ET.SubElement(d, 'source', file='/tmp/difftest-img/x.img')
                if bus == 'ide' and pcie_machine(machine): bus = 'sata'; tg.set('bus', bus)
                da = d.find('address')
                if da is not None and ((bus == 'virtio') != (da.get('type') == 'pci')): d.remove(da)
            p = prefix.get(bus or '', rng.choice(['vd', 'sd', 'hd']))
            if d.get('device') == 'floppy': p = 'fd'
            k = 0
            while True:
                name = p + disk_suffix(k)
                if name not in used_targets: break
                k += 1
            used_targets.add(name); tg.set('dev', name)
            src = d.find('source')
            if src is not None:
                for at in ('file', 'dev'):
                    if src.get(at) is not None:
                        src.set(at, '/tmp/difftest-img/%s.img' % name)
        elif d.tag == 'interface':
            m = d.find('mac')
            if m is None:
                m = ET.Element('mac'); d.insert(0, m)
            mac += 1
            m.set('address', '52:54:00:%02x:%02x:%02x' % (seed % 256, mac // 256, mac % 256))
        elif d.tag == 'controller':
            t = d.get('type')
            if t == 'pci':
                if d.get('model') in ('pci-root', 'pcie-root'):
                    d.set('index', '0')
                else:
                    pci_idx += 1
                    if rng.random() < 0.98: d.set('index', str(pci_idx))
                    else: d.attrib.pop('index', None)
                    a = d.find('address')
                    if a is not None and a.get('type') == 'pci':
                        try: b = int(a.get('bus', '0'), 0)
                        except ValueError: b = 0
                        if b >= pci_idx and rng.random() < 0.9:
                            a.set('bus', '0x%02x' % rng.randint(0, pci_idx - 1))
                for tgt in d.findall('target'):
                    if 'busNr' in tgt.attrib and rng.random() < 0.5: del tgt.attrib['busNr']
            else:
                i = ctl_idx.get(t, 0)
                if d.get('_group'):
                    del d.attrib['_group']
                    if d.get('model') == 'ich9-uhci3': ctl_idx[t] = i + 1
                    d.set('index', str(i))
                elif rng.random() < 0.85 or t == 'fdc' or AVOID:
                    d.set('index', str(i)); ctl_idx[t] = i + 1
                elif rng.random() < 0.5:
                    d.attrib.pop('index', None)
        elif d.tag == 'filesystem':
            tg = d.find('target')
            if tg is not None: tg.set('dir', 'fs%d' % uniq)
            src = d.find('source')
            if src is not None and src.get('dir') is not None: src.set('dir', '/tmp/difftest-img/fs%d' % uniq)
        elif d.tag == 'shmem':
            d.set('name', 'shm%d' % uniq)
        elif d.tag == 'hostdev' and d.get('type') == 'scsi':
            sa = d.find('source/address')
            if sa is not None: sa.set('unit', str(uniq))
        elif d.tag == 'hostdev' and d.get('type') == 'usb':
            pr = d.find('source/product')
            if pr is not None: pr.set('id', '0x%04x' % uniq)
            sa = d.find('source/address')
            if sa is not None: sa.set('device', str(uniq % 128 + 1))
        elif d.tag == 'hostdev' and d.get('type') == 'pci':
            sa = d.find('source/address')
            if sa is not None:
                sa.set('bus', '0x%02x' % (uniq % 256)); sa.set('slot', '0x%02x' % (uniq // 256 % 32)); sa.set('function', '0x%x' % (seed % 8))
        elif d.tag == 'channel':
            tg = d.find('target')
            if tg is not None and tg.get('type') == 'virtio' and rng.random() < 0.8:
                if tg.get('name') not in ('com.redhat.spice.0',) or rng.random() < 0.5:
                    tg.set('name', 'org.test.ch%d' % uniq)
        elif d.tag == 'memory':
            if AVOID:
                for nd in d.iter('node'): nd.text = '0'
                da = d.find('address')
                if da is not None and da.get('type') != 'dimm': d.remove(da)
            for p in d.iter('path'):
                p.text = '/tmp/difftest-img/nvdimm%d' % uniq
    if ARCH == 'aarch64' and any(needs_usb(d) for d in devs) and rng.random() < 0.9 and \
            not any(d.tag == 'controller' and d.get('type') == 'usb' for d in devs):
        devs.append(ET.Element('controller', type='usb', model='qemu-xhci'))  # ARM guests get none of their own
    if rng.random() < 0.7: rng.shuffle(devs)
    # domain
    dom = ET.Element('domain', type=rng.choice(['kvm', 'qemu']) if ARCH == 'x86_64' else 'qemu')  # no ARM KVM on the oracle's host
    ET.SubElement(dom, 'name').text = 'dt-%d' % seed
    has_mem = any(d.tag == 'memory' for d in devs)
    want_numa = has_mem or rng.random() < 0.3
    if has_mem or (want_numa and rng.random() < 0.3):
        dom.append(ET.fromstring(MAXMEM))
    ET.SubElement(dom, 'memory', unit='MiB').text = '1024'
    ET.SubElement(dom, 'vcpu').text = '2'
    if any(d.tag == 'filesystem' and d.find('driver') is not None and d.find('driver').get('type') == 'virtiofs' for d in devs) or has_mem and rng.random() < 0.3:
        mb = ET.SubElement(dom, 'memoryBacking'); ET.SubElement(mb, 'access', mode='shared')
    os_ = ET.SubElement(dom, 'os')
    ET.SubElement(os_, 'type', arch=ARCH, machine=machine).text = 'hvm'
    feats = ET.SubElement(dom, 'features')
    if ARCH == 'x86_64':
        ET.SubElement(feats, 'acpi'); ET.SubElement(feats, 'apic')
    if any(d.tag == 'iommu' and d.get('model') == 'intel' for d in devs) and rng.random() < 0.7:
        ET.SubElement(feats, 'ioapic', driver='qemu')
    if want_numa:
        cpu = ET.SubElement(dom, 'cpu'); numa = ET.SubElement(cpu, 'numa')
        ET.SubElement(numa, 'cell', id='0', cpus='0-1', memory='1024', unit='MiB')
    devices = ET.SubElement(dom, 'devices')
    spice = any(d.get('type') == 'spicevmc' for d in devs)
    if spice:
        devices.append(ET.fromstring('<graphics type="spice" autoport="yes"/>'))
    elif rng.random() < 0.3:
        devices.append(ET.fromstring(rng.choice(['<graphics type="vnc"/>', '<graphics type="spice"/>', '<graphics type="spice" autoport="yes"/>'])))
    for d in devs: devices.append(d)
    if AVOID and any(d.get('type') in ('spiceport', 'spicevmc') for d in devs) and not any(d.tag == 'graphics' for d in devices):
        devices.insert(0, ET.fromstring('<graphics type="spice" autoport="yes"/>'))
    ET.indent(dom)
    return ET.tostring(dom, encoding='unicode') + '\n'

def disk_suffix(k):
    s = ''
    k += 1
    while k > 0:
        k -= 1
        s = chr(ord('a') + k % 26) + s
        k //= 26
    return s

if __name__ == '__main__':
    if len(sys.argv) != 2 or not sys.argv[1].lstrip('-').isdigit():
        sys.exit('usage: gen.py SEED > guest.xml')
    sys.stdout.write(generate(int(sys.argv[1])))
