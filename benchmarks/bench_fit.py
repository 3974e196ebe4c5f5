"""Time one epoch of nnlib's ``fit`` against Keras' ``fit`` (``make bench``; chapter 3).

The model of the Keras "seed article": 784 → 128 relu → 10 softmax, Adam, batch 128, float32,
sparse categorical cross-entropy, identical initial weights. Two data sets: 60000 × 784 synthetic
rows (MNIST's shape) and scikit-learn's digits (1797 × 64). In the same run the machine's float32
matrix-multiply peak is measured, which gives a floor for any implementation: one epoch needs about
``6 · params · rows`` floating-point operations (2 for the forward pass, 4 for the backward one).

An epoch is timed as the wall time of a warm ``fit(x, y, batch_size=128, epochs=E)`` call divided
by ``E`` (E = 2 on the large data set, 20 on digits): what a user waits for per epoch, including each
library's per-epoch overhead (Keras sets up a data iterator every epoch, which a callback timing
only ``on_epoch_begin`` … ``on_epoch_end`` would miss). One warm-up call each comes first (Keras
traces its graph there). nnlib and Keras calls alternate, with a pause between them so that the
other library's worker threads have stopped spinning, and a change in the machine's load hits both;
the best of the repeats is reported (noise only ever adds time) with the median beside it.

    python benchmarks/bench_fit.py [--repeats 5] [--rows 60000] [--json results.json]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

import nnlib  # noqa: E402
from nnlib import course, layers  # noqa: E402

course.quiet_tensorflow()  # before Keras is imported

TARGETS = {"mnist_ratio": 0.35, "digits_ratio": 0.05, "floor_multiple": 3.0}


def matmul_peak(n: int = 2048, repeats: int = 5) -> float:
    """Float32 GFLOP/s of an n×n matrix product with numpy's BLAS (all its threads), best of a few."""
    rng = np.random.default_rng(0)
    a = rng.normal(size=(n, n)).astype(np.float32)
    b = rng.normal(size=(n, n)).astype(np.float32)
    out = np.empty_like(a)
    np.matmul(a, b, out=out)
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        np.matmul(a, b, out=out)
        best = min(best, time.perf_counter() - start)
    return 2 * n**3 / best / 1e9


def make_models(keras, n_features: int):
    nnlib.utils.set_random_seed(0)
    ours = nnlib.Sequential([nnlib.Input((n_features,)), layers.Dense(128, activation="relu"),
                             layers.Dense(10, activation="softmax")])
    theirs = keras.Sequential([keras.Input((n_features,)), keras.layers.Dense(128, activation="relu"),
                               keras.layers.Dense(10, activation="softmax")])
    theirs.set_weights(ours.get_weights())
    ours.compile(nnlib.optimizers.Adam(), "sparse_categorical_crossentropy", metrics=["accuracy"])
    theirs.compile(keras.optimizers.Adam(), "sparse_categorical_crossentropy", metrics=["accuracy"])
    return ours, theirs


def time_epochs(keras, x: np.ndarray, y: np.ndarray, repeats: int, epochs: int) -> dict:
    ours, theirs = make_models(keras, x.shape[1])
    # warm-up: Keras traces its training function, nnlib packs its flat buffers
    ours.fit(x, y, batch_size=128, epochs=1, verbose=0, seed=0)
    theirs.fit(x, y, batch_size=128, epochs=1, verbose=0)
    t_ours, t_keras = [], []
    for _ in range(repeats):
        for model, times in ((ours, t_ours), (theirs, t_keras)):
            time.sleep(0.3)  # let the other library's worker threads stop spinning
            start = time.perf_counter()
            model.fit(x, y, batch_size=128, epochs=epochs, verbose=0)
            times.append((time.perf_counter() - start) / epochs)
    params = ours.count_params()
    return {"rows": len(x), "features": x.shape[1], "params": params,
            "nnlib_best": min(t_ours), "nnlib_median": statistics.median(t_ours),
            "keras_best": min(t_keras), "keras_median": statistics.median(t_keras),
            "flops": 6 * params * len(x)}


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} logical cores, {platform.system()} {platform.release()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed epochs per library and data set")
    parser.add_argument("--rows", type=int, default=60000, help="rows of the synthetic data set")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()

    import keras
    import tensorflow as tf
    from sklearn.datasets import load_digits

    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    synthetic = (rng.random((args.rows, 784), dtype=np.float32), rng.integers(0, 10, args.rows))
    digits = load_digits()
    digits_xy = ((digits.data / 16).astype(np.float32), digits.target)

    peak_before = matmul_peak()
    results = {"synthetic": time_epochs(keras, *synthetic, args.repeats, epochs=2),
               "digits": time_epochs(keras, *digits_xy, args.repeats, epochs=20)}
    peak = max(peak_before, matmul_peak())
    with nnlib.backend.BlasThreads():  # "auto" outside fit's epochs: one thread
        peak_single = matmul_peak()
    peak = max(peak, peak_single)  # the machine's best, whichever thread setting gave it

    print(f"nnlib {nnlib.__version__} · Keras {keras.__version__} (TensorFlow {tf.__version__}) · "
          f"numpy {np.__version__}")
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.2f}")
    print(f"float32 matmul peak: {peak:.1f} GFLOP/s with numpy's default threads "
          f"({peak_single:.1f} GFLOP/s on one thread); nnlib's BLAS threads: "
          f"{nnlib.backend.num_threads()}")
    print(f"seconds per epoch of fit, Adam, batch 128; best of {args.repeats} "
          "(median in brackets)\n")
    header = (f"{'data':<22}{'params':>8}{'nnlib s':>18}{'Keras s':>18}{'nnlib/Keras':>13}"
              f"{'floor s':>9}{'nnlib/floor':>13}")
    print(header)
    print("-" * len(header))
    ok = True
    for key, label, target in (("synthetic", f"{args.rows}×784 synthetic", TARGETS["mnist_ratio"]),
                               ("digits", "digits 1797×64", TARGETS["digits_ratio"])):
        r = results[key]
        r["floor"] = r["flops"] / (peak * 1e9)
        r["ratio"] = r["nnlib_best"] / r["keras_best"]
        r["floor_multiple"] = r["nnlib_best"] / r["floor"]
        print(f"{label:<22}{r['params']:>8,}"
              f"{r['nnlib_best']:>9.4f} ({r['nnlib_median']:.4f})"
              f"{r['keras_best']:>9.4f} ({r['keras_median']:.4f})"
              f"{r['ratio']:>13.3f}{r['floor']:>9.4f}{r['floor_multiple']:>13.2f}")
        ok &= r["ratio"] <= target
        if key == "synthetic":
            ok &= r["floor_multiple"] <= TARGETS["floor_multiple"]
    print(f"\ntargets: nnlib/Keras ≤ {TARGETS['mnist_ratio']} on {args.rows}×784 and ≤ "
          f"{TARGETS['digits_ratio']} on digits; nnlib ≤ {TARGETS['floor_multiple']}× the floor "
          f"6·params·rows/peak on {args.rows}×784 → {'met' if ok else 'NOT met'}")
    if args.json:
        Path(args.json).write_text(json.dumps(
            {"date": time.strftime("%Y-%m-%d"), "machine": machine(), "peak_gflops": peak,
             "peak_gflops_one_thread": peak_single, "results": results, "met": ok},
            indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
