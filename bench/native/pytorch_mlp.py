#!/usr/bin/env python3
"""Native reference point for simdnet's training benchmark: the reference MLP trained by PyTorch on the CPU.

Flatten 784 -> Linear 300 relu -> Linear 100 relu -> Linear 10, CrossEntropyLoss (softmax + sparse
cross-entropy on integer labels), SGD lr 0.01, shuffled mini-batches over every sample (the last batch
may be short, as in Keras' fit). Prints one JSON line:

    {"threads", "batch", "samples", "samplesPerSecond", "epochSeconds": [...], "torch", "blas", "loss"}

samplesPerSecond is samples / median(epochSeconds), timed after one untimed warm-up epoch.

Data: --data PATH reads the file bench/native/pytorch.ts writes (little-endian: int32 N, int32 784,
N*784 float32 images in [0, 1], N int32 labels). Without --data the script trains on random data of the
same shape: the speed of dense layers does not depend on the values, so the benchmark needs no dataset.

Run alone (Debian's interpreter: a pyenv python3 on PATH has no torch):
    /usr/bin/python3 bench/native/pytorch_mlp.py --threads 1 --batch 128 --epochs 3
"""

import argparse
import json
import statistics
import struct
import sys
import time

import numpy as np
import torch
from torch import nn

FEATURES = 28 * 28
CLASSES = 10


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (intra-op threads)")
    parser.add_argument("--batch", type=int, default=32, help="mini-batch size")
    parser.add_argument("--epochs", type=int, default=3, help="timed epochs (median reported), after one warm-up epoch")
    parser.add_argument("--samples", type=int, default=10_000, help="samples per epoch when no --data is given")
    parser.add_argument("--data", help="binary file of images and labels (format in the module docstring)")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    for name in ("threads", "batch", "epochs", "samples"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    return args


def load_data(path: str) -> tuple[torch.Tensor, torch.Tensor]:
    with open(path, "rb") as f:
        n, features = struct.unpack("<ii", f.read(8))
        if features != FEATURES or n < 1:
            raise ValueError(f"{path}: header says {n} samples of {features} features; expected N >= 1 and {FEATURES}")
        x = np.fromfile(f, dtype="<f4", count=n * features)
        y = np.fromfile(f, dtype="<i4", count=n)
    if x.size != n * features or y.size != n:
        raise ValueError(f"{path}: truncated (expected {n} images and {n} labels)")
    # CrossEntropyLoss wants int64 class indices; converting once here keeps the cast out of the timed loop.
    return torch.from_numpy(x.reshape(n, features).copy()), torch.from_numpy(y.astype(np.int64))


def random_data(n: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    return torch.rand(n, FEATURES, generator=generator), torch.randint(0, CLASSES, (n,), generator=generator)


def loaded_blas() -> str:
    """The BLAS shared object actually mapped into this process (Linux), to tell OpenBLAS from Debian's
    reference BLAS, which is ~20x slower: the alternatives system decides which one libblas.so.3 is."""
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "/" in line}
    except OSError:
        return "unknown"
    # libblas.so.3 resolved through its alternatives link, plus the OpenBLAS core it pulls in, if any.
    found = sorted(p for p in paths if p.rsplit("/", 1)[-1].startswith(("libblas", "libopenblas")))
    return ", ".join(found) or "none mapped"


def main() -> None:
    args = parse_args()
    # Both knobs: ATen's intra-op pool and the OpenMP pool OpenBLAS (openmp flavour) reads; the caller
    # should also set OMP_NUM_THREADS so that the pool is sized right from its first use.
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    generator = torch.Generator().manual_seed(args.seed)

    x, y = load_data(args.data) if args.data else random_data(args.samples, generator)
    n = x.shape[0]

    model = nn.Sequential(
        nn.Flatten(),
        nn.Linear(FEATURES, 300), nn.ReLU(),
        nn.Linear(300, 100), nn.ReLU(),
        nn.Linear(100, CLASSES),  # logits: CrossEntropyLoss applies log-softmax itself
    )
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    model.train()

    def epoch() -> tuple[float, float]:
        """Seconds of one shuffled epoch (shuffle and batch gathering included, like fit) and its mean loss."""
        start = time.perf_counter()
        order = torch.randperm(n, generator=generator)
        total = torch.zeros(())
        for begin in range(0, n, args.batch):
            idx = order[begin:begin + args.batch]
            xb, yb = x[idx], y[idx]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            # Accumulated as a tensor: reading the loss every step, as fit does, costs next to nothing on CPU.
            total += loss.detach() * len(idx)
        seconds = time.perf_counter() - start
        return seconds, total.item() / n

    epoch()  # warm-up: allocator, OpenMP thread pool, first-call dispatch
    runs = [epoch() for _ in range(args.epochs)]
    seconds = [s for s, _ in runs]
    print(json.dumps({
        "threads": args.threads,
        "batch": args.batch,
        "samples": n,
        "samplesPerSecond": n / statistics.median(seconds),
        "epochSeconds": seconds,
        "torch": torch.__version__,
        "blas": loaded_blas(),
        "loss": runs[-1][1],
    }))


if __name__ == "__main__":
    try:
        main()
    except (OSError, ValueError) as error:
        print(f"pytorch_mlp.py: {error}", file=sys.stderr)
        sys.exit(1)
