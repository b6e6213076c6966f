#!/usr/bin/env python3
"""Completion log-likelihoods from the independent NumPy Llama (model_reference.py),
to compare with Retort's `m.logprob(prompt, completion)` on the same GGUF file.

  python3 Scripts/reference/logprob_reference.py ~/.cache/retort/models/smollm2-135m-instruct.q4_1.gguf
prints one JSON line per case: prompt, completion, per-token log-probabilities and their sum.
"""
import json, os, sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from model_reference import Model  # noqa: E402
from tokenizer_ids import build as build_tokenizer  # noqa: E402

CASES = [
    ("The capital of France is", " Paris."),
    ("The capital of France is", " Berlin."),
    ("1, 2, 3, 4, 5,", " 6, 7"),
    ("<|im_start|>user\nWhat is 2+3?<|im_end|>\n<|im_start|>assistant\n", "2 + 3 = 5"),
]


def main():
    path = sys.argv[1]
    tok = build_tokenizer(path)
    m = Model(path)
    for prompt, completion in CASES:
        p = tok.encode(prompt, add_special_tokens=False).ids
        c = tok.encode(completion, add_special_tokens=False).ids
        logits = m.logits(p + c).astype(np.float64)
        out = []
        for j, t in enumerate(c):
            row = logits[len(p) - 1 + j]
            mx = row.max()
            out.append(float(row[t] - mx - np.log(np.exp(row - mx).sum())))
        print(json.dumps({"prompt": prompt, "completion": completion, "logprobs": out, "total": sum(out)}, ensure_ascii=False))


if __name__ == "__main__":
    main()
