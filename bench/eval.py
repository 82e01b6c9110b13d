"""Time the verification stage on a test list of the course's size: 6,000 pairs over 7,701 distinct images.

The list is synthetic: a temporary folder of 7,701 links with random 8-character names points, in turn, to
the JPEGs of a dataset (every image of `ver_data/` and `cls_data/`), and 6,000 random pairs use every link at
least once. Scoring goes through `hw2p2.verify.score_pairs`, which reads and embeds each distinct file once,
so the work equals that of the real `test_pairs.txt`. The models have random weights (the speed does not
depend on them); the labels are random, so no EER is reported.

    python bench/eval.py [--data data/lfw] [--models resnet_tiny,resnet18] [--batch-size 256] [--num-workers 0]
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import string
import tempfile
import time
from pathlib import Path

import torch

from hw2p2.data import find_layout, sample_dir
from hw2p2.models import count_parameters, create_model
from hw2p2.verify import score_pairs

PAIRS, DISTINCT = 6000, 7701


def build_test_list(data_dir: Path, folder: Path, pairs: int = PAIRS, distinct: int = DISTINCT,
                    seed: int = 0) -> list[tuple[str, str]]:
    "Fill `folder` with `distinct` links to the dataset's JPEGs and return `pairs` pairs that use every link."
    layout = find_layout(data_dir)
    sources = sorted(layout.ver_dir.glob("*.jpg")) + sorted(Path(layout.train_dir).rglob("*.jpg"))
    if not sources: raise FileNotFoundError(f"No JPEG images under {data_dir}.")
    rng = random.Random(seed)
    names = set()
    while len(names) < distinct: names.add("".join(rng.choices(string.ascii_letters + string.digits, k=8)) + ".jpg")
    names = sorted(names)
    for i, name in enumerate(names): (folder / name).symlink_to(sources[i % len(sources)].resolve())
    slots = names + [rng.choice(names) for _ in range(2 * pairs - distinct)]
    rng.shuffle(slots)
    return [(slots[2 * i], slots[2 * i + 1]) for i in range(pairs)]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Time embedding and scoring a 6,000-pair test list.")
    parser.add_argument("--data", default="data/lfw", help="dataset whose JPEGs the list points to (default: "
                                                           "data/lfw, else the embedded sample)")
    parser.add_argument("--models", default="resnet_tiny,resnet18", help="comma-separated model names")
    parser.add_argument("--batch-size", type=int, default=256, help="images per forward pass")
    parser.add_argument("--num-workers", type=int, default=0, help="DataLoader processes that decode the JPEGs")
    parser.add_argument("--device", default="cpu", help="cpu or cuda")
    parser.add_argument("--pairs", type=int, default=PAIRS, help="pairs in the list (the course's test list: 6000)")
    parser.add_argument("--distinct", type=int, default=DISTINCT, help="distinct images in the list (course: 7701)")
    args = parser.parse_args(argv)
    data = Path(args.data) if Path(args.data).is_dir() else sample_dir()
    torch.manual_seed(0)
    print(f"{platform.machine()}, {os.cpu_count()} CPUs, torch {torch.__version__}, device {args.device}, "
          f"images from {data}", flush=True)
    print("| model | parameters | pairs | distinct images | seconds | images/s | pairs/s |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pairs = build_test_list(data, folder, args.pairs, args.distinct)
        distinct = len({name for pair in pairs for name in pair})
        for name in args.models.split(","):
            model = create_model(name, embedding_dim=512, num_classes=8631).to(args.device).eval()
            score_pairs(model, folder, pairs[:4], batch_size=8, device=args.device)  # warm-up
            start = time.perf_counter()
            scores = score_pairs(model, folder, pairs, batch_size=args.batch_size, device=args.device,
                                 num_workers=args.num_workers)
            seconds = time.perf_counter() - start
            assert len(scores) == len(pairs)
            print(f"| {name} | {count_parameters(model):,} | {len(pairs):,} | {distinct:,} | {seconds:.1f} | "
                  f"{distinct / seconds:.0f} | {len(pairs) / seconds:.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
