#!/usr/bin/env python3
"""PyTorch peer for `retort bench train`: the same Llama-style model (RMS norm,
adjacent-pair RoPE, GQA causal attention, SwiGLU, tied embeddings), AdamW with
gradient clipping, trained in eager mode on random byte tokens. Prints one JSON
line with tokens_per_s and the median step time.

usage: train_torch.py --config tiny|small [--threads 2] [--steps 10] [--warmup 2] [--attn both|sdpa|manual] [--serve]

With --serve it times one step per "step" line on stdin instead, so that
`retort bench train` can alternate its steps with these, step by step.

Attention runs as F.scaled_dot_product_attention or as explicit matmul/softmax;
`both` (default) times each and reports the faster, so the peer is at its best.
"""
import argparse, json, math, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

ATTN = "manual"

CONFIGS = {
    "tiny": dict(vocab=256, ctx=128, layers=4, heads=4, dim=128, hidden=344, batch=16),
    "small": dict(vocab=256, ctx=256, layers=6, heads=6, dim=384, hidden=1024, batch=16),
}


class RMSNorm(nn.Module):
    def __init__(self, d, eps=1e-5):
        super().__init__()
        self.w = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.w


def rope(x, cos, sin):  # x [B, H, T, hd], pairs (2i, 2i+1)
    a, b = x[..., 0::2], x[..., 1::2]
    return torch.stack((a * cos - b * sin, a * sin + b * cos), dim=-1).flatten(-2)


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        d, h = c["dim"], c["heads"]
        self.h, self.hd = h, d // h
        self.n1, self.n2 = RMSNorm(d), RMSNorm(d)
        self.q, self.k, self.v, self.o = (nn.Linear(d, d, bias=False) for _ in range(4))
        self.gate = nn.Linear(d, c["hidden"], bias=False)
        self.up = nn.Linear(d, c["hidden"], bias=False)
        self.down = nn.Linear(c["hidden"], d, bias=False)

    def forward(self, x, cos, sin):
        B, T, D = x.shape
        xn = self.n1(x)
        q = self.q(xn).view(B, T, self.h, self.hd).transpose(1, 2)
        k = self.k(xn).view(B, T, self.h, self.hd).transpose(1, 2)
        v = self.v(xn).view(B, T, self.h, self.hd).transpose(1, 2)
        q, k = rope(q, cos, sin), rope(k, cos, sin)
        if ATTN == "sdpa":
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            att = (q @ k.transpose(-1, -2)) * (1.0 / math.sqrt(self.hd))
            att = att.masked_fill(torch.ones(T, T, dtype=torch.bool).triu(1), float("-inf"))
            y = att.softmax(-1) @ v
        x = x + self.o(y.transpose(1, 2).reshape(B, T, D))
        xn = self.n2(x)
        return x + self.down(F.silu(self.gate(xn)) * self.up(xn))


class GPT(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.emb = nn.Embedding(c["vocab"], c["dim"])
        self.blocks = nn.ModuleList(Block(c) for _ in range(c["layers"]))
        self.norm = RMSNorm(c["dim"])
        hd = c["dim"] // c["heads"]
        inv = 10000.0 ** (-torch.arange(0, hd, 2).float() / hd)
        ang = torch.arange(c["ctx"]).float()[:, None] * inv[None, :]
        self.register_buffer("cos", ang.cos())
        self.register_buffer("sin", ang.sin())
        for p in self.parameters():
            if p.dim() == 2:
                nn.init.normal_(p, std=0.02)

    def forward(self, idx, targets):
        T = idx.shape[1]
        x = self.emb(idx)
        for b in self.blocks:
            x = b(x, self.cos[:T], self.sin[:T])
        logits = self.norm(x) @ self.emb.weight.T
        return F.cross_entropy(logits.view(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=-1)


class Trainer:
    """The model, its optimizer and one timed training step on fresh random tokens."""

    def __init__(self, c):
        torch.manual_seed(0)
        self.c = c
        self.model = GPT(c)
        self.opt = torch.optim.AdamW(self.model.parameters(), lr=3e-4, weight_decay=0.0)
        self.loss = float("nan")

    def step(self):
        c = self.c
        x = torch.randint(0, c["vocab"], (c["batch"], c["ctx"] + 1))
        t0 = time.perf_counter()
        loss = self.model(x[:, :-1], x[:, 1:])
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
        self.opt.step()
        t = time.perf_counter() - t0
        self.loss = loss.item()
        return t


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def measure(c, a):
    tr = Trainer(c)
    times = [tr.step() for _ in range(a.warmup + a.steps)][a.warmup:]
    med = median(times)
    return c["batch"] * c["ctx"] / med, med, tr.loss


def serve(c, a):
    """Step by step on request, so a caller can alternate its own steps with ours:
    prints a ready line (the faster attention after a short trial), then answers
    each "step" line on stdin with the seconds of one step; "quit" ends."""
    global ATTN
    best = None
    for attn in (["manual", "sdpa"] if a.attn == "both" else [a.attn]):
        ATTN = attn
        tr = Trainer(c)
        t = median([tr.step() for _ in range(a.warmup + 3)][a.warmup:])
        if best is None or t < best[1]:
            best = (attn, t)
    ATTN = best[0]
    tr = Trainer(c)
    for _ in range(a.warmup):
        tr.step()
    print(json.dumps({"ready": True, "attn": ATTN, "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
    for line in sys.stdin:
        if line.strip() != "step":
            break
        t = tr.step()
        # Answer only once the OpenMP workers, which spin for a while after each parallel
        # region, have gone to sleep: spinning would take cores from the caller's next step.
        time.sleep(a.settle)
        print(json.dumps({"step_s": t, "loss": tr.loss}), flush=True)


def main():
    global ATTN
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", default="tiny", choices=CONFIGS)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--attn", default="both", choices=["both", "sdpa", "manual"])
    ap.add_argument("--serve", action="store_true", help="time one step per 'step' line on stdin")
    ap.add_argument("--settle", type=float, default=0.1, help="seconds to idle after each served step")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    c = CONFIGS[a.config]
    if a.serve:
        serve(c, a)
        return
    best = None
    for attn in (["manual", "sdpa"] if a.attn == "both" else [a.attn]):
        ATTN = attn
        tps, med, loss = measure(c, a)
        if best is None or tps > best["tokens_per_s"]:
            best = {"config": a.config, "tokens_per_s": tps, "step_s": med, "loss": loss, "attn": attn}
    best.update(torch=torch.__version__, threads=torch.get_num_threads())
    print(json.dumps(best))


if __name__ == "__main__":
    main()
