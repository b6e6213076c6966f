#!/usr/bin/env python3
"""torch + peft peer for `retort bench lora`: loads the GGUF model with
transformers (dequantized to float32), attaches LoRA (r=8, alpha=16, q/k/v/o/
gate/up/down), and times AdamW training steps on batch 1 of random tokens in
eager mode. Prints one JSON line with the median step time.

usage: lora_torch.py --gguf PATH [--seq 256] [--threads 2] [--steps 5] [--warmup 1]
"""
import argparse, json, os, time
import torch
from transformers import AutoModelForCausalLM
from peft import LoraConfig, get_peft_model


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gguf", required=True)
    ap.add_argument("--seq", type=int, default=256)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    d, f = os.path.split(os.path.abspath(a.gguf))
    model = AutoModelForCausalLM.from_pretrained(d, gguf_file=f, torch_dtype=torch.float32)
    cfg = LoraConfig(r=8, lora_alpha=16, lora_dropout=0.0, task_type="CAUSAL_LM",
                     target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"])
    model = get_peft_model(model, cfg)
    model.train()
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4)
    vocab = model.config.vocab_size
    times = []
    for step in range(a.warmup + a.steps):
        x = torch.randint(0, vocab, (1, a.seq))
        t0 = time.perf_counter()
        out = model(input_ids=x, labels=x)
        opt.zero_grad(set_to_none=True)
        out.loss.backward()
        torch.nn.utils.clip_grad_norm_([p for p in model.parameters() if p.requires_grad], 1.0)
        opt.step()
        if step >= a.warmup:
            times.append(time.perf_counter() - t0)
    times.sort()
    med = times[len(times) // 2] if len(times) % 2 else (times[len(times) // 2 - 1] + times[len(times) // 2]) / 2
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    print(json.dumps({"step_s": med, "trainable_params": trainable, "seq": a.seq, "threads": torch.get_num_threads(),
                      "torch": torch.__version__}))


if __name__ == "__main__":
    main()
