"""PyTorch (CPU) training throughput for the two reference networks of bench/training.ts.

Same networks, batch 64 and Adam as the TF.js measurement; random MNIST-shaped data (the
speed of a step does not depend on the pixel values). Prints one JSON line:
{"mlp": samples_per_sec, "cnn": samples_per_sec, "threads": n, "torch": version}.
bench/training.ts runs it when python3 can import torch and prints the figures beside the
recorded reference. Torch's own thread defaults are kept, as in the reference measurement.
"""
import json
import time

import torch
from torch import nn

BATCH = 64
SECONDS = 3.0


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))


def cnn():
    return nn.Sequential(
        nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(16 * 5 * 5, 10),
    )


def samples_per_sec(model):
    torch.manual_seed(0)
    x = torch.rand(BATCH, 1, 28, 28)
    y = torch.randint(0, 10, (BATCH,))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        return loss.item()

    for _ in range(20):
        step()
    steps = 0
    start = time.perf_counter()
    while time.perf_counter() - start < SECONDS:
        step()
        steps += 1
    return steps * BATCH / (time.perf_counter() - start)


if __name__ == "__main__":
    print(json.dumps({
        "mlp": samples_per_sec(mlp()),
        "cnn": samples_per_sec(cnn()),
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
    }))
