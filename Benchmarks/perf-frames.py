#!/usr/bin/env python3
"""Shares of a perf profile's samples, from `perf script` output with call graphs (record with --call-graph dwarf).

    perf script -i FILE.perf.data -F comm,tid,time,ip,sym | swift demangle --simplified > /tmp/samples.txt
    Benchmarks/perf-frames.py /tmp/samples.txt own [N] [LEAF-REGEX]   # by the first frame of our own code
    Benchmarks/perf-frames.py /tmp/samples.txt incl REGEX...           # samples with a frame matching each
    Benchmarks/perf-frames.py /tmp/samples.txt callers REGEX [N]       # our frame above the outermost match

`own` gives each sample to its first frame that is not the kernel, the Swift runtime, the standard library or libc's
allocator (a retain inside `Normalizer.rebuilt` counts for `Normalizer.rebuilt`; NIO's, AsyncHTTPClient's and
libyaml's functions count as themselves): the cost of each function with what it makes the runtime do.
docs/benchmarks.md (session 14) used it.
"""
import collections
import re
import sys

RUNTIME = re.compile(
    # Names beginning with "_" are the standard library's and the runtime's internals; ours never do. Kernel frames
    # are marked by `read`.
    r"^(\[kernel\] |(specialized )?(static )?(_|swift|malloc|cfree|free|unlink|tcache|tuple_|outlined|merged |value witness|"
    r"type metadata|initializeWithCopy|initializeBufferWithCopyOfBuffer|destroy|assignWithCopy|\$s|\[unknown\]|"
    r"memcpy|memmove|(Array|ContiguousArray|Dictionary|String|Set|Hasher|Sequence|Collection|Substring|Character|"
    r"Unicode|UnsafeMutablePointer|UnsafeMutableBufferPointer|IndexingIterator|Slice|ArraySlice)[.<( ]|"
    r"protocol witness for (Swift\.)?(Sequence|Collection|Hashable|Equatable|IteratorProtocol|Comparable)))"
)


def read(path):
    """Each sample's frames, innermost first."""
    samples, frames = [], None
    for line in open(path, errors="replace"):
        if not line.strip():
            if frames is not None:
                samples.append(frames)
            frames = None
        elif not line[0].isspace():
            frames = []
        elif frames is not None:
            address, _, name = line.strip().partition(" ")
            name = re.sub(r"\s+\(\S+\)$", "", name.strip()) or "?"
            frames.append(("[kernel] " if address.startswith("ffffffff") else "") + name)
    if frames:
        samples.append(frames)
    return samples


def show(counter, total, limit):
    for name, count in counter.most_common(limit):
        print(f"{100 * count / total:5.2f}% {name[:150]}")


def main(path, command, *args):
    samples = read(path)
    total = len(samples)
    print(f"{total} samples")
    if command == "own":
        limit = int(args[0]) if args else 40
        leaf = re.compile(args[1]) if len(args) > 1 else None
        counter = collections.Counter(
            next((frame for frame in frames if not RUNTIME.search(frame)), "<runtime only>")
            for frames in samples
            if frames and (leaf is None or leaf.search(frames[0]))
        )
        if leaf:
            print(f"{100 * sum(counter.values()) / total:5.1f}% with the leaf {leaf.pattern}")
        show(counter, total, limit)
    elif command == "incl":
        for pattern in map(re.compile, args):
            count = sum(1 for frames in samples if any(pattern.search(frame) for frame in frames))
            print(f"{100 * count / total:5.1f}% {pattern.pattern}")
    elif command == "callers":
        pattern, limit = re.compile(args[0]), int(args[1]) if len(args) > 1 else 20
        counter = collections.Counter()
        for frames in samples:
            matches = [index for index, frame in enumerate(frames) if pattern.search(frame)]
            if matches:
                above = frames[matches[-1] + 1 :]
                counter[next((frame for frame in above if not RUNTIME.search(frame)), "<root>")] += 1
        show(counter, total, limit)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(*sys.argv[1:])
