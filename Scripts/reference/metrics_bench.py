#!/usr/bin/env python3
"""Peer timings for `retort bench judge-metrics`: sacreBLEU sentence/corpus BLEU ('zh') and
rouge-score ROUGE-1/2/L over the same pairs (character tokens from the Retort tokenizer mirror).

Usage: metrics_bench.py PAIRS.json REPEATS  -> prints one JSON object: per measurement the median
seconds and the values (so the Swift side can check agreement on real data)."""
import json
import statistics
import sys
import time

import sacrebleu
from rouge_score import rouge_scorer

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from metrics_reference import RetortTokenizer  # noqa: E402


def timed(repeats, fn):
    fn()
    times, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main():
    pairs = json.load(open(sys.argv[1], encoding="utf-8"))
    repeats = int(sys.argv[2])
    hyps = [p["hypothesis"] for p in pairs]
    refs = [p["reference"] for p in pairs]
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], tokenizer=RetortTokenizer())
    t_sent, sent = timed(repeats, lambda: [sacrebleu.sentence_bleu(h, [r], tokenize="zh").score for h, r in zip(hyps, refs)])
    t_corp, corp = timed(repeats, lambda: sacrebleu.corpus_bleu(hyps, [refs], tokenize="zh").score)
    t_rouge, rouge = timed(repeats, lambda: [scorer.score(r, h) for h, r in zip(hyps, refs)])
    print(json.dumps({
        "sentence_bleu": {"seconds": t_sent, "values": sent},
        "corpus_bleu": {"seconds": t_corp, "value": corp},
        "rouge": {"seconds": t_rouge, "rougeL": [s["rougeL"].fmeasure for s in rouge],
                  "rouge1": [s["rouge1"].fmeasure for s in rouge], "rouge2": [s["rouge2"].fmeasure for s in rouge]},
    }))


if __name__ == "__main__":
    main()
