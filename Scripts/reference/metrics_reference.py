#!/usr/bin/env python3
"""Reference values for RetortJudge's metrics, computed with the Python packages they must match.

Reads  Tests/RetortJudgeTests/Fixtures/metric_corpus.json  (English and Chinese answer/reference pairs)
Writes Tests/RetortJudgeTests/Fixtures/metric_reference.json

Packages (pip install rouge-score rouge-chinese sacrebleu): versions are written into the output.
- English ROUGE: rouge-score's RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=False) on raw text.
- All pairs: ROUGE from rouge-score on the shared Retort tokens (tokenizer given as an object) and from
  rouge-chinese (Rouge(exclusive=False)) on the same tokens joined by spaces (character-level for Chinese).
  The shared tokenizer is mirrored below (`retort_tokens`, RetortData/Text/MetricTokenizer.swift);
  its output is stored too, so the Swift test also checks that the mirror agrees with the Swift tokenizer.
- BLEU: sacrebleu.sentence_bleu (exp smoothing, effective order) with the 13a and zh tokenizers,
  sacrebleu.corpus_bleu for the English pairs (13a), the Chinese and mixed pairs (zh) and all pairs (both),
  the floor / add-k / none smoothing on a few pairs, and multi-reference sentence BLEU.

Usage: python3 Scripts/reference/metrics_reference.py  (from the repository root)
"""
import json
import sys
import unicodedata
from importlib.metadata import version
from pathlib import Path

import sacrebleu
from rouge_chinese import Rouge
from rouge_score import rouge_scorer
from sacrebleu.metrics import BLEU

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "Tests" / "RetortJudgeTests" / "Fixtures"

CJK_RANGES = [
    (0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2EE5F), (0x30000, 0x323AF),
    (0xF900, 0xFAFF), (0x2F800, 0x2FA1F), (0x2E80, 0x2EFF), (0x2F00, 0x2FDF), (0x31C0, 0x31EF),
    (0x3005, 0x3007), (0x3021, 0x3029), (0x3038, 0x303B), (0x3031, 0x3035), (0x3041, 0x3096),
    (0x309D, 0x309F), (0x30A1, 0x30FA), (0x30FC, 0x30FF), (0x31F0, 0x31FF), (0x1B000, 0x1B16F),
    (0xAC00, 0xD7AF), (0x1100, 0x11FF), (0x3131, 0x318E), (0xA960, 0xA97F), (0xD7B0, 0xD7FF),
    (0x3200, 0x33FF),
]
WORD_CATEGORIES = {"Lu", "Ll", "Lt", "Lm", "Lo", "Nd", "Nl", "No"}
MARK_CATEGORIES = {"Mn", "Mc", "Me"}


def retort_tokens(text):
    """Mirror of MetricTokenizer: NFKC; each CJK character a token; other runs of letters, digits
    and combining marks are lower-cased words; everything else separates and is dropped."""
    text = unicodedata.normalize("NFKC", text)
    out, word = [], []

    def flush():
        if word:
            out.append("".join(word).lower())
            word.clear()

    for ch in text:
        v = ord(ch)
        if v < 0x80:
            if ch.isalnum():
                word.append(ch)
            else:
                flush()
            continue
        if any(a <= v <= b for a, b in CJK_RANGES):
            flush()
            out.append(ch)
            continue
        cat = unicodedata.category(ch)
        if cat in WORD_CATEGORIES:
            word.append(ch)
        elif cat in MARK_CATEGORIES:
            if word:
                word.append(ch)
        else:
            flush()
    flush()
    return out


class RetortTokenizer:
    """rouge-score tokenizer object that returns pre-computed Retort tokens."""

    def tokenize(self, text):
        return retort_tokens(text)


def score_dict(s):
    return {"precision": s.precision, "recall": s.recall, "f": s.fmeasure}


