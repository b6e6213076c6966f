// The `dataset` namespace: loading, building from maps, parsing generated
// task lists.

import RetortData
import RetortFiles
import RetortLang

/// The `fields` argument: canonical name -> field name, e.g. {"instruction": "prompt"}.
func fieldMapping(_ a: Args, _ function: String) throws -> [String: String]? {
  guard let m = a.value("fields") else { return nil }
  guard case .map(let box) = m else { throw ScriptError("\(function)(): argument 'fields' expects a map, got \(m.typeName)") }
  var f: [String: String] = [:]
  for (k, v) in box.pairs {
    guard case .string(let key) = k.value, case .string(let field) = v else {
      throw ScriptError("\(function)(): fields maps names to field names, e.g. {\"instruction\": \"prompt\"}")
    }
    // A typo ("instrution") would map nothing, and every instruction would load empty.
    guard Record.canonicalNames.contains(key) else {
      throw ScriptError("\(function)(): fields maps the names \(Record.canonicalNames.joined(separator: ", ")) to a file's fields; "
                        + "'\(key)' is not one of them")
    }
    f[key] = field
  }
  return f
}

extension Lab {
  static func installDataset(_ interp: Interpreter) {
    interp.define(namespace: Namespace(
      name: "dataset", doc: "Instruction data: load, inspect, filter, dedup, sample, split, save.",
      functions: [
        NativeFunction(
          name: "load",
          params: [.required("path"), .optional("format", "\"auto\""), .optional("fields"), .optional("on_error", "\"fail\"")],
          doc: "Load a JSON array or JSON Lines file (sniffed), or CSV with a header row (a .csv name or format=\"csv\"; every cell loads as a string), recognising Alpaca, BELLE, seed-task, Dolly, ShareGPT, OpenAI and question-list schemas; fields={\"instruction\": \"prompt\"} maps others; on_error=\"skip\" skips bad lines."
        ) { a in
          let path = try a.path("path")
          let fields = try fieldMapping(a, "dataset.load")
          let interp = a.interpreter
          // A bar in MB, for files of a megabyte or more (smaller ones load in a blink).
          var progress: ProgressSink?
          defer { progress?.finish() }
          let options = try LoadOptions(
            format: try a.string("format", default: "auto"), fields: fields,
            onError: try a.string("on_error", default: "fail"),
            progress: { done, total in
              guard total >= 1 << 20 else { return }
              if progress == nil { progress = interp.progressFactory("loading MB", (total + (1 << 20) - 1) >> 20) }
              progress?.update(done: done >> 20, note: "")
            },
            isCancelled: { interp.interruptRequested() })
          do {
            let ds = try Dataset.load(path, options: options)
            if let report = ds.loadReport, !report.skipped.isEmpty {
              let n = report.skipped.count
              let shown = report.skipped.prefix(5).map(\.description).joined(separator: "; ")
              interp.output("skipped \(n) malformed line\(n == 1 ? "" : "s") of \(path): \(shown)\(n > 5 ? "; ... (ds.skipped lists all)" : "")\n")
            }
            for note in [ds.loadReport?.emptyFileNote, ds.loadReport?.layoutsNote, ds.loadReport?.flatteningNote, ds.loadReport?.inexactIntegersNote].compactMap({ $0 }) {
              interp.output("note: " + note + "\n")
            }
            noteFieldSurprises(ds, path, interp)
            // A CSV separated by ';' or tabs reads as one column named after the whole header.
            if ds.loadReport?.format == "csv", ds.fields.count == 1, let only = ds.fields.first,
               let sep = [";", "\t"].first(where: { only.contains($0) }) {
              interp.output("note: the header of \(path) is one column, \(only.excerpt(40).quotedLiteral): separated by "
                            + "\(sep == ";" ? "semicolons" : "tabs")? Retort reads comma-separated CSV\n")
            }
            return .object(DatasetValue(ds))
          } catch DataError.cancelled(_, let done, let total, _, let partial) {
            // An error, so `ds = dataset.load(...)` keeps its old value rather than a part that looks whole.
            throw ScriptError("load interrupted after \(done) of \(total) MB (\(partial.count) records read); nothing was assigned")
          }
        },
        NativeFunction(
          name: "from", params: [.required("records"), .optional("fields")],
          doc: "A dataset from a list of maps (schema recognised as by load)."
        ) { a in
          let items = try a.list("records")
          var objects: [JSONObject] = []
          for (i, v) in items.enumerated() {
            switch v {
            case .map(let m): objects.append(try JSONObject(m, what: "dataset.from()"))
            case .object(let o as RecordValue): objects.append(o.record.fields)
            default: throw ScriptError("dataset.from(): element \(i) is \(v.typeNameWithArticle); expected a map")
            }
          }
          let ds = Dataset.from(objects, fields: try fieldMapping(a, "dataset.from"))
          noteFieldSurprises(ds, "the list", a.interpreter)
          return .object(DatasetValue(ds))
        },
        NativeFunction(
          name: "parse_tasks", params: [.required("text"), .optional("truncated", "false")],
          doc: "Parse a generated task list (Alpaca '1. Instruction:' or BELLE '指令:' layouts) into records; an incomplete last task is dropped, any last task if truncated=true."
        ) { a in
          .object(DatasetValue(Dataset.parseTasks(try a.string("text"), truncated: try a.bool("truncated", default: false))))
        },
        NativeFunction(
          name: "rouge_l", params: [.required("candidate"), .required("reference")],
          doc: "ROUGE-L {precision, recall, f} of two texts (CJK characters as tokens, Latin words lower-cased)."
        ) { a in
          let s = RougeL.score(candidate: try a.string("candidate"), reference: try a.string("reference"))
          return .map([("precision", .float(s.precision)), ("recall", .float(s.recall)), ("f", .float(s.f))])
        },
        NativeFunction(
          name: "tokens", params: [.required("text")],
          doc: "The metric tokens of a text (as used by ROUGE-L and dedup)."
        ) { a in
          .list(MetricTokenizer.tokens(try a.string("text")).map { .string($0) })
        },
      ]))
  }
}

/// Says which canonical fields read nothing because no record has the field
/// they map to (a BELLE eval file whose std_answer was renamed: every output ""),
/// and which hold values other than text (read as their JSON text).
func noteFieldSurprises(_ ds: Dataset, _ what: String, _ interp: Interpreter) {
  for (canonical, source) in ds.absentMappings {
    interp.output("note: no record of \(what) has '\(source)', which \(canonical) reads (\(ds.schema?.rawValue ?? "") layout); "
                  + "\(canonical) is empty everywhere unless fields={\"\(canonical)\": \"...\"} names the field that holds it\n")
  }
  for (canonical, count, first) in ds.nonTextFields {
    let sample = ds.records[first].text(canonical)
    let shown = sample.excerpt(40)
    interp.output("note: \(count == ds.count ? "every record" : counted(count, "record")) of \(what) \(count == 1 || count == ds.count ? "holds" : "hold") "
                  + "a number, boolean, list or object as \(canonical) (first: record \(first), \(shown)); it is read as that JSON text "
                  + "wherever text is needed (templates, training, judging)\n")
  }
  if let p = ds.nonTextParts {
    interp.output("note: \(p.records == ds.count ? "every record" : counted(p.records, "record")) of \(what) \(p.records == 1 || p.records == ds.count ? "has" : "have") "
                  + "turns whose content lists parts that are not text (\(counted(p.parts, "part")), first: record \(p.first), "
                  + "\(p.type.isEmpty ? "a part with no text" : "\"" + p.type + "\"")); their text parts are read and the others left out\n")
  }
}
