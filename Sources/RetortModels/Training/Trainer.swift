// The training loop: shuffled epochs of packed or padded rows, gradient
// accumulation, global-norm clipping, AdamW with a warm-up + decay schedule,
// periodic evaluation, progress reports and cancellation after any step.
// Full fine-tuning updates every f32 parameter; with LoRA attached only the
// adapters are updated.

import Foundation
import RetortCompute
import RetortFiles

extension TrainableLlama {
  /// Trains on `data` and returns the run. Stops after the current step when
  /// `isCancelled()` turns true, keeping the updated weights and the run so far.
  /// `prepared` sees what became of the data (truncations, skips, rows) before the first step.
  /// With `resume` (an interrupted run of this model on the same data, or one read back by
  /// `resumeRun(checkpoint:)`), the run continues with its own options, optimizer state and
  /// data position, as if it had not stopped. With `options.checkpoint`, the run's state is also
  /// written to that file (see TrainCheckpoint.swift).
  public func train(_ data: TrainingData, options: TrainOptions = TrainOptions(), eval: TrainingData? = nil,
                    resume: TrainRun? = nil, prepared: ((TrainDataStats) -> Void)? = nil,
                    progress: ((TrainProgress) -> Void)? = nil, isCancelled: () -> Bool = { false }) throws -> TrainRun {
    let resumed = try resume.map { try resumable($0) }
    var o = resume?.options ?? options
    try o.validate(context: config.contextLength)
    let seq = o.seq ?? min(256, config.contextLength)
    o.seq = seq
    let trainBase = lora == nil
    if trainBase && hasQuantizedBase {
      throw ModelError("train: this model's projections are frozen quantized weights; attach adapters with lora() or copy it to f32 for full fine-tuning")
    }
    guard data.count > 0 else { throw ModelError("train: the training data is empty") }
    // Instructions are truncated to a row (as Alpaca and BELLE train); packed plain texts may span rows.
    var spanRows = o.packing
    if case .instructions = data { spanRows = false }
    let fit = try tokenize(data, template: o.template).fitted(seq: seq, spanRows: spanRows)
    let examples = fit.examples
    var stats = fit.stats
    guard !examples.isEmpty else {
      if case .instructions = data {
        throw ModelError("train: no example has a response token within seq=\(seq) (every prompt fills the row); raise seq")
      }
      throw ModelError("train: nothing to train on: every text is shorter than two tokens")
    }
    let pad = Int32(tokenizer.eos ?? 0)
    func rows(_ ex: [TokenizedExample]) -> TokenRows {
      o.packing ? TokenRows.packed(ex, seq: seq, pad: pad) : TokenRows.padded(ex, seq: seq, pad: pad)
    }
    func epochRows(_ e: Int) throws -> TokenRows {
      let order = try Tensor.permutationIndices(examples.count, seed: o.seed &+ e &* 7919)
      return rows(order.map { examples[$0] })
    }
    // Evaluation always scores one example per row, so every response keeps its prompt.
    let evalFit = try eval.map { try tokenize($0, template: o.template).fitted(seq: seq, spanRows: false) }
    let evalRows = evalFit.map { TokenRows.padded($0.examples, seq: seq, pad: pad) }
    if let e = evalFit?.stats { (stats.evalExamples, stats.evalTruncated, stats.evalSkipped) = (e.examples, e.truncated, e.skipped) }
    let dataKey = TrainState.dataKey(examples)
    if let resumed, resumed.dataKey != dataKey {
      throw ModelError("train: resume needs the run's own training data (these examples differ from the ones it trained on)")
    }
    // A run read from a checkpoint file puts its weights into the model only now that the data is known to match.
    if let resumed, let restore = resumed.restore {
      restore()
      resumed.restore = nil
      // A completed run from a file: its final weights, nothing left to train.
      if let resume, resume.steps >= resume.plannedSteps {
        resumed.used = true
        trainedTemplate = resume.options.template
        var done = resume
        done.state = nil
        return done
      }
    }
    // A checkpoint file that cannot be written is found out now, before the buffers and the first step.
    if let path = o.checkpoint {
      do { try AtomicFile.checkWritable(path) } catch { throw ModelError("train: checkpoint: \(error)") }
    }
    var current = try epochRows(resumed?.epoch ?? 0)
    stats.rows = current.count
    stats.fill = Double(examples.reduce(0) { $0 + $1.tokens.count }) / Double(max(1, current.count * seq))
    let rowsPerStep = o.batch * o.gradAccum
    let planned = o.steps ?? max(1, (o.epochs ?? 1) * ((current.count + rowsPerStep - 1) / rowsPerStep))
    // Known only now for epochs=: the run's length in steps.
    if resume == nil, o.warmup > planned {
      throw ModelError("train: warmup=\(o.warmup) is longer than the run (\(counted(planned, "step"))); the learning rate would never reach lr")
    }
    prepared?(stats)

    let bufs = try PassBuffers(model: self, batch: o.batch, seq: seq, training: true, checkpointing: o.gradientCheckpointing)
    let grads = Gradients(model: self, trainBase: trainBase)
    let adam = resumed.map { $0.adam } ?? (trainBase ? AdamW(count: values.count, params: params, beta1: o.beta1, beta2: o.beta2) : nil)
    let adamLoRA = resumed.map { $0.adamLoRA }
      ?? lora.map { AdamW(count: $0.values.count, params: $0.params, beta1: o.beta1, beta2: o.beta2) }
    // Checkpoints of a LoRA run record which frozen base the adapters were trained over.
    let baseKey = o.checkpoint != nil && !trainBase ? self.baseKey : nil
    var run = resume ?? TrainRun(options: o)
    run.checkpointError = nil
    if resume == nil { run.data = stats }
    run.plannedSteps = resume?.plannedSteps ?? planned
    let total = run.plannedSteps
    run.trainableParameters = trainBase ? parameterCount : (lora?.parameterCount ?? 0)
    run.cancelled = false
    run.state = nil
    if let resumed { resumed.used = true; resumed.adam = nil; resumed.adamLoRA = nil }
    if trainBase { baseRevision += 1 }
    if trainBase || lora?.options.trainEmbeddings == true { untrainedTokens = 0 }
    // A resumed run's clock and token count carry on from where it stopped.
    let start = Date().addingTimeInterval(-run.wallTime)
    var epoch = resumed?.epoch ?? 0, cursor = resumed?.cursor ?? 0
    /// The eval loss now, timed apart from training; nil when Ctrl-C stopped it (the step is done).
    func evaluateNow(step: Int, lr: Float) -> Float? {
      guard let evalRows else { return nil }
      let began = Date()
      defer { run.evalTime += Date().timeIntervalSince(began) }
      return evaluate(evalRows, bufs: bufs, isCancelled: isCancelled) { done in
        let elapsed = Date().timeIntervalSince(start)
        progress?(TrainProgress(step: step, totalSteps: total, loss: run.loss.last ?? 0, lr: lr,
                                tokensPerSecond: run.tokensPerSecond, elapsed: elapsed,
                                eta: elapsed / Double(max(1, step)) * Double(total - step), evalLoss: nil,
                                evaluated: (done, evalRows.count)))
      }
    }
    // A run stopped during the evaluation its last step was due: that evaluation comes first,
    // so the series is the one an uninterrupted run has.
    if resume != nil, evalRows != nil, o.evalEvery > 0, run.steps > 0, run.steps < total,
       run.steps % o.evalEvery == 0, run.evalSteps.last != run.steps {
      if let ev = evaluateNow(step: run.steps, lr: run.lr.last ?? 0) {
        run.evalSteps.append(run.steps)
        run.evalLoss.append(ev)
      } else {
        run.cancelled = true  // stopped again: no step runs, and the run ends below as any stopped run does
      }
    }

    // With `epochs`, an epoch's last step is short (as a data loader that keeps its last
    // batch): `epochs=1` trains each row once. With `steps`, batches run on into the next epoch.
    let shortLastStep = o.steps == nil
    for step in run.steps..<total where !run.cancelled {
      // Gather this step's rows (cycling into new, reshuffled epochs).
      typealias Row = (tokens: ArraySlice<Int32>, targets: ArraySlice<Int32>, starts: ArraySlice<Int32>, length: Int)
      var micro: [[Row?]] = []
      var scored = 0
      if cursor >= current.count {
        epoch += 1
        current = try epochRows(epoch)
        cursor = 0
      }
      for _ in 0..<o.gradAccum {
        var rows: [Row?] = []
        for _ in 0..<o.batch {
          if cursor >= current.count {
            if shortLastStep { rows.append(nil); continue }
            epoch += 1
            current = try epochRows(epoch)
            cursor = 0
          }
          let span = (cursor * seq)..<((cursor + 1) * seq)
          rows.append((current.tokens[span], current.targets[span], current.starts[span], current.lengths[cursor]))
          scored += current.targets[span].reduce(0) { $0 + ($1 >= 0 ? 1 : 0) }
          cursor += 1
        }
        // A micro-batch past the epoch's end has nothing to train.
        if rows.contains(where: { $0 != nil }) { micro.append(rows) }
      }
      grads.zero()
      var lossSum: Double = 0
      for (i, rows) in micro.enumerated() {
        // Padded rows run at the width of the batch's longest, not at seq.
        run.tokens += o.batch * bufs.load(rows)
        run.rows += rows.reduce(0) { $0 + ($1 == nil ? 0 : 1) }
        lossSum += pass(bufs, grads: grads, lossScale: scored > 0 ? 1 / Float(scored) : 0,
                        step: step * o.gradAccum + i).loss
      }
      let lr = o.schedule.rate(step: step, total: total, warmup: o.warmup, peak: o.lr, minRatio: o.minLRRatio)
      if scored > 0 {
        let scale = clipScale(grads, limit: o.clip)
        if let adam, let g = grads.model {
          adam.step(values: values.pointer, grads: g.pointer, lr: lr, weightDecay: o.weightDecay, t: step + 1, gradScale: scale)
        }
        if let adamLoRA, let lora, let g = grads.lora {
          adamLoRA.step(values: lora.values.pointer, grads: g.pointer, lr: lr, weightDecay: o.weightDecay, t: step + 1,
                        gradScale: scale)
        }
      }
      run.loss.append(scored > 0 ? Float(lossSum / Double(scored)) : 0)
      run.lr.append(lr)
      // Evaluated on schedule and at the end; Ctrl-C stops the run without one (resuming does it).
      var ev: Float? = nil
      var evalStopped = false
      if let evalRows, evalRows.count > 0, (o.evalEvery > 0 && (step + 1) % o.evalEvery == 0) || step + 1 == total {
        ev = evaluateNow(step: step + 1, lr: lr)
        if let ev {
          run.evalSteps.append(step + 1)
          run.evalLoss.append(ev)
        } else {
          evalStopped = true
        }
      }
      let elapsed = Date().timeIntervalSince(start)
      run.wallTime = elapsed
      progress?(TrainProgress(step: step + 1, totalSteps: total, loss: run.loss[step], lr: lr,
                              tokensPerSecond: run.tokensPerSecond, elapsed: elapsed,
                              eta: elapsed / Double(step + 1) * Double(total - step - 1), evalLoss: ev))
      if (step + 1 < total || evalStopped) && isCancelled() { run.cancelled = true }
      if let path = o.checkpoint, let opt = adam ?? adamLoRA,
         run.cancelled || step + 1 == total || (o.checkpointEvery > 0 && (step + 1) % o.checkpointEvery == 0) {
        do {
          try writeCheckpoint(path, run: run, adam: opt, epoch: epoch, cursor: cursor, dataKey: dataKey, baseKey: baseKey)
        } catch {
          // Stop rather than train on without a safety net; the run and its state stay in memory.
          run.checkpointError = "\(error)"
          if step + 1 < total { run.cancelled = true }
        }
      }
      if run.cancelled { break }
    }
    run.wallTime = Date().timeIntervalSince(start)
    // Plain texts are trained as they are: no template to ask the model in afterwards.
    if run.steps > 0, case .instructions = data { trainedTemplate = o.template }
    if run.cancelled {
      run.state = TrainState(adam: adam, adamLoRA: adamLoRA, epoch: epoch, cursor: cursor, dataKey: dataKey, model: self)
    }
    return run
  }

