#!/usr/bin/env python3
"""PyTorch CPU reference for Kaffee's benchmarks (Debian python3-torch, system python3).

Implements the same nets and the same timing as `kaffee time` / `kaffee train` so each
benchmark can report Kaffee/PyTorch measured in one run on one machine.

  python3 pytorch_reference.py time lenet|caffenet|googlenet [--iterations N] [--warmup W]
  python3 pytorch_reference.py train-lenet DATA_DIR [--max-iter N]
  python3 pytorch_reference.py classify IMAGE_DIR [--batch B]   (24-bit BMPs, as bench/classify.sh writes)
  python3 pytorch_reference.py first-step DATA_DIR   (start-up: prints once LeNet's first training step is done)
  python3 pytorch_reference.py train-step-caffenet [--iterations N]   (batch 32 forward + backward + SGD update)
  python3 pytorch_reference.py steps lenet|caffenet [--batch B] [--iterations N]   (LeNet forward + backward,
      CaffeNet forward, untimed: for oneDNN's verbose log, bench/conv_kernels.sh)
  python3 pytorch_reference.py best [--configs A,B] COMMAND ...   (PyTorch at its best, see below)

Prints one line `pytorch <what>: <milliseconds or seconds>` (and accuracy for training).

`best` runs COMMAND once in a fresh process per thread configuration (CONFIGS: torch's intra-op
threads, OpenBLAS's own thread pool, oneDNN (MKLDNN) on or off) and prints the fastest line with
the configuration that gave it and every configuration's figure. OpenBLAS reads its thread count
when it loads, hence a process each. By default OpenBLAS starts as many threads as cores beside
torch's OpenMP threads and they fight: on one machine LeNet took 28-42 ms so against 20-24 ms
with OPENBLAS_NUM_THREADS=1. `first-step` is timed from the process's start to its line.
"""
import argparse
import gzip
import os
import struct
import subprocess
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(int(os.environ.get("BENCH_TORCH_THREADS", os.environ.get("OMP_NUM_THREADS", "2"))))
torch.backends.mkldnn.enabled = os.environ.get("BENCH_TORCH_MKLDNN", "on") == "on"


class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 50, 5)
        self.ip1 = nn.Linear(800, 500)
        self.ip2 = nn.Linear(500, 10)

    def forward(self, x):
        x = F.max_pool2d(self.conv1(x), 2, 2, ceil_mode=True)
        x = F.max_pool2d(self.conv2(x), 2, 2, ceil_mode=True)
        x = F.relu(self.ip1(x.flatten(1)))
        return self.ip2(x)


def lrn(x):
    return F.local_response_norm(x, 5, alpha=1e-4, beta=0.75, k=1.0)


class CaffeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 96, 11, 4)
        self.c2 = nn.Conv2d(96, 256, 5, padding=2, groups=2)
        self.c3 = nn.Conv2d(256, 384, 3, padding=1)
        self.c4 = nn.Conv2d(384, 384, 3, padding=1, groups=2)
        self.c5 = nn.Conv2d(384, 256, 3, padding=1, groups=2)
        self.f6 = nn.Linear(9216, 4096)
        self.f7 = nn.Linear(4096, 4096)
        self.f8 = nn.Linear(4096, 1000)

    def logits(self, x):
        """fc8's output; the dropouts act in training mode only, as Caffe's in the TRAIN phase."""
        x = lrn(F.max_pool2d(F.relu(self.c1(x)), 3, 2, ceil_mode=True))
        x = lrn(F.max_pool2d(F.relu(self.c2(x)), 3, 2, ceil_mode=True))
        x = F.relu(self.c4(F.relu(self.c3(x))))
        x = F.max_pool2d(F.relu(self.c5(x)), 3, 2, ceil_mode=True)
        x = F.dropout(F.relu(self.f6(x.flatten(1))), 0.5, self.training)
        x = F.dropout(F.relu(self.f7(x)), 0.5, self.training)
        return self.f8(x)

    def forward(self, x):
        return F.softmax(self.logits(x), dim=1)


