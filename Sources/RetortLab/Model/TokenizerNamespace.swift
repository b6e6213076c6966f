// The `tokenizer` namespace: learn a byte-level BPE tokenizer from a
// dataset's text or a list of texts, for model.new(tokenizer=...) and
// m.extend_vocab(...).

import RetortLang
import RetortModels

extension Lab {
  static func installTokenizer(_ interp: Interpreter) {
    interp.define(namespace: Namespace(
      name: "tokenizer", doc: "Tokenizers: train_bpe learns a byte-level BPE from text.",
      functions: [
        NativeFunction(
          name: "train_bpe", params: [.required("texts"), .optional("vocab", "4096"), .optional("min_frequency", "2")],
          doc: "Learn a byte-level BPE (256 bytes, <|endoftext|>, <|im_start|>, <|im_end|>, then merges) from a dataset's records or a list of texts."
        ) { a in
          guard let v = a.value("texts") else { throw ScriptError("train_bpe(): missing texts") }
          let texts = try textsOf(v, "train_bpe(): argument 'texts'")
          guard !texts.isEmpty else { throw ScriptError("train_bpe(): argument 'texts' is empty") }
          let vocab = try a.int("vocab", default: 4096)
          let minFrequency = try a.int("min_frequency", default: 2)
          guard minFrequency >= 1 else { throw ScriptError("train_bpe(): argument 'min_frequency' must be at least 1, got \(minFrequency)") }
          let interp = a.interpreter
          let progress = interp.progressFactory("learning merges", max(0, vocab - 259))
          defer { progress.finish() }
          var stopped = false
          let tok = try modelCall {
            try BPETrainer.train(texts, vocab: vocab, minFrequency: minFrequency,
                                 progress: { d, _ in progress.update(done: d, note: "merges") },
                                 isCancelled: {
                                   if interp.interruptRequested() { stopped = true }
                                   return stopped
                                 })
          }
          // Fewer tokens than asked: stopped by Ctrl-C (the merges so far are kept), or the texts ran
          // out of pairs seen min_frequency times.
          if stopped {
            interp.output("train_bpe(): interrupted; kept the \(tok.tokens.count) tokens learnt so far\n")
          } else if tok.tokens.count < vocab {
            interp.output("train_bpe(): learnt \(tok.tokens.count) of the \(vocab) tokens asked: no other pair of tokens occurs "
                          + "\(minFrequency == 1 ? "in the texts" : "\(minFrequency) times or more (min_frequency)")\n")
          }
          return .object(TokenizerValue(tok))
        },
      ]))
  }
}
