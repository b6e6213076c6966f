#!/usr/bin/env python3
"""Loads a Retort LoRA adapter (PEFT layout) with `peft` onto the matching
`transformers` model and compares last-position logits with Retort's.

Produce the inputs with
  retort bench lora --model smollm2 --seq 256 --save-adapter DIR
which trains a LoRA adapter on the frozen Q4_1 model, writes DIR/adapter_config.json,
DIR/adapter_model.safetensors and DIR/retort_logits.json (the prompt's token ids and
Retort's last-position logits with and without the adapter). Then
  peft_compare.py --gguf ~/.cache/retort/models/smollm2-135m-instruct.q4_1.gguf --adapter DIR
(add --train-embeddings true to the bench for an adapter that also trains the
embeddings: PEFT's modules_to_save embed_tokens and lm_head).

transformers dequantizes the GGUF to float32 (Retort runs the base on Q4_1 with
8-bit activations), so full logits differ by that quantization noise; the adapter's
effect (adapted minus base logits) is compared as well, where that noise cancels.
Needs: torch, transformers, peft, gguf.
"""
import argparse, json, os
import torch
from transformers import AutoModelForCausalLM
from peft import PeftModel


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gguf", required=True)
    ap.add_argument("--adapter", required=True)
    ap.add_argument("--scale", type=float, default=1.0, help="unused; kept for symmetry with Retort's alpha/r")
    a = ap.parse_args()
    ref = json.load(open(os.path.join(a.adapter, "retort_logits.json")))
    d, f = os.path.split(os.path.abspath(a.gguf))
    base = AutoModelForCausalLM.from_pretrained(d, gguf_file=f, torch_dtype=torch.float32)
    ids = torch.tensor([ref["tokens"]])
    with torch.no_grad():
        base_logits = base(input_ids=ids).logits[0, -1]
    model = PeftModel.from_pretrained(base, a.adapter)
    model.eval()
    with torch.no_grad():
        peft_logits = model(input_ids=ids).logits[0, -1]
    r_ad, r_base = torch.tensor(ref["adapted_last"]), torch.tensor(ref["base_last"])
    d_peft, d_retort = peft_logits - base_logits, r_ad - r_base
    top = lambda t: t.topk(10).indices.tolist()
    out = {
        "logits_max_abs_diff": float((peft_logits - r_ad).abs().max()),
        "logits_scale": float(peft_logits.abs().max()),
        "top10_equal": top(peft_logits) == top(r_ad),
        "top1_equal": top(peft_logits)[0] == top(r_ad)[0],
        "delta_max_abs": float(d_peft.abs().max()),
        "delta_max_abs_diff": float((d_peft - d_retort).abs().max()),
        "delta_cosine": float(torch.nn.functional.cosine_similarity(d_peft, d_retort, dim=0)),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
