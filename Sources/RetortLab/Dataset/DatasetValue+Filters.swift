// Self-instruct filtering, prompts and saving for datasets in the language.

import RetortData
import RetortFiles
import RetortLang

extension DatasetValue {
  static func installFilterMethods(_ t: TypeInfo) {
    t.method("dedup", [.optional("threshold", "0.7"), .optional("by", "\"instruction\""), .optional("against")],
             "Keep a record only if its ROUGE-L F against every record kept before it (and every record of against) is not above threshold, as self-instruct does (> 0.7 is dropped; threshold=1 drops only texts with the same tokens).") {
      (d: DatasetValue, a: inout Args) in
      let interp = a.interpreter
      let progress = interp.progressFactory("dedup", d.ds.count)
      defer { progress.finish() }
      let pool = a.has("against") ? try a.object("against", as: DatasetValue.self, expected: "a dataset").ds : nil
      do {
        return wrap(try d.ds.dedup(
          threshold: try a.double("threshold", default: 0.7), by: try a.string("by", default: "instruction"),
          against: pool, progress: { done, _ in progress.update(done: done, note: "") },
          isCancelled: { interp.interruptRequested() }))
      } catch DataError.cancelled(_, let done, let total, _, _) {
        // Only a prefix would be deduplicated: an error keeps it out of variables.
        throw ScriptError("dedup interrupted after \(done) of \(total) records; nothing was assigned")
      }
    }
    t.method("blacklist", [.required("words"), .optional("fields", "[\"instruction\", \"input\"]")],
             "Drop records whose fields mention any of words (whole Latin words, case-insensitive; CJK words anywhere).") {
      (d: DatasetValue, a: inout Args) in
      let fields = a.has("fields") ? try a.strings("fields") : ["instruction", "input"]
      return wrap(try d.ds.blacklist(try a.strings("words"), fields: fields))
    }
    t.method("length", [.optional("min"), .optional("max"), .optional("field", "\"instruction\""), .optional("unit", "\"chars\"")],
             "Records whose field length is within [min, max]; unit \"chars\" (Unicode characters), \"words\" (split on whitespace, as self-instruct's filter: a Chinese sentence is one word) or \"tokens\" (one per CJK character or Latin word, as ROUGE-L counts; a model's tokens: filter with its tokenizer).") {
      (d: DatasetValue, a: inout Args) in
      let unitName = try a.string("unit", default: "chars")
      let unit: Dataset.LengthUnit
      switch unitName {
      case "chars", "characters": unit = .characters
      case "words": unit = .words
      case "tokens": unit = .tokens
      default: throw ScriptError("length(): unit must be \"chars\", \"words\" or \"tokens\", got \"\(unitName)\"")
      }
      return wrap(try d.ds.length(min: try a.optionalInt("min"), max: try a.optionalInt("max"),
                                  field: try a.string("field", default: "instruction"), unit: unit))
    }
    t.method("drop_empty", [.optional("fields", "[\"instruction\", \"output\"]")],
             "Drop records where any of fields is missing or blank.") { (d: DatasetValue, a: inout Args) in
      wrap(try d.ds.dropEmpty(a.has("fields") ? try a.strings("fields") : ["instruction", "output"]))
    }
    t.method("format", [.optional("template", "\"alpaca\""), .optional("into", "\"prompt\"")],
             "Render each record through a template with {field} placeholders into a new field; \"alpaca\" is Alpaca's prompt (with or without input).") {
      (d: DatasetValue, a: inout Args) in
      let template = try a.string("template", default: "alpaca")
      let into = try a.string("into", default: "prompt")
      if template == "alpaca" { return wrap(try d.ds.formatAlpaca(into: into)) }
      return wrap(try d.ds.format(try PromptTemplate(template), into: into))
    }
    t.method("save", [.required("path"), .optional("canonical", "false")],
             "Write JSON Lines (a JSON array for .json, CSV for .csv), UTF-8, atomically (Ctrl-C leaves the file as it was), streamed, with progress when it takes a while; canonical=true writes instruction/input/output/category names.") {
      (d: DatasetValue, a: inout Args) in
      let path = try a.path("path"), interp = a.interpreter
      // A progress line once the save has run for a second; Ctrl-C leaves the file as it was.
      let progress = RecordProgress("saving", total: d.ds.count, interp)
      defer { progress.finish() }
      do {
        try d.ds.save(path, canonical: try a.bool("canonical", default: false), progress: progress.show,
                      isCancelled: { interp.interruptRequested() })
      } catch DataError.cancelled(_, let done, let total, _, _) {
        throw ScriptError("save interrupted after \(done) of \(total) records; \(path) is as it was before")
      }
      a.interpreter.output("saved \(d.ds.count) record\(d.ds.count == 1 ? "" : "s") to \(path)\n")
      // CSV cells are text: a conversation or a list goes in as its JSON text, and loads back as that string.
      if path.lowercased().hasSuffix(".csv") {
        let nested = d.ds.records.filter { r in r.fields.values.contains { $0.arrayValue != nil || $0.objectValue != nil } }.count
        if nested > 0 {
          a.interpreter.output("note: \(counted(nested, "record")) \(nested == 1 ? "holds" : "hold") lists or objects (conversations?), "
                               + "written into the CSV cells as JSON text, which loads back as text; .jsonl keeps them as they are\n")
        }
      }
      return .none
    }
    t.method("to_list", [], "The records as a list of maps (fields as loaded; seed tasks one record per instance).") { (d: DatasetValue, _: inout Args) in
      .list(d.ds.records.map { JSONValue.object($0.fields).value })
    }
  }
}
