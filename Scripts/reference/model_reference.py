#!/usr/bin/env python3
"""Reference logits, greedy continuations and perplexity for the model tests.

An independent float32 NumPy implementation of the Llama forward pass on the
GGUF file's dequantized weights (gguf-py) computes, for each prompt, the
last-position top-10 logits and a greedy continuation, plus the perplexity of
Tests/RetortModelsTests/Fixtures/perplexity.txt computed as llama.cpp's
perplexity tool does. Given llama.cpp binaries (already built; this script
never builds them) it also records llama.cpp's greedy continuations
(llama-simple) and perplexity (llama-perplexity) on the same file.

  pip install numpy gguf tokenizers
  python3 Scripts/reference/model_reference.py ~/.cache/retort/models/smollm2-135m-instruct.q4_1.gguf \
      [--llama-bin /tmp/llama.cpp/build/bin]
"""
import argparse, json, os, re, subprocess, sys

import numpy as np
import gguf
from gguf.quants import dequantize

sys.path.insert(0, os.path.dirname(__file__))
from tokenizer_ids import build as build_tokenizer  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "..", "Tests", "RetortModelsTests", "Fixtures")

PROMPTS = [
    "The capital of France is",
    "def fibonacci(n):\n",
    "<|im_start|>user\nWhat is 2+3?<|im_end|>\n<|im_start|>assistant\n",
    "Once upon a time, there was a little",
    "1, 2, 3, 4, 5,",
]
GEN = 24
PPL_CONTEXT = 128


