"""Measure the training throughput of every registered model, in contiguous and channels-last memory format.

One training step is a forward pass, softmax cross-entropy on the logits of the default linear head, a
backward pass and an SGD update, on random images and labels. Each model and memory format gets a fresh
model, `--warmup` untimed steps and `--steps` timed steps. The rate is images per second over the timed
steps. The header prints the 1-minute load average: on a shared machine, other processes lower the rates.
Usage:

    python bench/models.py [--models resnet_tiny,resnet18] [--batch-size 8] [--steps 2] [--size 112] [--device cpu]

NOTE: `--device cuda` synchronises around the timed steps but has not been run on a GPU.
"""
from __future__ import annotations

import argparse
import os
import platform
import time
import warnings

import torch
import torch.nn.functional as F

from hw2p2.models import create_model, list_models, model_summary


def _synchronize(device: torch.device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def train_rate(name: str, channels_last: bool, batch_size: int, size: int, steps: int, warmup: int,
               num_classes: int, device: torch.device) -> float:
    "Return the training images per second of one model in one memory format."
    torch.manual_seed(0)
    model = create_model(name, num_classes=num_classes, channels_last=channels_last).to(device).train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    images = torch.randn(batch_size, 3, size, size, device=device)
    labels = torch.randint(0, num_classes, (batch_size,), device=device)
    for step in range(warmup + steps):
        if step == warmup:
            _synchronize(device)
            start = time.perf_counter()
        loss = F.cross_entropy(model(images)["out"], labels)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
    _synchronize(device)
    return batch_size * steps / (time.perf_counter() - start)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default=None, help="comma-separated model names; all registered models when omitted")
    parser.add_argument("--batch-size", type=int, default=8, help="images per training step")
    parser.add_argument("--steps", type=int, default=2, help="timed training steps per model and format")
    parser.add_argument("--warmup", type=int, default=1, help="untimed steps before timing")
    parser.add_argument("--size", type=int, default=112, help="input side in pixels")
    parser.add_argument("--num-classes", type=int, default=8631, help="classes of the linear head")
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads; the torch default when omitted")
    parser.add_argument("--device", default="cpu", help="torch device to train on, e.g. cpu or cuda")
    args = parser.parse_args(argv)

    if args.threads:
        torch.set_num_threads(args.threads)
    names = args.models.split(",") if args.models else list_models()
    unknown = sorted(set(names) - set(list_models()))
    if unknown:
        parser.error(f"unknown models {', '.join(unknown)}; known models: {', '.join(list_models())}")

    device = torch.device(args.device)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"torch {torch.__version__}, {args.device}, {platform.processor() or platform.machine()}, "
          f"{torch.get_num_threads()} CPU threads (1-min load {load:.1f}), batch {args.batch_size}, "
          f"{args.size}x{args.size}, {args.warmup} warm-up + {args.steps} timed steps")
    header = f"{'model':<16} {'params (M)':>10} {'GMACs':>7} {'contiguous img/s':>17} {'channels_last img/s':>20} {'ratio':>6}"
    print(header)
    print("-" * len(header))
    started, rows = time.perf_counter(), []
    for name in names:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # models above the 30M limit are measured too
            info = model_summary(create_model(name, num_classes=args.num_classes), size=args.size)
        rates = [train_rate(name, cl, args.batch_size, args.size, args.steps, args.warmup, args.num_classes, device)
                 for cl in (False, True)]
        rows.append((name, *rates))
        print(f"{name:<16} {info['parameters'] / 1e6:>10.2f} {info['macs'] / 1e9:>7.2f} {rates[0]:>17.1f} "
              f"{rates[1]:>20.1f} {rates[1] / rates[0]:>6.2f}", flush=True)
    faster = sum(cl > contiguous for _, contiguous, cl in rows)
    fastest = max(rows, key=lambda row: max(row[1:]))
    print(f"summary: {len(rows)} models in {time.perf_counter() - started:.0f} s; channels_last faster for {faster} of "
          f"{len(rows)}; fastest {fastest[0]} at {max(fastest[1:]):.1f} img/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