class Inception(nn.Module):
    def __init__(self, cin, c1, r3, c3, r5, c5, pp):
        super().__init__()
        self.b1 = nn.Conv2d(cin, c1, 1)
        self.r3, self.b3 = nn.Conv2d(cin, r3, 1), nn.Conv2d(r3, c3, 3, padding=1)
        self.r5, self.b5 = nn.Conv2d(cin, r5, 1), nn.Conv2d(r5, c5, 5, padding=2)
        self.pp = nn.Conv2d(cin, pp, 1)

    def forward(self, x):
        return torch.cat([F.relu(self.b1(x)), F.relu(self.b3(F.relu(self.r3(x)))),
                          F.relu(self.b5(F.relu(self.r5(x)))),
                          F.relu(self.pp(F.max_pool2d(x, 3, 1, 1, ceil_mode=True)))], 1)


class GoogLeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 64, 7, 2, 3)
        self.c2r = nn.Conv2d(64, 64, 1)
        self.c2 = nn.Conv2d(64, 192, 3, padding=1)
        cfg = [(192, 64, 96, 128, 16, 32, 32), (256, 128, 128, 192, 32, 96, 64),
               (480, 192, 96, 208, 16, 48, 64), (512, 160, 112, 224, 24, 64, 64),
               (512, 128, 128, 256, 24, 64, 64), (512, 112, 144, 288, 32, 64, 64),
               (528, 256, 160, 320, 32, 128, 128), (832, 256, 160, 320, 32, 128, 128),
               (832, 384, 192, 384, 48, 128, 128)]
        self.inc = nn.ModuleList([Inception(*c) for c in cfg])
        self.fc = nn.Linear(1024, 1000)

    def forward(self, x):
        x = lrn(F.max_pool2d(F.relu(self.c1(x)), 3, 2, ceil_mode=True))
        x = F.relu(self.c2(F.relu(self.c2r(x))))
        x = F.max_pool2d(lrn(x), 3, 2, ceil_mode=True)
        for i, block in enumerate(self.inc):
            x = block(x)
            if i in (1, 6):
                x = F.max_pool2d(x, 3, 2, ceil_mode=True)
        x = F.avg_pool2d(x, 7, 1)
        return F.softmax(self.fc(x.flatten(1)), dim=1)


def time_net(name, iterations, warmup):
    if name == "lenet":
        net, x, backward = LeNet(), torch.randn(64, 1, 28, 28), True
    elif name == "caffenet":
        net, x, backward = CaffeNet().eval(), torch.randn(10, 3, 227, 227), False
    else:
        net, x, backward = GoogLeNet().eval(), torch.randn(10, 3, 224, 224), False
    labels = torch.randint(0, 10, (x.shape[0],))
    for _ in range(warmup):  # untimed passes first: one, as `kaffee time` (and Caffe's) does, or as many as Kaffee's
        step(net, x, labels, backward)
    start = time.perf_counter()
    for _ in range(iterations):
        step(net, x, labels, backward)
    ms = (time.perf_counter() - start) * 1000 / iterations
    print(f"pytorch {name} {'forward-backward' if backward else 'forward'}: {ms:.2f} ms")


def train_step_caffenet(iterations):
    """CaffeNet batch 32, one SGD step each (forward, backward, momentum update), after one untimed step."""
    net = CaffeNet().train()
    opt = torch.optim.SGD(net.parameters(), lr=0.001, momentum=0.9, weight_decay=5e-4)
    x, labels = torch.randn(32, 3, 227, 227), torch.randint(0, 1000, (32,))
    for i in range(iterations + 1):
        if i == 1:
            start = time.perf_counter()
        opt.zero_grad()
        F.cross_entropy(net.logits(x), labels).backward()
        opt.step()
    ms = (time.perf_counter() - start) * 1000 / iterations
    print(f"pytorch caffenet train step: {ms:.2f} ms")


def step(net, x, labels, backward):
    if backward:
        net.zero_grad()
        F.cross_entropy(net(x), labels).backward()
    else:
        with torch.no_grad():
            net(x)


def steps(name, batch, iterations):
    if name == "lenet":
        net, x, backward = LeNet(), torch.randn(batch, 1, 28, 28), True
    else:
        net, x, backward = CaffeNet().eval(), torch.randn(batch, 3, 227, 227), False
    labels = torch.randint(0, 10, (batch,))
    for _ in range(iterations):
        step(net, x, labels, backward)
    print(f"pytorch {name} steps: {iterations} iterations")


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        magic = struct.unpack(">I", f.read(4))[0]
        dims = struct.unpack(">" + "I" * (magic & 0xFF), f.read(4 * (magic & 0xFF)))
        return torch.frombuffer(bytearray(f.read()), dtype=torch.uint8).reshape(dims)


