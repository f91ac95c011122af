#!/usr/bin/env python3
"""Lets Zola's published Linux binary load on Debian 12 (glibc 2.36): copies IN to OUT with
its need for glibc 2.39 marked weak.

The binary needs GLIBC_2.39 only for two weakly linked process-spawning functions
(pidfd_spawnp, pidfd_getpid) that a build never calls; with the version need marked weak
(VER_FLG_WEAK) the loader leaves them unbound instead of refusing the file. Nothing else in
the file changes. Usage: weaken-glibc.py IN OUT
"""
import struct
import sys

VER_FLG_WEAK = 0x2
TOO_NEW = ("GLIBC_2.39",)


def main(source, target):
    elf = bytearray(open(source, "rb").read())
    if elf[:4] != b"\x7fELF" or elf[4] != 2:
        sys.exit(f"{source}: not a 64-bit ELF file")
    shoff = struct.unpack_from("<Q", elf, 0x28)[0]
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", elf, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", elf, shoff + i * shentsize) for i in range(shnum)]

    def text(at):
        return elf[at : elf.index(0, at)].decode()

    names = sections[shstrndx][4]
    needs = [s for s in sections if text(names + s[0]) == ".gnu.version_r"]
    if not needs:
        sys.exit(f"{source}: no version needs")
    need, strings = needs[0], sections[needs[0][6]][4]
    at, weakened = need[4], []
    while True:
        _, count, file, aux, next_need = struct.unpack_from("<HHIII", elf, at)
        entry = at + aux
        for _ in range(count):
            _, flags, _, name, next_aux = struct.unpack_from("<IHHII", elf, entry)
            if text(strings + name) in TOO_NEW:
                struct.pack_into("<H", elf, entry + 4, flags | VER_FLG_WEAK)
                weakened.append(f"{text(strings + file)} {text(strings + name)}")
            entry += next_aux
        if not next_need:
            break
        at += next_need
    open(target, "wb").write(elf)
    print("weakened:", ", ".join(weakened) or "nothing")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
