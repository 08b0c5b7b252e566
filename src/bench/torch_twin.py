"""PyTorch twin of a ferc spec, for `npm run bench:train`'s side-by-side ratios.

Reads ferc's checked IR (`ferc compile --emit ir`) from the file given as argv[1], builds the same
layer stack in PyTorch (Keras batch-norm settings: eps 1e-3, momentum 0.01), and times a training
step (Adam, categorical cross-entropy on softmax outputs) and inference at the given batch size on
`threads` threads, or on a CUDA GPU (DEVICE cuda: fp32 weights and data, PyTorch's defaults, which
let cuDNN use TF32 in convolutions; cudnn.benchmark on; timings after torch.cuda.synchronize()).
Prints one JSON line: {"train": img/s, "infer": img/s, "params": n, "device": name}.

usage: python3 torch_twin.py IR.json BATCH THREADS STEPS [DEVICE]
"""
import json
import statistics
import sys
import time

import torch
import torch.nn as nn


def act(name):
    return {"relu": nn.ReLU(), "linear": nn.Identity(), "softmax": nn.Identity(), "elu": nn.ELU(),
            "tanh": nn.Tanh(), "sigmoid": nn.Sigmoid(), "leaky-relu": nn.LeakyReLU(0.3), "selu": nn.SELU(),
            "gelu": nn.GELU(), "swish": nn.SiLU()}.get(name, nn.ReLU())


def pad_for(kernel, padding):
    return (kernel[0] // 2, kernel[1] // 2) if padding == "same" else (0, 0)


class Residual(nn.Module):
    def __init__(self, branch, shortcut, post):
        super().__init__()
        self.branch, self.shortcut, self.post = branch, shortcut, post

    def forward(self, x):
        return self.post(self.branch(x) + self.shortcut(x))


def build(layers):
    mods = []
    for l in layers:
        o, k = l["options"], l["kind"]
        cin = l["inputShape"][-1] if len(l["inputShape"]) == 3 else l["inputShape"][0]
        if k in ("conv", "separable", "depthwise"):
            kern, stride = o["kernel"], o.get("stride", [1, 1])
            pad = pad_for(kern, o.get("padding", "valid"))
            bias = bool(o.get("bias", True))
            if k == "conv":
                mods.append(nn.Conv2d(cin, o["filters"], kern, stride, pad, bias=bias))
            elif k == "depthwise":
                mods.append(nn.Conv2d(cin, cin * o.get("multiplier", 1), kern, stride, pad, groups=cin, bias=bias))
            else:
                mods.append(nn.Conv2d(cin, cin, kern, stride, pad, groups=cin, bias=False))
                mods.append(nn.Conv2d(cin, o["filters"], 1, bias=bias))
            mods.append(act(o.get("activation", "linear")))
        elif k == "batchnorm":
            mods.append((nn.BatchNorm2d if len(l["inputShape"]) == 3 else nn.BatchNorm1d)(cin, eps=1e-3, momentum=0.01))
        elif k == "activation":
            mods.append(act(o["function"]))
        elif k in ("maxpool", "avgpool"):
            size = o["size"]
            stride = o.get("stride", size)
            pool = nn.MaxPool2d if k == "maxpool" else nn.AvgPool2d
            mods.append(pool(size, stride, pad_for(size, o.get("padding", "valid"))))
        elif k == "globalavgpool":
            mods.append(nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten()))
        elif k in ("dropout", "spatialdropout"):
            mods.append(nn.Dropout(o["rate"]) if k == "dropout" else nn.Dropout2d(o["rate"]))
        elif k == "flatten":
            mods.append(nn.Flatten())
        elif k == "dense":
            mods.append(nn.Linear(cin, o["units"], bias=bool(o.get("bias", True))))
            mods.append(act(o.get("activation", "linear")))
        elif k == "residual":
            post = act(o["activation"]) if o.get("activation", "linear") != "linear" else nn.Identity()
            mods.append(Residual(build(l.get("children", [])), build(l.get("shortcut", [])), post))
        else:
            raise SystemExit(f"torch twin: no PyTorch twin for layer kind {k}")
    return nn.Sequential(*mods)


def main():
    ir_file, batch, threads, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    device = torch.device(sys.argv[5] if len(sys.argv) > 5 else "cpu")
    cuda = device.type == "cuda"
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    if cuda:
        torch.backends.cudnn.benchmark = True

    def sync():
        if cuda:
            torch.cuda.synchronize()
    ir = json.load(open(ir_file))
    h, w, c = ir["dataset"]["input"]
    k = len(ir["dataset"]["classes"])
    model = build(ir["model"]["layers"]).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.randn(batch, c, h, w, device=device)
    y = torch.randint(0, k, (batch,), device=device)
    loss_fn = nn.CrossEntropyLoss()  # on logits: softmax + categorical cross-entropy in one op

    def train_step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    model.train()
    for _ in range(3 if cuda else 2):
        train_step()
    sync()
    tt = []
    for _ in range(steps):
        t0 = time.perf_counter()
        train_step()  # loss.item() waits for the step, as ferc reads its loss
        tt.append(time.perf_counter() - t0)
    model.eval()
    ti = []
    with torch.no_grad():
        model(x)
        sync()
        for _ in range(steps):
            t0 = time.perf_counter()
            model(x)
            sync()
            ti.append(time.perf_counter() - t0)
    params = sum(p.numel() for p in model.parameters())
    name = torch.cuda.get_device_name(device) if cuda else "cpu"
    print(json.dumps({"train": batch / statistics.median(tt), "infer": batch / statistics.median(ti), "params": params, "device": name}))


main()
