"""Measure data loading speed: JPEG decoding against the decoded-image cache, with 0, 1 and 2 workers.

Usage: python bench/data_pipeline.py [--data DIR] [--batch-size 64] [--workers 0 1 2] [--epochs 1]

Reads the training split of DIR (default: the sample shipped with the package), passes every batch
through the default transform (`to_float_normalized`) and prints images per second for each setting,
then one summary line. Times include the DataLoader start-up; the cache is built before timing starts.
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from hw2p2.data import default_data_dir, find_layout, read_split
from hw2p2.loaders import make_image_dataset, make_loader


def images_per_second(dataset, batch_size:int, workers:int, epochs:int) -> float:
    "Iterate over `dataset` for `epochs` epochs and return the images read per second."
    loader = make_loader(dataset, batch_size=batch_size, shuffle=True, num_workers=workers, pin_memory=False)
    start, seen = time.perf_counter(), 0
    for _ in range(epochs):
        for images, _ in loader:
            seen += len(images)
    return seen / (time.perf_counter() - start)


def main(argv:list[str]|None=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="dataset folder (default: $HW2P2_DATA or the sample)")
    parser.add_argument("--batch-size", type=int, default=64, help="images per batch (default 64)")
    parser.add_argument("--workers", type=int, nargs="+", default=[0, 1, 2], help="worker counts (default 0 1 2)")
    parser.add_argument("--epochs", type=int, default=1, help="passes over the split per setting (default 1)")
    args = parser.parse_args(argv)
    layout = find_layout(args.data or default_data_dir())
    paths, labels = read_split(layout.train_dir)
    with tempfile.TemporaryDirectory() as cache_dir:
        start = time.perf_counter()
        cached = make_image_dataset(paths, labels, cache_file=Path(cache_dir) / "train.npy", progress=False)
        build_seconds = time.perf_counter() - start
        plain = make_image_dataset(paths, labels)
        results = {(source, w): images_per_second(ds, args.batch_size, w, args.epochs)
                   for source, ds in (("jpeg", plain), ("cache", cached)) for w in args.workers}
    print(f"{len(paths)} training images from {layout.root}, batch size {args.batch_size}, {args.epochs} epochs; "
          f"cache built in {build_seconds:.1f} s; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    print(f"{'source':<8}{'workers':>8}{'images/s':>12}")
    for (source, workers), rate in results.items():
        print(f"{source:<8}{workers:>8}{rate:>12.0f}")
    best = {source: max((r, w) for (s, w), r in results.items() if s == source) for source in ("jpeg", "cache")}
    print(f"summary: JPEG decoding {best['jpeg'][0]:.0f} images/s ({best['jpeg'][1]} workers), cache "
          f"{best['cache'][0]:.0f} images/s ({best['cache'][1]} workers), {best['cache'][0] / best['jpeg'][0]:.1f}x")


if __name__ == "__main__":
    main()
