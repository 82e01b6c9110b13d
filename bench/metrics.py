"""Time the verification metrics of `hw2p2.verify` against the starter notebook's recipe on synthetic scores.

The starter recipe: scikit-learn's `roc_curve`, then the EER as the root of `1 - x - interp1d(fpr, tpr)(x)`
found by `scipy.optimize.brentq`, AUC by `sklearn.metrics.auc`, accuracy at the best threshold and the TPR at
the course's FPR list read from the same interpolator. Both sides get the same float64 scores; each timing is
the best of `--repeats` runs. Usage:

    python bench/metrics.py [--pairs 1000000] [--repeats 3] [--decimals 4]
"""
from __future__ import annotations

import argparse
import platform
import time

import numpy as np
from scipy.interpolate import interp1d
from scipy.optimize import brentq
from sklearn import metrics as skm

from hw2p2.verify import COURSE_FPRS, compute_eer, fpr_key, verification_metrics


def starter_recipe(scores: np.ndarray, labels: np.ndarray) -> dict:
    "Compute EER, AUC, ACC and TPR@FPR the way the course's starter notebook does (fractions here)."
    fpr, tpr, _ = skm.roc_curve(labels, scores, pos_label=1)
    roc = interp1d(fpr, tpr)
    eer = brentq(lambda x: 1.0 - x - roc(x), 0.0, 1.0)
    n_pos = int(labels.sum())
    n_neg = len(labels) - n_pos
    acc = np.max(tpr * n_pos + (1.0 - fpr) * n_neg) / len(labels)
    result = {"EER": eer, "AUC": skm.auc(fpr, tpr), "ACC": acc}
    result.update({fpr_key(f): float(roc(f)) for f in COURSE_FPRS})
    return result


def best_time(fn, repeats: int) -> tuple[float, object]:
    "Return the shortest wall time over `repeats` calls and the last result."
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def synthetic_scores(pairs: int, decimals: int | None, seed: int) -> tuple[np.ndarray, np.ndarray]:
    "Cosine-like scores: genuine pairs centred at 0.5, impostors at 0.1, optionally rounded to create ties."
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, pairs)
    scores = np.clip(np.where(labels == 1, 0.5, 0.1) + rng.normal(0.0, 0.15, pairs), -1.0, 1.0)
    if decimals is not None:
        scores = np.round(scores, decimals)
    return scores, labels


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=1_000_000, help="number of scored pairs")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per method; the best is reported")
    parser.add_argument("--decimals", type=int, default=None, help="round scores to this many decimals (ties)")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the synthetic scores")
    args = parser.parse_args(argv)

    scores, labels = synthetic_scores(args.pairs, args.decimals, args.seed)
    rows = [
        ("hw2p2 verification_metrics (all, incl. 10-fold)", lambda: verification_metrics(scores, labels)),
        ("hw2p2 verification_metrics (no k-fold)", lambda: verification_metrics(scores, labels, n_folds=0)),
        ("hw2p2 compute_eer", lambda: {"EER": compute_eer(scores, labels)[0]}),
        ("starter roc_curve+interp1d+brentq (EER only)", lambda: {"EER": brentq_eer(scores, labels)}),
        ("starter recipe (EER, AUC, ACC, TPR@FPR)", lambda: starter_recipe(scores, labels)),
    ]
    results = {}
    print(f"{args.pairs:,} pairs, ties: {'rounded to %d decimals' % args.decimals if args.decimals is not None else 'none'}, "
          f"best of {args.repeats}, {platform.processor() or platform.machine()}, numpy {np.__version__}")
    print(f"{'method':<50} {'seconds':>9} {'EER':>10}")
    for name, fn in rows:
        seconds, result = best_time(fn, args.repeats)
        results[name] = (seconds, result)
        print(f"{name:<50} {seconds:>9.3f} {result['EER']:>10.6f}")

    all_seconds, ours = results[rows[0][0]]
    same_seconds = results[rows[1][0]][0]
    starter_seconds, starter = results[rows[4][0]]
    eer_gap = abs(ours["EER"] - starter["EER"])
    auc_gap = abs(ours["AUC"] - starter["AUC"])
    acc_gap = abs(ours["ACC"] - starter["ACC"])
    tpr_gap = max(abs(ours[fpr_key(f)] - starter[fpr_key(f)]) for f in COURSE_FPRS)
    print(f"max difference to the starter: EER {eer_gap:.1e}, AUC {auc_gap:.1e}, ACC {acc_gap:.1e}, TPR@FPR {tpr_gap:.1e}")
    verdict = "under" if all_seconds < 1.0 else "OVER"
    print(f"SUMMARY: all metrics with 10-fold accuracy for {args.pairs:,} scores in {all_seconds:.3f} s ({verdict} 1 s); "
          f"the starter's metrics: {same_seconds:.3f} s here vs {starter_seconds:.3f} s by the starter recipe, "
          f"ratio starter/hw2p2 = {starter_seconds / same_seconds:.2f}")
    return 0 if all_seconds < 1.0 else 1


def brentq_eer(scores: np.ndarray, labels: np.ndarray) -> float:
    "EER alone by the starter's root-finding recipe."
    fpr, tpr, _ = skm.roc_curve(labels, scores, pos_label=1)
    roc = interp1d(fpr, tpr)
    return brentq(lambda x: 1.0 - x - roc(x), 0.0, 1.0)


if __name__ == "__main__":
    raise SystemExit(main())
