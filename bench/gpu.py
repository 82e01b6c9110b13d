"""Training images/s and peak GPU memory of ResNet-18 and ResNet-34 at 112x112 on one CUDA device.

Each row trains with the kit's `LossStep` and SGD, as the trainer does: the backbone runs under autocast, the
head and the cross-entropy in float32. The batch of random images stays on the GPU, so the numbers measure
the model and the precision settings, not the data loading. Rows: float32, bf16 autocast, bf16 autocast with
channels-last, and with `--compile` the last one with its backbone compiled by `torch.compile` (as the
trainer does with `compile: true`). Every row runs `--warmup` untimed steps, then `--steps` timed steps;
peak memory is `torch.cuda.max_memory_allocated` of that row.
The whole default run takes a few minutes on one recent GPU (an estimate; it has not run on a GPU yet).

    python bench/gpu.py [--models resnet18,resnet34] [--batch-size 256] [--steps 30] [--compile]
"""
from __future__ import annotations

import argparse
import sys
import time

import torch

from hw2p2.losses import create_loss
from hw2p2.models import count_parameters, create_model
from hw2p2.build import LossStep

SETTINGS = {"fp32": (None, False), "bf16": (torch.bfloat16, False), "bf16+channels_last": (torch.bfloat16, True)}


def measure(model_name: str, setting: str, args, compile_model: bool = False) -> dict:
    "Train `args.steps` steps of one model and setting; return images/s and peak memory in GiB."
    amp_dtype, channels_last = SETTINGS[setting]
    device = torch.device(args.device)
    head = create_loss("softmax", args.embedding_dim, args.classes)
    model = create_model(model_name, embedding_dim=args.embedding_dim, num_classes=args.classes, head=head,
                         channels_last=channels_last).to(device)
    step_module = LossStep(model, amp_dtype)
    if compile_model: model.backbone.compile()  # what the trainer does with `compile: true`
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4)
    images = torch.randn(args.batch_size, 3, 112, 112, device=device)
    labels = torch.randint(0, args.classes, (args.batch_size,), device=device)
    torch.cuda.empty_cache()
    torch.cuda.reset_peak_memory_stats(device)

    def step():
        loss, _ = step_module(images, labels)
        optimizer.zero_grad(set_to_none=True)  # just before backward, where the trainer clears them
        loss.backward()
        optimizer.step()

    for _ in range(args.warmup): step()
    torch.cuda.synchronize(device)
    start = time.perf_counter()
    for _ in range(args.steps): step()
    torch.cuda.synchronize(device)
    seconds = time.perf_counter() - start
    return {"model": model_name, "setting": setting + ("+compile" if compile_model else ""),
            "params": count_parameters(model), "ips": args.batch_size * args.steps / seconds,
            "peak_gib": torch.cuda.max_memory_allocated(device) / 2**30}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Measure GPU training throughput and peak memory.")
    parser.add_argument("--models", default="resnet18,resnet34", help="comma-separated model names")
    parser.add_argument("--batch-size", type=int, default=256, help="images per step")
    parser.add_argument("--steps", type=int, default=30, help="timed steps per row")
    parser.add_argument("--warmup", type=int, default=5, help="untimed steps per row (more with --compile)")
    parser.add_argument("--classes", type=int, default=8631, help="classes of the head (8,631 in the course data)")
    parser.add_argument("--embedding-dim", type=int, default=512, help="embedding size")
    parser.add_argument("--device", default="cuda", help="CUDA device, e.g. cuda:0")
    parser.add_argument("--compile", action="store_true", help="add a bf16+channels_last row under torch.compile")
    args = parser.parse_args(argv)
    if not torch.cuda.is_available():
        print("bench/gpu.py needs a CUDA device, and torch.cuda.is_available() is False on this machine "
              f"(torch {torch.__version__}); run it on a GPU machine.", file=sys.stderr)
        return 2
    torch.backends.cudnn.benchmark = True
    print(f"{torch.cuda.get_device_name(args.device)}, torch {torch.__version__}, CUDA {torch.version.cuda}, "
          f"batch {args.batch_size}, {args.steps} timed steps", flush=True)
    print("| model | parameters | setting | images/s | peak memory (GiB) |")
    print("|---|---|---|---|---|")
    for name in args.models.split(","):
        rows = [(setting, False) for setting in SETTINGS] + ([("bf16+channels_last", True)] if args.compile else [])
        for setting, compiled in rows:
            r = measure(name, setting, args, compiled)
            print(f"| {r['model']} | {r['params']:,} | {r['setting']} | {r['ips']:.0f} | {r['peak_gib']:.2f} |",
                  flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
