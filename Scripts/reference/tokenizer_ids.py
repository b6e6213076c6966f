#!/usr/bin/env python3
"""Reference token ids for the tokenizer tests.

Builds a Hugging Face `tokenizers` tokenizer from the vocabulary and merges
stored in a GGUF file (SmolLM2's pre-tokenizer: individual digits, then GPT-2
byte-level split), encodes a corpus of tricky texts and writes
Tests/RetortModelsTests/Fixtures/tokenizer_ids.json. With --llama-tokenize
PATH it also checks every text against llama.cpp's llama-tokenize and fails on
any difference.

  pip install tokenizers gguf
  python3 Scripts/reference/tokenizer_ids.py ~/.cache/retort/models/smollm2-135m-instruct.q4_1.gguf \
      [--llama-tokenize /tmp/llama.cpp/build/bin/llama-tokenize]
"""
import argparse, json, os, subprocess, sys

import gguf
from tokenizers import Tokenizer, AddedToken, Regex, models, pre_tokenizers, decoders

# The other pre-tokenizer splits, applied to the same vocabulary so the Swift
# scanners for them are checked against the reference regular expressions too.
LLAMA3_REGEX = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|"
                r" ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")

CORPUS = [
    "Hello, world!",
    "The quick brown fox jumps over the lazy dog.",
    "I'm sure they'll say it's fine, but we've seen what you'd do. DON'T SHOUT'S",
    "def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n",
    "for (int i = 0; i < 10; ++i) { printf(\"%d\\n\", i); }",
    "3.14159 1234567890 12,345.67 -42 1e-5 0x1F 2024-11-21",
    "   leading spaces and trailing   ",
    "tabs\there\t\tand\t\t\tthere",
    "line one\nline two\n\nline four\r\nwindows\r\n\r\n",
    "many     spaces      between       words",
    "\n\n\n   \n \t \n",
    "你好，世界！这是一个测试。机器学习很有趣。",
    "日本語のテキストとカタカナ、ひらがな。한국어 텍스트",
    "Emoji: 😀🎉👍🏽 👨‍👩‍👧‍👦 ❤️ 🇫🇷",
    "Ünïcödé àccents: café naïve façade Ångström",
    "Ελληνικά και русский текст, العربية",
    "odd bytes: \u0000\u0001\u001f\u007f \u00a0 \u200b \ufeff \ufffd",
    "<|im_start|>user\nWhat is 2+3?<|im_end|>\n<|im_start|>assistant\n",
    "<|endoftext|>text<|im_end|><|im_start|>",
    "mixed<|im_start|>in the middle <|im_end|>  ",
    "a" * 50 + " " + "ab" * 30,
    "$$$ %%% ^^^ &&& *** ((( ))) --- ___ +++ === {{{ }}} [[[ ]]] ||| \\\\ ;;; ::: ''' \"\"\" <<< >>> ,,, ... ??? ///",
    "x²+y³=z¹ ½ ¾ ① Ⅻ ٣٤ ๓",
    "https://example.com/path?query=1&x=y#frag user@example.org",
    "Mr. O'Neil's café—“quoted” ‘text’ … • — –",
    "",
    " ",
    "\t",
    "ABC abc ABC123abc 123abc abc123",
    "HELLO'S WORLD'LL I'M YOU'VE they'RE",
    "foo!!\n\nbar ...\r\n\tbaz?!\n",
    "   \r\n  a\n\n\t  \n  x  \t",
    "12345678 abc123def 1,000,000 3.14",
    "(a+b)*[c-d]/{e} => x;\n\n\n  return;",
    " \u00a0\u2003word\u3000語",
]


def build(path, pre="smollm"):
    r = gguf.GGUFReader(path)

    def field(name):
        f = r.fields[name]
        return f

    def strings(name):
        f = field(name)
        return [bytes(f.parts[i]).decode("utf-8", errors="replace") for i in f.data]

    def ints(name):
        f = field(name)
        return [int(f.parts[i][0]) for i in f.data]

    tokens = strings("tokenizer.ggml.tokens")
    merges = strings("tokenizer.ggml.merges")
    types = ints("tokenizer.ggml.token_type")
    vocab = {t: i for i, t in enumerate(tokens)}
    tok = Tokenizer(models.BPE(vocab=vocab, merges=[tuple(m.split(" ", 1)) for m in merges],
                               ignore_merges=False))
    if pre == "smollm":
        tok.pre_tokenizer = pre_tokenizers.Sequence([
            pre_tokenizers.Digits(individual_digits=True),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True),
        ])
    elif pre == "gpt2":
        tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    else:
        tok.pre_tokenizer = pre_tokenizers.Sequence([
            pre_tokenizers.Split(Regex(LLAMA3_REGEX), behavior="isolated", invert=False),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ])
    tok.decoder = decoders.ByteLevel()
    special = [AddedToken(tokens[i], special=True, normalized=False)
               for i, t in enumerate(types) if t in (3, 4)]
    tok.add_special_tokens(special)
    return tok


def llama_tokenize(binary, model, text):
    # --stdin --no-escape: the text is taken verbatim.
    out = subprocess.run([binary, "-m", model, "--stdin", "--no-escape", "--ids", "--log-disable"],
                         input=text.encode("utf-8"), capture_output=True, check=True).stdout.decode()
    line = [l for l in out.splitlines() if l.startswith("[")][-1]
    return json.loads(line)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--llama-tokenize")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "..",
                                                  "Tests", "RetortModelsTests", "Fixtures", "tokenizer_ids.json"))
    a = ap.parse_args()
    tok = build(a.model)
    others = {p: build(a.model, p) for p in ("gpt2", "llama3")}
    cases = []
    bad = 0
    for text in CORPUS:
        ids = tok.encode(text, add_special_tokens=False).ids
        if a.llama_tokenize and text:
            ref = llama_tokenize(a.llama_tokenize, a.model, text)
            if ref != ids:
                bad += 1
                print(f"MISMATCH vs llama.cpp for {text!r}:\n  hf    {ids}\n  llama {ref}", file=sys.stderr)
        case = {"text": text, "ids": ids}
        for other in ("gpt2", "llama3"):
            case[other] = others[other].encode(text, add_special_tokens=False).ids
        cases.append(case)
    with open(a.out, "w", encoding="utf-8") as f:
        source = "tokenizers " + __import__("tokenizers").__version__ + " from " + os.path.basename(a.model)
        f.write('{"source": ' + json.dumps(source) + ',\n "cases": [\n')
        f.write(",\n".join("  " + json.dumps(c, ensure_ascii=False) for c in cases))
        f.write("\n]}\n")
    print(f"wrote {len(cases)} cases to {a.out}")
    if bad:
        sys.exit(f"{bad} texts differ from llama.cpp")


if __name__ == "__main__":
    main()
