"""Verification EER per CPU wall-clock budget: the course's baseline CNN against the kit's recipes.

Each configuration trains for about `--budget-minutes` of wall time on one dataset (by default the LFW View 1
conversion in `data/lfw`). Its final model then scores every pair of `val_pairs.txt` (LFW's pairsDevTest), and
the script reports the EER. The budget is turned into a number of optimiser steps by timing a few training
batches and one evaluation of each configuration first (the calibration is not counted in the budget). The
training then runs as `hw2p2.train.train` with a cosine schedule over those steps, in epochs of at most one
pass over the training set. When the budget allows fewer than eight passes, it runs about eight shorter
epochs, so that the schedule, the warm-up and the two-stage recipe have epochs to work on. During training each epoch scores only
`--val-pairs` pairs, so evaluation takes little of the budget. The reported EER uses the final model on all
pairs, because no checkpoint is picked by EER, and scores with the mirror image too when the configuration
sets `eval_flip` (the recipe does; the course's baseline does not).

    python bench/quality.py [--budget-minutes 7] [--data data/lfw] [--only baseline,resnet_ce,...]
    python bench/quality.py --budget-minutes 5 --set augmentation=standard     # one change to the recipe
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import platform
import time
from pathlib import Path

import torch

from hw2p2.data import find_layout, read_pairs
from hw2p2.models import count_parameters
from hw2p2.config import CONFIG_FIELDS, read_config_values
from hw2p2.train import Trainer, TrainConfig, train
from hw2p2.train_cli import parse_set_values
from hw2p2.verify import compute_eer, score_pairs

def load_recipe(name: str = "lfw") -> dict:
    "Return the config keys of a recipe shipped in hw2p2/recipes/ (the default of `hw2p2 run` is `lfw`)."
    return read_config_values(name)


def configurations() -> dict[str, dict]:
    "The compared configurations as TrainConfig keys (the budget decides epochs and batches)."
    plain = dict(optimizer="sgd", lr=0.1, scheduler="cosine", weight_decay=5e-4, augmentation="light")
    return {
        "baseline": dict(model="baseline_cnn", embedding_dim=1024, loss="softmax", **plain),
        "resnet_ce": dict(model="resnet_tiny", embedding_dim=256, loss="softmax", **plain),
        "resnet_arcface": dict(model="resnet_tiny", embedding_dim=256, loss="arcface",
                               loss_options={"s": 30.0, "m": 0.3}, **plain),
        "recipe": load_recipe(),
    }


def calibrate(config: TrainConfig, batches: int = 3) -> tuple[float, float, int]:
    "Time `batches` training batches and one evaluation; return (seconds per batch, seconds per evaluation, batches per epoch)."
    trainer = Trainer(dataclasses.replace(config, epochs=1, limit_train_batches=batches + 1))
    trainer.train_one_epoch(0)  # the first batch pays for worker start-up and memory allocation
    trainer.batch = 0
    start = time.perf_counter()
    trainer.train_one_epoch(0)
    per_batch = (time.perf_counter() - start) / (batches + 1)
    start = time.perf_counter()
    trainer.evaluate(0)
    per_eval = time.perf_counter() - start
    trainer.config = dataclasses.replace(trainer.config, limit_train_batches=0)
    return per_batch, per_eval, trainer.batches_per_epoch()


# NOTE: the plan comes from one calibration. On a machine whose load changes during the run, a configuration
# can end well under or over its budget, so compare `train_seconds` and `images_seen` along with the EER.
def plan_epochs(budget_s: float, per_batch: float, per_eval: float, epoch_batches: int,
                target_epochs: int = 8) -> tuple[int, int]:
    "Split a wall budget into (epochs, batches per epoch), about `target_epochs` epochs, each at most a real epoch."
    total_batches = max(target_epochs, int((budget_s - target_epochs * per_eval) / per_batch))
    per_epoch = min(epoch_batches, max(1, total_batches // target_epochs))
    epochs = max(1, int(budget_s // (per_epoch * per_batch + per_eval)))
    return epochs, per_epoch


def budget_config(values: dict, base: TrainConfig, epochs: int, per_epoch: int) -> TrainConfig:
    "Fit a configuration's values to the planned epochs; a two-stage recipe spends a quarter of them on its margin head."
    config = dataclasses.replace(base, **values, limit_train_batches=per_epoch, warmup_epochs=0.5)
    if config.finetune_loss:
        finetune = max(1, round(epochs / 4)) if epochs > 1 else 0
        return dataclasses.replace(config, epochs=epochs - finetune, finetune_epochs=finetune)
    return dataclasses.replace(config, epochs=epochs, finetune_epochs=0)


def run_configuration(name: str, values: dict, base: TrainConfig, budget_s: float, out_dir: Path) -> dict:
    "Calibrate, train within the budget and score all validation pairs with the final model."
    config = dataclasses.replace(base, **values, checkpoint_dir=str(out_dir / name))
    per_batch, per_eval, epoch_batches = calibrate(config)
    epochs, per_epoch = plan_epochs(budget_s, per_batch, per_eval, epoch_batches)
    config = budget_config(values, dataclasses.replace(base, checkpoint_dir=str(out_dir / name)), epochs, per_epoch)
    print(f"{name}: {per_batch:.2f} s/batch, {per_eval:.1f} s/evaluation -> {epochs} epochs of {per_epoch} batches",
          flush=True)
    start = time.perf_counter()
    result = train(config)
    train_s = time.perf_counter() - start
    layout = find_layout(config.data_dir)
    pairs = read_pairs(layout.val_pairs, labelled=True, image_dir=layout.ver_dir)
    scores = score_pairs(result.model, layout.ver_dir, pairs, batch_size=config.eval_batch_size, device="cpu",
                         flip=config.eval_flip)
    eer, _ = compute_eer(scores, [p[2] for p in pairs])
    row = {"name": name, "model": config.model, "loss": config.loss, "finetune_loss": config.finetune_loss,
           "epochs": config.epochs + config.finetune_epochs, "batches_per_epoch": per_epoch,
           "images_seen": (config.epochs + config.finetune_epochs) * per_epoch * config.batch_size,
           "train_seconds": round(train_s, 1), "flip": config.eval_flip, "EER": round(eer, 4), "pairs": len(pairs),
           "best_dev_acc": result.best_acc, "parameters": count_parameters(result.model, trainable=False)}
    print(json.dumps(row), flush=True)
    return row


def format_table(rows: list[dict]) -> str:
    "Markdown table of the results, in run order."
    lines = ["| configuration | model | loss | epochs x batches | images seen | train s | dev acc | flip | EER (all pairs) |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        loss = r["loss"] + (f" then {r['finetune_loss']}" if r["finetune_loss"] else "")
        lines.append(f"| {r['name']} | {r['model']} | {loss} | {r['epochs']} x {r['batches_per_epoch']} | "
                     f"{r['images_seen']} | {r['train_seconds']:.0f} | {r['best_dev_acc']:.3f} | "
                     f"{'yes' if r.get('flip') else 'no'} | {r['EER']:.4f} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Train each configuration for a fixed wall budget and compare EER.")
    parser.add_argument("--budget-minutes", type=float, default=7.0, help="training wall time per configuration")
    parser.add_argument("--data", default="data/lfw", help="dataset folder in the course layout")
    parser.add_argument("--out", default="runs/bench_quality", help="folder for the runs and results.json")
    parser.add_argument("--only", default="", help="comma-separated configuration names (default: all)")
    parser.add_argument("--batch-size", type=int, default=64, help="training batch size")
    parser.add_argument("--num-workers", type=int, default=1, help="DataLoader worker processes")
    parser.add_argument("--val-pairs", type=int, default=100, help="validation pairs scored after each epoch")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="change one key of the recipe configuration, the value read as YAML "
                             "(repeatable; e.g. --set augmentation=standard --set ema_decay=0.995)")
    args = parser.parse_args(argv)
    configs = configurations()
    if args.set:
        try: changes = parse_set_values(args.set)
        except ValueError as err: parser.error(str(err))
        unknown = sorted(set(changes) - set(CONFIG_FIELDS))
        if unknown: parser.error(f"--set: unknown config keys {unknown}; use TrainConfig keys")
        name = "+".join(["recipe", *args.set])
        configs = {**configs, name: {**configs["recipe"], **changes}}
        requested = args.only.split(",") if args.only else ["recipe"]
        args.only = ",".join(name if n == "recipe" else n for n in requested)
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    base = TrainConfig(data_dir=args.data, batch_size=args.batch_size, num_workers=args.num_workers, device="cpu",
                       progress=False, max_val_pairs=args.val_pairs, limit_eval_batches=1, eval_batch_size=128)
    chosen = [n for n in args.only.split(",") if n] or list(configs)
    unknown = [n for n in chosen if n not in configs]
    if unknown: parser.error(f"unknown configuration {unknown}; choose from {', '.join(configs)}")
    out_dir = Path(args.out)
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, torch {torch.__version__}, "
          f"budget {args.budget_minutes} min per configuration", flush=True)
    rows = [run_configuration(n, configs[n], base, args.budget_minutes * 60, out_dir) for n in chosen]
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "results.json").write_text(json.dumps(rows, indent=2))
    print(format_table(rows))
    baseline = next((r for r in rows if r["name"] == "baseline"), None)
    if baseline:
        best = min(rows, key=lambda r: r["EER"])
        print(f"best: {best['name']} EER {best['EER']:.4f}, baseline EER {baseline['EER']:.4f}, "
              f"ratio {best['EER'] / max(baseline['EER'], 1e-9):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