def find(data_dir, stem):
    for name in (stem, stem + ".gz"):
        if os.path.exists(os.path.join(data_dir, name)):
            return os.path.join(data_dir, name)
    raise SystemExit(f"{stem}[.gz] not found in {data_dir}")


def train_lenet(data_dir, max_iter):
    """Caffe's LeNet recipe: SGD lr 0.01 momentum 0.9 wd 5e-4, inv policy, batch 64,
    test every 500 iterations on 100 batches of 100."""
    torch.manual_seed(1701)
    xs = read_idx(find(data_dir, "train-images-idx3-ubyte")).float().div(256).unsqueeze(1)
    ys = read_idx(find(data_dir, "train-labels-idx1-ubyte")).long()
    tx = read_idx(find(data_dir, "t10k-images-idx3-ubyte")).float().div(256).unsqueeze(1)
    ty = read_idx(find(data_dir, "t10k-labels-idx1-ubyte")).long()
    net = LeNet()
    for m in net.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            fan_in = m.weight[0].numel()
            bound = (3.0 / fan_in) ** 0.5
            nn.init.uniform_(m.weight, -bound, bound)
            nn.init.zeros_(m.bias)
    groups = [{"params": [m.weight for m in (net.conv1, net.conv2, net.ip1, net.ip2)], "lr_mult": 1},
              {"params": [m.bias for m in (net.conv1, net.conv2, net.ip1, net.ip2)], "lr_mult": 2}]
    opt = torch.optim.SGD(groups, lr=0.01, momentum=0.9, weight_decay=5e-4)
    start = time.perf_counter()
    accuracy = 0.0
    cursor = 0
    for it in range(max_iter + 1):
        if it % 500 == 0:
            accuracy = evaluate(net, tx, ty)
        if it == max_iter:
            break
        lr = 0.01 * (1 + 1e-4 * it) ** -0.75
        for g in opt.param_groups:
            g["lr"] = lr * g["lr_mult"]
        idx = torch.arange(cursor, cursor + 64) % xs.shape[0]
        cursor = (cursor + 64) % xs.shape[0]
        opt.zero_grad()
        F.cross_entropy(net(xs[idx]), ys[idx]).backward()
        opt.step()
    seconds = time.perf_counter() - start
    print(f"pytorch lenet train {max_iter} iterations: {seconds:.1f} s, test accuracy {accuracy:.4f}")


def first_step(data_dir):
    """What `kaffee train` does before its first iteration: read the data, build LeNet, one step.
    The caller times the process from its start to this line."""
    xs = read_idx(find(data_dir, "train-images-idx3-ubyte")).float().div(256).unsqueeze(1)
    ys = read_idx(find(data_dir, "train-labels-idx1-ubyte")).long()
    net = LeNet()
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
    opt.zero_grad()
    F.cross_entropy(net(xs[:64]), ys[:64]).backward()
    opt.step()
    print("pytorch lenet first step done")


def evaluate(net, tx, ty):
    correct = 0
    with torch.no_grad():
        for b in range(100):
            out = net(tx[b * 100:(b + 1) * 100])
            correct += (out.argmax(1) == ty[b * 100:(b + 1) * 100]).sum().item()
    return correct / 10000


def read_bmp(path):
    """A 24-bit bottom-up BMP as a 3xHxW float tensor in B, G, R order (the pixel layout BMP stores)."""
    import numpy as np
    with open(path, "rb") as f:
        data = f.read()
    offset, width, height = struct.unpack_from("<I", data, 10)[0], *struct.unpack_from("<ii", data, 18)
    stride = (width * 3 + 3) // 4 * 4
    rows = np.frombuffer(data, np.uint8, stride * height, offset).reshape(height, stride)[::-1, :width * 3]
    return torch.from_numpy(rows.reshape(height, width, 3).transpose(2, 0, 1).astype(np.float32))


