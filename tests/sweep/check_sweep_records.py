"""Independent checks of a synthetic sweep's records (tests/sweep/sweep_runner.cpp), read with h5py.

  values DIR             every point 0..23 has a record with /value = 10 a + b (a = p // 4, b = p % 4)
  same DIR1 DIR2         both directories hold the same /value and /draw for every point
  once LOG [LOG...]      every point was computed exactly once over the logs; prints the processes
  snapshot DIR           prints "record inode" for every complete record (before a kill)
  unchanged SNAP DIR     no record listed in SNAP was rewritten since (same inode)
"""
import os
import sys
from collections import Counter

import h5py
import numpy as np

POINTS = 24


def record(directory, p):
    return os.path.join(directory, "points", "%06d.h5" % p)


def read(directory, p):
    with h5py.File(record(directory, p), "r") as f:
        assert f.attrs["format"] == b"neurode-sweep-point" or f.attrs["format"] == "neurode-sweep-point"
        assert int(f.attrs["index"]) == p, (p, f.attrs["index"])
        return float(f["value"][0]), float(f["draw"][0])


def main():
    mode = sys.argv[1]
    if mode == "values":
        for p in range(POINTS):
            value, draw = read(sys.argv[2], p)
            assert value == 10 * (p // 4) + p % 4, (p, value)
            assert 400 < draw < 600, (p, draw)  # a sum of 1000 uniforms
        print("values ok")
    elif mode == "same":
        for p in range(POINTS):
            assert read(sys.argv[2], p) == read(sys.argv[3], p), p
        print("same records")
    elif mode == "once":
        counts, who = Counter(), Counter()
        for log in sys.argv[2:]:
            for line in open(log):
                words = line.split()
                if words[0] == "computed":
                    counts[int(words[1])] += 1
                    who[" ".join(words[2:])] += 1
        twice = [p for p, c in counts.items() if c != 1]
        assert not twice, "computed more than once: %s" % twice
        assert sorted(counts) == list(range(POINTS)), sorted(counts)
        print("each point computed once by", len(who), "processes:", dict(who))
    elif mode == "snapshot":
        for p in range(POINTS):
            path = record(sys.argv[2], p)
            if os.path.exists(path):
                print(p, os.stat(path).st_ino)
    elif mode == "unchanged":
        seen = 0
        for line in open(sys.argv[2]):
            p, inode = map(int, line.split())
            assert os.stat(record(sys.argv[3], p)).st_ino == inode, "record %d was rewritten" % p
            seen += 1
        print("finished records never redone:", seen, "checks")
    else:
        raise SystemExit(__doc__)


main()
