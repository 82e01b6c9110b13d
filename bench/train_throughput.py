"""Training throughput of the kit's `Trainer` against a bare PyTorch loop on the same model and data.

Both sides train one and the same model object with the trainer's own optimiser (one side's steps continue
from the other's weights), with the same head, loss, batch size, precision and memory format. They read the
same in-memory dataset of pre-decoded, normalised 112x112 images from the embedded sample, for the same
number of optimiser steps, with `num_workers=0`. So the difference is the trainer's own work per step: the
DataLoader with its epoch sampler, the finite-loss check, the running loss and accuracy, the schedule and
the progress bookkeeping. The sides alternate (kit, bare, bare, kit, ...) over `--repeats` rounds after one
untimed warm-up round each, and the table reports the median images/s.
On a CPU the images/s and the ratio use the CPU time of this process (other processes on a shared machine
change the wall time far more than the loop does); the wall-clock images/s are in the last column.

    python bench/train_throughput.py [--models resnet_tiny,resnet18] [--steps 4] [--repeats 7]
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import statistics
import time

import torch
from torch.utils.data import DataLoader, Dataset

from hw2p2.augment import eval_transforms
from hw2p2.data import load_image, sample_dir
from hw2p2.train import Trainer, TrainConfig

# batch size and optimiser steps per timed round of each model on a CPU (kept small: ResNet-18 keeps its
# 112x112 resolution through the first stage and takes seconds per batch on two cores). A round is one
# `train_one_epoch` call, whose start-up real training pays once per epoch. With too few steps per round,
# that start-up shows as overhead: ResNet-18 measured 0.94 with 2 steps and 0.97 with 6.
DEFAULTS = {"resnet_tiny": (32, 6), "resnet18": (16, 6)}


class DecodedImages(Dataset):
    "Images decoded and normalised once; index i returns image i modulo the number decoded."
    def __init__(self, images: torch.Tensor, labels: torch.Tensor, length: int):
        self.images, self.labels, self.length = images, labels, length

    def __len__(self): return self.length

    def __getitem__(self, i): return self.images[i % len(self.images)], self.labels[i % len(self.images)]


def decode(paths: list, labels: list, count: int) -> tuple[torch.Tensor, torch.Tensor]:
    "Decode the first `count` images into one float tensor, normalised as the evaluation transform does."
    transform = eval_transforms()
    images = torch.stack([transform(load_image(p)) for p in paths[:count]])
    return images, torch.tensor(labels[:count])


def make_trainer(model: str, batch_size: int, steps: int, args, data: tuple) -> Trainer:
    "A kit trainer on the sample's class list whose training set is replaced by the decoded images."
    config = TrainConfig(data_dir=str(sample_dir()), model=model, batch_size=batch_size, num_workers=0,
                         device=args.device, amp=args.amp, channels_last=args.channels_last, progress=False,
                         limit_train_batches=steps, epochs=1000, augmentation="none", warmup_epochs=0.0,
                         seed=0, wandb_mode=None)
    trainer = Trainer(config)
    trainer.data.train = DecodedImages(*data, length=len(trainer.data.train))
    return trainer


def time_kit(trainer: Trainer, epoch: int, steps: int) -> tuple[float, float]:
    "Wall and process CPU seconds for `steps` batches of `Trainer.train_one_epoch` (loader creation included)."
    trainer.config = dataclasses.replace(trainer.config, limit_train_batches=steps)
    trainer.batch = 0
    start, start_cpu = time.perf_counter(), time.process_time()
    trainer.train_one_epoch(epoch)
    return time.perf_counter() - start, time.process_time() - start_cpu


def time_bare(model, optimizer, dataset, batch_size: int, steps: int, amp_dtype, device) -> tuple[float, float]:
    "Wall and process CPU seconds for `steps` batches of a plain loop: loader, autocast forward, head loss, backward, SGD step."
    loader = DataLoader(dataset, batch_size=batch_size, shuffle=True)
    model.train()
    start, start_cpu = time.perf_counter(), time.process_time()
    for step, (images, labels) in enumerate(loader):
        if step == steps: break
        images, labels = images.to(device, non_blocking=True), labels.to(device, non_blocking=True)
        with torch.autocast(device.type, dtype=amp_dtype or torch.float32, enabled=amp_dtype is not None):
            feats = model.embed(images)
        loss = model.head(feats.float(), labels)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
    if device.type == "cuda": torch.cuda.synchronize()
    return time.perf_counter() - start, time.process_time() - start_cpu


def compare(model_name: str, args, data: tuple) -> dict:
    "Alternate kit and bare rounds of one model; return the median images/s of both and their ratio."
    batch_size, steps = DEFAULTS.get(model_name, (32, 4))
    batch_size, steps = args.batch_size or batch_size, args.steps or steps
    trainer = make_trainer(model_name, batch_size, steps, args, data)
    # Both sides train the trainer's own model with its own optimiser. They run the same arithmetic on the
    # same tensors at the same addresses, and only the loop around the step differs.
    model, optimizer = trainer.model, trainer.optimizer
    dataset, device = trainer.data.train, trainer.device
    kit = lambda epoch, n: time_kit(trainer, epoch, n)
    bare = lambda epoch, n: time_bare(model, optimizer, dataset, batch_size, n, trainer.amp_dtype, device)
    kit(0, 1), bare(0, 1)  # warm-up: allocator, thread pool, first-call dispatch
    times = {"kit": [], "bare": []}
    for r in range(args.repeats):
        order = (("kit", kit), ("bare", bare)) if r % 2 == 0 else (("bare", bare), ("kit", kit))
        for name, run in order: times[name].append(run(r + 1, steps))
    # On a CPU shared with other processes the wall time measures the neighbours' load as much as the
    # loop, so there the ratio uses the CPU time of this process. On a GPU it uses the wall time.
    column = 1 if device.type == "cpu" else 0
    images = batch_size * steps
    kit_s = statistics.median(t[column] for t in times["kit"])
    bare_s = statistics.median(t[column] for t in times["bare"])
    ratios = [b[column] / k[column] for k, b in zip(times["kit"], times["bare"])]
    wall = {side: images / statistics.median(t[0] for t in times[side]) for side in times}
    return {"model": model_name, "batch": batch_size, "steps": steps, "repeats": args.repeats,
            "kit_ips": images / kit_s, "bare_ips": images / bare_s, "ratio": bare_s / kit_s,
            "ratio_min": min(ratios), "ratio_max": max(ratios), "kit_wall_ips": wall["kit"],
            "bare_wall_ips": wall["bare"], "clock": "CPU" if column else "wall"}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Compare the kit's training loop with a bare PyTorch loop.")
    parser.add_argument("--models", default="resnet_tiny,resnet18", help="comma-separated model names")
    parser.add_argument("--batch-size", type=int, help="images per batch (default: per model, see DEFAULTS)")
    parser.add_argument("--steps", type=int, help="optimiser steps per timed round (default: per model)")
    parser.add_argument("--repeats", type=int, default=7, help="timed rounds per side")
    parser.add_argument("--images", type=int, default=256, help="distinct images decoded into memory")
    parser.add_argument("--device", default="cpu", help="cpu or cuda")
    parser.add_argument("--amp", default="none", help="autocast dtype on both sides: none, bf16 or fp16")
    parser.add_argument("--channels-last", action="store_true", help="channels-last weights and inputs on both sides")
    parser.add_argument("--threads", type=int, help="torch CPU threads (default: 1 on a CPU, so that the CPU "
                                                    "time counts work and no thread spin-waiting; torch's default on a GPU)")
    args = parser.parse_args(argv)
    threads = args.threads or (1 if args.device == "cpu" else None)
    if threads: torch.set_num_threads(threads)
    # The two sides train two copies of the model whose weights drift apart. Denormal numbers, which some
    # CPUs process far more slowly, could then make one side slower for reasons that are not its code.
    if args.device == "cpu": torch.set_flush_denormal(True)
    torch.manual_seed(0)
    from hw2p2.data import read_classification
    cls = read_classification(sample_dir())
    data = decode(cls.train_paths, cls.train_labels, args.images)
    print(f"{platform.machine()}, {os.cpu_count()} CPUs, torch {torch.__version__}, device {args.device}, "
          f"amp {args.amp}, channels_last {args.channels_last}, {torch.get_num_threads()} threads, "
          f"{args.repeats} alternating rounds", flush=True)
    print("| model | batch | steps/round | clock | kit img/s | bare img/s | kit/bare (median) | per-round range "
          "| wall img/s kit / bare |")
    print("|---|---|---|---|---|---|---|---|---|")
    rows = []
    for name in args.models.split(","):
        r = compare(name, args, data)
        rows.append(r)
        print(f"| {r['model']} | {r['batch']} | {r['steps']} | {r['clock']} | {r['kit_ips']:.1f} | {r['bare_ips']:.1f} | "
              f"{r['ratio']:.3f} | {r['ratio_min']:.3f}-{r['ratio_max']:.3f} | "
              f"{r['kit_wall_ips']:.1f} / {r['bare_wall_ips']:.1f} |", flush=True)
    worst = min(r["ratio"] for r in rows)
    print("summary: kit/bare throughput " + ", ".join(f"{r['model']} {r['ratio']:.3f}" for r in rows)
          + f"; worst {worst:.3f} ({'meets' if worst >= 0.97 else 'below'} the 0.97 target)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
