#!/usr/bin/env python3
# hostile.py - make hostile inputs for the e2e tests (160, 161, 035), small
# on disk, made at test time; nothing here is committed as data.
#
#   hostile.py image OUT.tar LAYER... [--config FILE]
#       a docker-archive (what `podman save` writes) with these layer blobs,
#       in order; the config lists one history entry per layer.  A layer
#       file is used as it is (tar, tar.gz, tar.zst: layerscan sniffs).
#   hostile.py tricks OUT.tar TOKEN MARKER
#       a layer of hostile entries (see tricks() below)
#   hostile.py gzbomb OUT.tar.gz MIB
#       a gzip layer holding one file of MIB MiB of zeros, made of one
#       gzip member per MiB (members are concatenated: ~1 KiB per GiB)
#   hostile.py tarhead OUT NAME SIZE
#       just a ustar header for a file NAME of SIZE bytes (for zstd bombs)
#   hostile.py many OUT.tar.gz N
#       a gzip layer of N empty regular files
#   hostile.py zipbomb OUT.zip MIB
#       a zip with one deflated file of MIB MiB of zeros
#   hostile.py deepjson OUT DEPTH
#       an image config nested DEPTH deep
import gzip
import hashlib
import io
import json
import os
import sys
import tarfile
import zipfile
import zlib

MIB = 1 << 20


def image(out, layers, config=None):
    entries = []
    diff_ids = []
    names = []
    for path in layers:
        with open(path, "rb") as fh:
            data = fh.read()
        digest = hashlib.sha256(data).hexdigest()
        names.append(digest + ".tar")
        diff_ids.append("sha256:" + digest)
        entries.append((digest + ".tar", data))
    if config is None:
        cfg = {
            "architecture": "amd64", "os": "linux",
            "config": {"Env": ["PATH=/usr/bin"]},
            "rootfs": {"type": "layers", "diff_ids": diff_ids},
            "history": [{"created_by": "COPY layer%d /" % i}
                        for i in range(len(layers))],
        }
        cfg_bytes = json.dumps(cfg).encode()
    else:
        with open(config, "rb") as fh:
            cfg_bytes = fh.read()
    cfg_name = hashlib.sha256(cfg_bytes).hexdigest() + ".json"
    manifest = json.dumps([{"Config": cfg_name,
                            "RepoTags": ["localhost/hostile:latest"],
                            "Layers": names}]).encode()
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as t:
        for name, data in entries + [(cfg_name, cfg_bytes),
                                     ("manifest.json", manifest)]:
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            t.addfile(ti, io.BytesIO(data))


def add(t, name, data=b"", kind=tarfile.REGTYPE, link=""):
    ti = tarfile.TarInfo(name)
    ti.type = kind
    ti.linkname = link
    if kind == tarfile.REGTYPE:
        ti.size = len(data)
        t.addfile(ti, io.BytesIO(data))
    else:
        if kind in (tarfile.CHRTYPE, tarfile.BLKTYPE):
            ti.devmajor, ti.devminor = 1, 5
        t.addfile(ti)


def tricks(out, token, marker):
    """Path traversal, absolute names, links out of the layer, devices,
    FIFOs, invalid UTF-8 and control characters in names, NUL bytes and
    invalid UTF-8 in contents.  Every regular file holds TOKEN."""
    tok = ("T=" + token + "\n").encode()
    # names are bytes through surrogateescape, so invalid UTF-8 survives
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT,
                      encoding="utf-8", errors="surrogateescape") as t:
        add(t, "../../../../../../../../tmp/%s/traversal.env" % marker, tok)
        add(t, "/tmp/%s-abs/absolute.env" % marker, tok)
        add(t, "app/../../../escape.env", tok)
        add(t, "app/secret.env", tok)
        add(t, "app/link-out", kind=tarfile.SYMTYPE, link="/etc/passwd")
        add(t, "app/dir-out", kind=tarfile.SYMTYPE, link="../../../../")
        add(t, "app/dir-out/through-link.env", tok)
        add(t, "app/hl-passwd", kind=tarfile.LNKTYPE, link="../../etc/passwd")
        add(t, "app/hl-secret", kind=tarfile.LNKTYPE, link="app/secret.env")
        add(t, "dev/zero", kind=tarfile.CHRTYPE)
        add(t, "dev/sda", kind=tarfile.BLKTYPE)
        add(t, "app/fifo", kind=tarfile.FIFOTYPE)
        add(t, "app/bad-\udcff\udcfe-utf8.env", tok)
        add(t, "app/esc-\x1b[31mred\x1b[0m-\x07.env", tok)
        add(t, "app/nul-content.bin.txt",
            b"x" * 9000 + b"\x00\xff\xfe\x00" + tok + b"\xc3\x28\xa0\xa1" + tok)


def gzbomb(out, mib):
    """A tar of one file of MIB MiB of zeros, as one gzip member per MiB."""
    hdr = tarfile.TarInfo("zeros.bin")
    hdr.size = mib * MIB
    head = hdr.tobuf(format=tarfile.GNU_FORMAT)
    zero = gzip.compress(b"\0" * MIB, compresslevel=9, mtime=0)
    with open(out, "wb") as fh:
        fh.write(gzip.compress(head, mtime=0))
        for _ in range(mib):
            fh.write(zero)


def tarhead(out, name, size):
    hdr = tarfile.TarInfo(name)
    hdr.size = int(size)
    with open(out, "wb") as fh:
        fh.write(hdr.tobuf(format=tarfile.GNU_FORMAT))


def many(out, n):
    """N empty files: raw ustar headers (tarfile is too slow for a
    million), gzip level 1."""
    tmpl = bytearray(tarfile.TarInfo("x").tobuf(format=tarfile.USTAR_FORMAT))
    tmpl[148:156] = b"        "
    with gzip.open(out, "wb", compresslevel=1) as z:
        buf = bytearray()
        for i in range(n):
            h = bytearray(tmpl)
            name = b"d%03d/f%07d" % (i % 1000, i)
            h[0:100] = name.ljust(100, b"\0")
            h[148:156] = b"%06o\0 " % sum(h)
            buf += h
            if len(buf) >= 4 * MIB:
                z.write(buf)
                buf = bytearray()
        z.write(buf + b"\0" * 1024)


def zipbomb(out, mib):
    zero = b"\0" * MIB
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        with z.open("zeros.bin", "w", force_zip64=True) as fh:
            for _ in range(mib):
                fh.write(zero)


def deepjson(out, depth):
    doc = {"architecture": "amd64", "os": "linux",
           "config": {"Env": ["PATH=/usr/bin"]},
           "rootfs": {"type": "layers", "diff_ids": []}, "history": []}
    s = json.dumps(doc)
    # the deep part inside a label: valid JSON, DEPTH levels
    deep = "[" * depth + "]" * depth
    s = s[:-1] + ', "x": ' + deep + "}"
    with open(out, "w") as fh:
        fh.write(s)


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "image":
        cfg = None
        if "--config" in args:
            i = args.index("--config")
            cfg = args[i + 1]
            del args[i:i + 2]
        image(args[0], args[1:], cfg)
    elif cmd == "tricks":
        tricks(*args)
    elif cmd == "gzbomb":
        gzbomb(args[0], int(args[1]))
    elif cmd == "tarhead":
        tarhead(*args)
    elif cmd == "many":
        many(args[0], int(args[1]))
    elif cmd == "zipbomb":
        zipbomb(args[0], int(args[1]))
    elif cmd == "deepjson":
        deepjson(args[0], int(args[1]))
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
