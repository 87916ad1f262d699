"""PyTorch reference for `deno task bench`: the same LeNet, data and work per epoch.

Usage: python3 bench/lenet_torch.py DATA_DIR EPOCHS [THREADS]
Prints one JSON line per epoch: {"seconds": s, "train_loss": l, "test_acc": a}, then one
{"first_update": s, "peak_rss_mb": m}: seconds from the interpreter's start to the first update's
end, and the process's peak resident memory.
"""
import gzip
import json
import resource
import sys
import time

STARTED = time.perf_counter()

import numpy as np
import torch
from torch import nn


def read_idx(path, offset):
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


def load(data_dir):
    def images(name):
        return torch.from_numpy(read_idx(f"{data_dir}/{name}", 16).reshape(-1, 1, 28, 28).astype(np.float32) / 255.0)

    def labels(name):
        return torch.from_numpy(read_idx(f"{data_dir}/{name}", 8).astype(np.int64))

    return (images("train-images-idx3-ubyte.gz"), labels("train-labels-idx1-ubyte.gz"),
            images("t10k-images-idx3-ubyte.gz"), labels("t10k-labels-idx1-ubyte.gz"))


def lenet():
    net = nn.Sequential(
        nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.ReLU(), nn.MaxPool2d(2, 2),
        nn.Conv2d(6, 16, kernel_size=5), nn.ReLU(), nn.MaxPool2d(2, 2),
        nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120), nn.ReLU(),
        nn.Linear(120, 84), nn.ReLU(),
        nn.Linear(84, 10))
    for m in net:
        if isinstance(m, (nn.Linear, nn.Conv2d)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return net


def main():
    data_dir, epochs = sys.argv[1], int(sys.argv[2])
    torch.set_num_threads(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    torch.manual_seed(0)
    xtr, ytr, xte, yte = load(data_dir)
    net = lenet()
    opt = torch.optim.SGD(net.parameters(), lr=0.3)
    loss_fn = nn.CrossEntropyLoss()
    first_update = None
    for _ in range(epochs):
        start = time.perf_counter()
        net.train()
        perm = torch.randperm(len(xtr))
        total = 0.0
        for i in range(0, len(xtr), 256):
            idx = perm[i:i + 256]
            opt.zero_grad()
            loss = loss_fn(net(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
            if first_update is None:
                first_update = time.perf_counter() - STARTED
        net.eval()
        with torch.no_grad():
            correct = sum((net(xte[i:i + 1000]).argmax(1) == yte[i:i + 1000]).sum().item()
                          for i in range(0, len(xte), 1000))
        print(json.dumps({"seconds": time.perf_counter() - start, "train_loss": total / len(xtr),
                          "test_acc": correct / len(xte)}), flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"first_update": first_update, "peak_rss_mb": peak}), flush=True)


if __name__ == "__main__":
    main()