def classify(image_dir, batch):
    """What `kaffee classify` does on CaffeNet: decode, resize to 227, subtract the mean, forward, top 5."""
    net = CaffeNet().eval()
    mean = torch.tensor([104.0, 117.0, 123.0]).view(1, 3, 1, 1)
    files = sorted(os.path.join(image_dir, f) for f in os.listdir(image_dir) if f.endswith(".bmp"))
    start = time.perf_counter()
    with torch.no_grad():
        for i in range(0, len(files), batch):
            images = torch.stack([read_bmp(f) for f in files[i:i + batch]])
            x = F.interpolate(images, size=(227, 227), mode="bilinear", align_corners=False) - mean
            net(x).topk(5, dim=1)
    seconds = time.perf_counter() - start
    print(f"pytorch classify caffenet batch {batch}: {len(files) / seconds:.2f} images/s")


def configs():
    """The candidate configurations: (name, environment changes) for every combination."""
    found = []
    mkldnn = ("on", "off") if torch.backends.mkldnn.is_available() else ("on",)
    for threads in ("2", "1"):
        for openblas in ("default", "1"):
            for dnn in mkldnn:
                env = {"BENCH_TORCH_THREADS": threads, "BENCH_TORCH_MKLDNN": dnn}
                if openblas != "default":
                    env["OPENBLAS_NUM_THREADS"] = openblas
                found.append((f"threads={threads} openblas={openblas} mkldnn={dnn}", env))
    return found


def figure(line):
    """The number of a `pytorch <what>: <number> <unit>` line, and whether larger is better."""
    value, unit = line.split(": ", 1)[1].split()[:2]
    return float(value), unit.startswith("images/s")


def best(command, wanted):
    results = []
    for name, env in configs():
        if wanted and name not in wanted:
            continue
        start = time.perf_counter()
        out = subprocess.run([sys.executable, os.path.abspath(__file__)] + command, env={**os.environ, **env},
                             check=True, capture_output=True, text=True).stdout
        seconds = time.perf_counter() - start
        line = [l for l in out.splitlines() if l.startswith("pytorch ")][-1]
        if command[0] == "first-step":
            line = f"pytorch start to first lenet step: {seconds:.2f} s"
        results.append((name, line) + figure(line))
    if not results:
        raise SystemExit(f"no configuration among {wanted}; known: {[n for n, _ in configs()]}")
    higher = results[0][3]
    name, line, _, _ = (max if higher else min)(results, key=lambda r: r[2])
    every = ", ".join(f"{n} {v:g}" for n, _, v, _ in results)
    print(f"{line} (best of {len(results)}: {name}; all: {every})")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "best":
        chosen = None
        rest = sys.argv[2:]
        if rest[:1] == ["--configs"]:
            chosen, rest = rest[1].split(","), rest[2:]
        best(rest, chosen)
        sys.exit(0)
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("time")
    t.add_argument("net", choices=["lenet", "caffenet", "googlenet"])
    t.add_argument("--iterations", type=int, default=50)
    t.add_argument("--warmup", type=int, default=1)
    tr = sub.add_parser("train-lenet")
    tr.add_argument("data_dir")
    tr.add_argument("--max-iter", type=int, default=10000)
    c = sub.add_parser("classify")
    c.add_argument("image_dir")
    c.add_argument("--batch", type=int, default=10)
    fs = sub.add_parser("first-step")
    fs.add_argument("data_dir")
    ts = sub.add_parser("train-step-caffenet")
    ts.add_argument("--iterations", type=int, default=5)
    ls = sub.add_parser("steps")
    ls.add_argument("net", choices=["lenet", "caffenet"])
    ls.add_argument("--batch", type=int, default=32)
    ls.add_argument("--iterations", type=int, default=100)
    args = parser.parse_args()
    if args.cmd == "time":
        time_net(args.net, args.iterations, args.warmup)
    elif args.cmd == "classify":
        classify(args.image_dir, args.batch)
    elif args.cmd == "first-step":
        first_step(args.data_dir)
    elif args.cmd == "train-step-caffenet":
        train_step_caffenet(args.iterations)
    elif args.cmd == "steps":
        steps(args.net, args.batch, args.iterations)
    else:
        train_lenet(args.data_dir, args.max_iter)