class Model:
    def __init__(self, path):
        r = gguf.GGUFReader(path)
        f = r.fields

        def val(k):
            x = f[k]
            return x.parts[x.data[0]][0]

        self.dim = int(val("llama.embedding_length"))
        self.layers = int(val("llama.block_count"))
        self.heads = int(val("llama.attention.head_count"))
        self.kv_heads = int(val("llama.attention.head_count_kv"))
        self.base = float(val("llama.rope.freq_base"))
        self.eps = float(val("llama.attention.layer_norm_rms_epsilon"))
        self.hd = self.dim // self.heads
        self.w = {}
        for t in r.tensors:
            shape = tuple(int(d) for d in reversed(t.shape))  # (rows, cols)
            self.w[t.name] = dequantize(t.data, t.tensor_type).reshape(shape).astype(np.float32)
        self.out = self.w.get("output.weight", self.w["token_embd.weight"])

    def norm(self, x, w):
        return (x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + self.eps)) * w

    def rope(self, x, n_heads):
        n = x.shape[0]
        x = x.reshape(n, n_heads, self.hd // 2, 2)
        i = np.arange(self.hd // 2, dtype=np.float64)
        theta = np.arange(n, dtype=np.float64)[:, None] * self.base ** (-2 * i / self.hd)[None, :]
        c = np.cos(theta).astype(np.float32)[:, None, :]
        s = np.sin(theta).astype(np.float32)[:, None, :]
        a, b = x[..., 0], x[..., 1]
        return np.stack([a * c - b * s, a * s + b * c], axis=-1).reshape(n, n_heads * self.hd)

    def logits(self, ids):
        n = len(ids)
        x = self.w["token_embd.weight"][ids]
        mask = np.triu(np.full((n, n), -np.inf, dtype=np.float32), 1)
        g = self.heads // self.kv_heads
        for l in range(self.layers):
            p = f"blk.{l}."
            h = self.norm(x, self.w[p + "attn_norm.weight"])
            q = self.rope(h @ self.w[p + "attn_q.weight"].T, self.heads)
            k = self.rope(h @ self.w[p + "attn_k.weight"].T, self.kv_heads)
            v = h @ self.w[p + "attn_v.weight"].T
            att = np.empty((n, self.heads * self.hd), dtype=np.float32)
            for hh in range(self.heads):
                kv = hh // g
                qh = q[:, hh * self.hd:(hh + 1) * self.hd]
                kh = k[:, kv * self.hd:(kv + 1) * self.hd]
                vh = v[:, kv * self.hd:(kv + 1) * self.hd]
                s = qh @ kh.T / np.sqrt(self.hd) + mask
                s = np.exp(s - s.max(-1, keepdims=True))
                att[:, hh * self.hd:(hh + 1) * self.hd] = (s / s.sum(-1, keepdims=True)) @ vh
            x = x + att @ self.w[p + "attn_output.weight"].T
            h = self.norm(x, self.w[p + "ffn_norm.weight"])
            a = h @ self.w[p + "ffn_gate.weight"].T
            b = h @ self.w[p + "ffn_up.weight"].T
            x = x + ((a / (1 + np.exp(-a))) * b) @ self.w[p + "ffn_down.weight"].T
        return self.norm(x, self.w["output_norm.weight"]) @ self.out.T


def llama_simple(binary, model, prompt, n):
    out = subprocess.run([binary, "-m", model, "-n", str(n), prompt], capture_output=True, check=True).stdout
    return out.decode("utf-8", errors="replace")


def llama_perplexity(binary, model, path, ctx):
    res = subprocess.run([binary, "-m", model, "-f", path, "-c", str(ctx), "-b", str(ctx), "-t", "2"],
                         capture_output=True, text=True)
    m = re.search(r"Final estimate: PPL = ([0-9.]+)", res.stdout + res.stderr)
    return float(m.group(1)) if m else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--llama-bin", help="directory with llama-simple and llama-perplexity")
    a = ap.parse_args()
    tok = build_tokenizer(a.model)
    m = Model(a.model)
    cases = []
    for prompt in PROMPTS:
        ids = tok.encode(prompt, add_special_tokens=False).ids
        lg = m.logits(ids)[-1].astype(np.float64)
        top = np.argsort(-lg, kind="stable")[:10]
        seq = list(ids)
        gen, margins = [], []
        for _ in range(GEN):
            l = m.logits(seq)[-1]
            o = np.argsort(-l, kind="stable")
            gen.append(int(o[0]))
            margins.append(round(float(l[o[0]] - l[o[1]]), 4))
            seq.append(int(o[0]))
        case = {"prompt": prompt, "ids": ids, "top10": [int(t) for t in top],
                "top10_logits": [round(float(lg[t]), 4) for t in top],
                "greedy": gen, "greedy_margins": margins, "greedy_text": tok.decode(gen)}
        if a.llama_bin:
            case["llama_simple_text"] = llama_simple(os.path.join(a.llama_bin, "llama-simple"), a.model, prompt, GEN)
        cases.append(case)
        print(prompt.encode("unicode_escape").decode(), "->", case["greedy_text"].encode("unicode_escape").decode())

    text = open(os.path.join(FIXTURES, "perplexity.txt"), encoding="utf-8").read()
    ids = tok.encode(text, add_special_tokens=False).ids
    n_chunk = len(ids) // PPL_CONTEXT
    first = PPL_CONTEXT // 2
    nll, count = 0.0, 0
    for c in range(n_chunk):
        chunk = ids[c * PPL_CONTEXT:(c + 1) * PPL_CONTEXT]
        lg = m.logits(chunk).astype(np.float64)
        for j in range(first, PPL_CONTEXT - 1):
            row = lg[j]
            mx = row.max()
            lse = mx + np.log(np.exp(row - mx).sum())
            nll += lse - row[chunk[j + 1]]
            count += 1
    ppl = {"context": PPL_CONTEXT, "tokens": len(ids), "chunks": n_chunk, "numpy": float(np.exp(nll / count))}
    if a.llama_bin:
        ppl["llama_cpp"] = llama_perplexity(os.path.join(a.llama_bin, "llama-perplexity"), a.model,
                                            os.path.join(FIXTURES, "perplexity.txt"), PPL_CONTEXT)
    print("perplexity", ppl)
    out = os.path.join(FIXTURES, "model_reference.json")
    with open(out, "w", encoding="utf-8") as f:
        f.write('{"model": "smollm2-135m-instruct.q4_1.gguf",\n "perplexity": ' + json.dumps(ppl) + ',\n "cases": [\n')
        f.write(",\n".join("  " + json.dumps(c, ensure_ascii=False) for c in cases))
        f.write("\n]}\n")
    print("wrote", out)


if __name__ == "__main__":
    main()