def rouge_chinese_scores(hyp_tokens, ref_tokens):
    if not hyp_tokens or not ref_tokens:
        return None  # rouge-chinese raises on empty input
    r = Rouge(exclusive=False).get_scores(" ".join(hyp_tokens), " ".join(ref_tokens))[0]
    return {k: {"precision": r[m]["p"], "recall": r[m]["r"], "f": r[m]["f"]}
            for k, m in (("rouge1", "rouge-1"), ("rouge2", "rouge-2"), ("rougeL", "rouge-l"))}


def bleu_dict(b):
    return {"score": b.score, "counts": list(b.counts), "totals": list(b.totals),
            "precisions": list(b.precisions), "bp": b.bp, "sys_len": b.sys_len, "ref_len": b.ref_len}


def main():
    corpus = json.loads((FIXTURES / "metric_corpus.json").read_text(encoding="utf-8"))
    raw_scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=False)
    tok_scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], tokenizer=RetortTokenizer())
    tok13a = BLEU(tokenize="13a").tokenizer
    tokzh = BLEU(tokenize="zh").tokenizer
    pairs_out = []
    for p in corpus["pairs"]:
        hyp, ref = p["hypothesis"], p["reference"]
        ht, rt = retort_tokens(hyp), retort_tokens(ref)
        entry = {
            "id": p["id"],
            "retort_tokens": {"hypothesis": ht, "reference": rt},
            "sacrebleu_tokens": {
                "13a": {"hypothesis": tok13a(hyp.rstrip()).split(), "reference": tok13a(ref.rstrip()).split()},
                "zh": {"hypothesis": tokzh(hyp.rstrip()).split(), "reference": tokzh(ref.rstrip()).split()},
            },
            "rouge_score_tokens": {k: score_dict(v) for k, v in tok_scorer.score(ref, hyp).items()},
            "rouge_chinese": rouge_chinese_scores(ht, rt),
            "sentence_bleu": {
                "13a": bleu_dict(sacrebleu.sentence_bleu(hyp, [ref], tokenize="13a")),
                "zh": bleu_dict(sacrebleu.sentence_bleu(hyp, [ref], tokenize="zh")),
            },
            "sentence_bleu_smoothing": {
                m: bleu_dict(sacrebleu.sentence_bleu(hyp, [ref], smooth_method=m, tokenize="13a"))
                for m in ("none", "floor", "add-k")
            },
        }
        if p["lang"] == "en":
            entry["rouge_score_raw"] = {k: score_dict(v) for k, v in raw_scorer.score(ref, hyp).items()}
        pairs_out.append(entry)

    def corpus_entry(selector, tok):
        sel = [p for p in corpus["pairs"] if selector(p)]
        b = sacrebleu.corpus_bleu([p["hypothesis"] for p in sel], [[p["reference"] for p in sel]], tokenize=tok)
        return {"ids": [p["id"] for p in sel], "tokenizer": tok, "bleu": bleu_dict(b)}

    corpora = [
        corpus_entry(lambda p: p["lang"] == "en", "13a"),
        corpus_entry(lambda p: p["lang"] != "en", "zh"),
        corpus_entry(lambda p: True, "13a"),
        corpus_entry(lambda p: True, "zh"),
    ]
    multi = [{"id": m["id"], "13a": bleu_dict(sacrebleu.sentence_bleu(m["hypothesis"], m["references"], tokenize="13a")),
              "zh": bleu_dict(sacrebleu.sentence_bleu(m["hypothesis"], m["references"], tokenize="zh"))}
             for m in corpus["multi_reference"]]
    out = {
        "generator": "Scripts/reference/metrics_reference.py",
        "packages": {n: version(n) for n in ("rouge-score", "rouge-chinese", "sacrebleu")},
        "python": sys.version.split()[0],
        "pairs": pairs_out,
        "corpus_bleu": corpora,
        "multi_reference": multi,
    }
    (FIXTURES / "metric_reference.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {FIXTURES / 'metric_reference.json'}: {len(pairs_out)} pairs, {len(corpora)} corpora")


if __name__ == "__main__":
    main()