  /// The factor that scales the trainable gradients to a global L2 norm of
  /// at most `limit` (1 when they are within it, or `limit` is 0 = off).
  func clipScale(_ grads: Gradients, limit: Float) -> Float {
    guard limit > 0 else { return 1 }
    var sq: Double = 0
    if let g = grads.model { sq += Kernels.sumOfSquares(g.pointer, count: g.count) }
    if let g = grads.lora { sq += Kernels.sumOfSquares(g.pointer, count: g.count) }
    let norm = sq.squareRoot()
    return norm > Double(limit) ? Float(Double(limit) / norm) : 1
  }

  /// Mean token loss over `rows`, `bufs.batch` rows at a time (short last batch padded, unscored);
  /// nil when `isCancelled` stops it between batches. `progress` hears the rows done.
  func evaluate(_ rows: TokenRows, bufs: PassBuffers, isCancelled: () -> Bool = { false },
                progress: ((Int) -> Void)? = nil) -> Float? {
    var total: Double = 0, count = 0
    var r = 0
    while r < rows.count {
      if isCancelled() { return nil }
      progress?(r)
      bufs.load((0..<bufs.batch).map { b in
        guard r + b < rows.count else { return nil }
        let span = ((r + b) * rows.seq)..<((r + b + 1) * rows.seq)
        return (rows.tokens[span], rows.targets[span], rows.starts[span], rows.lengths[r + b])
      })
      let res = pass(bufs, grads: nil, lossScale: 0, step: 0)
      total += res.loss
      count += res.count
      r += bufs.batch
    }
    return count > 0 ? Float(total / Double(count)) : 0
  }

  /// Mean token loss of `data` under `template` (rows of `seq`, padded per example).
  public func evalLoss(_ data: TrainingData, template: PromptTemplate = .alpaca, seq: Int? = nil, batch: Int = 8) throws -> Float {
    let s = seq ?? min(256, config.contextLength)
    guard s >= 2, s <= config.contextLength else { throw ModelError("eval: seq must be in 2...\(config.contextLength), got \(s)") }
    let rows = TokenRows.padded(try tokenize(data, template: template), seq: s, pad: Int32(tokenizer.eos ?? 0))
    let bufs = try PassBuffers(model: self, batch: max(1, min(batch, rows.count)), seq: s, training: false)
    return evaluate(rows, bufs: bufs) ?? 0
  }
}
