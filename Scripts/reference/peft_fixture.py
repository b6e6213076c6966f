#!/usr/bin/env python3
"""Writes the PEFT interoperability fixture for RetortModelsTests
(Tests/RetortModelsTests/Fixtures/peft_micro/): a micro Hugging Face Llama
(byte vocabulary of 259, width 16, 2 heads, 1 KV head, 2 layers, tied
embeddings) saved as model.safetensors with Retort's config/tokenizer metadata,
a LoRA adapter made and saved by `peft` (random A and B, all seven projections),
and transformers' logits with the adapter applied, for the test to compare with;
then a second adapter (adapter_embeddings/, logits_embeddings.json) that also
saves embed_tokens and lm_head (modules_to_save), each moved apart from the
tied base in its own way, as training them with peft does.

usage: peft_fixture.py [OUTDIR]   (needs torch, transformers, peft, safetensors)
"""
import json, os, sys
import torch
from safetensors.torch import save_file
from transformers import LlamaConfig, LlamaForCausalLM
from peft import LoraConfig, get_peft_model


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "../../Tests/RetortModelsTests/Fixtures/peft_micro")
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    cfg = LlamaConfig(vocab_size=259, hidden_size=16, intermediate_size=24, num_hidden_layers=2, num_attention_heads=2,
                      num_key_value_heads=1, max_position_embeddings=32, rms_norm_eps=1e-5, rope_theta=10000.0,
                      tie_word_embeddings=True, attention_bias=False, mlp_bias=False)
    model = LlamaForCausalLM(cfg).eval()
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn_like(p) * 0.3 + (1.0 if p.dim() == 1 else 0.0))
    enc = bytes_to_unicode()
    tok = {"tokens": [enc[b] for b in range(256)] + ["<|endoftext|>", "<|im_start|>", "<|im_end|>"],
           "types": [1] * 256 + [3, 3, 3], "merges": [], "pre": "gpt2", "bos": None, "eos": 256, "add_bos": False}
    rc = {"vocab": 259, "dim": 16, "layers": 2, "heads": 2, "kv_heads": 1, "ffn": 24, "context": 32, "rope_dim": 8,
          "rope_base": 10000.0, "norm_eps": 1e-5, "tied": True}
    sd = {k: v.contiguous() for k, v in model.state_dict().items() if k != "lm_head.weight"}
    save_file(sd, os.path.join(out, "model.safetensors"),
              metadata={"format": "pt", "retort.config": json.dumps(rc), "retort.tokenizer": json.dumps(tok)})
    lcfg = LoraConfig(r=2, lora_alpha=6, lora_dropout=0.0, init_lora_weights=False,
                      target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"])
    peft_model = get_peft_model(model, lcfg).eval()
    peft_model.save_pretrained(os.path.join(out, "adapter"))
    tokens = [72, 105, 33, 256, 10, 65, 66, 258]
    with torch.no_grad():
        logits = peft_model(input_ids=torch.tensor([tokens])).logits[0]
        with peft_model.disable_adapter():
            base = peft_model(input_ids=torch.tensor([tokens])).logits[0]
    json.dump({"tokens": tokens, "logits": logits.flatten().tolist(), "base_logits": base.flatten().tolist()},
              open(os.path.join(out, "logits.json"), "w"))

    fresh = LlamaForCausalLM(cfg).eval()
    fresh.load_state_dict(sd, strict=False)
    fresh.tie_weights()
    ecfg = LoraConfig(r=2, lora_alpha=4, lora_dropout=0.0, init_lora_weights=False, target_modules=["q_proj", "v_proj"],
                      modules_to_save=["embed_tokens", "lm_head"])
    emb_model = get_peft_model(fresh, ecfg).eval()
    with torch.no_grad():
        for name, module in emb_model.named_modules():
            if hasattr(module, "modules_to_save") and "default" in getattr(module, "modules_to_save", {}):
                w = module.modules_to_save["default"].weight
                w.add_(torch.randn_like(w) * (0.2 if name.endswith("embed_tokens") else 0.4))
    emb_model.save_pretrained(os.path.join(out, "adapter_embeddings"))
    with torch.no_grad():
        logits = emb_model(input_ids=torch.tensor([tokens])).logits[0]
    json.dump({"tokens": tokens, "logits": logits.flatten().tolist(), "base_logits": base.flatten().tolist()},
              open(os.path.join(out, "logits_embeddings.json"), "w"))
    print("wrote", out)


if __name__ == "__main__":
    main()
