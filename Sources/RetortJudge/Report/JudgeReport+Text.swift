// JudgeReport+Text: the report as a text table with a horizontal bar per category.
//
//   category          n  fail   mean     sd  95% CI           score
//   open qa         285     0  0.734  0.210  [0.710, 0.758]  ██████████████▋
//   ...
//   overall (micro) 1000    3  0.700  ...
//   macro                      0.690
//   without others             0.710   (math, code excluded)

import Foundation

extension JudgeReport {
  /// The report as text; `barWidth` columns stand for a score of 1.
  public func render(barWidth: Int = 20) -> String {
    let nameWidth = max(16, (rows.map { DisplayWidth.of($0.category) } + [15]).max() ?? 16)
    func f(_ v: Double?) -> String { v.map { String(format: "%.3f", $0) } ?? "-" }
    func line(_ r: CategoryRow, name: String, bar: Bool) -> String {
      let ci = r.stats.ciLow.flatMap { lo in r.stats.ciHigh.map { "[\(f(lo)), \(f($0))]" } } ?? "-"
      var s = DisplayWidth.pad(name, to: nameWidth) + " "
      s += DisplayWidth.pad("\(r.count)", to: 5, alignRight: true)
      s += DisplayWidth.pad("\(r.failures)", to: 6, alignRight: true)
      s += DisplayWidth.pad(f(r.stats.mean), to: 7, alignRight: true)
      s += DisplayWidth.pad(f(r.stats.standardDeviation), to: 7, alignRight: true) + "  "
      s += DisplayWidth.pad(ci, to: 16)
      if bar, let m = r.stats.mean { s += " " + DisplayWidth.bar(m, columns: barWidth) }
      while s.last == " " { s.removeLast() }
      return s
    }
    var out = "\(title) — judge: \(judge)\(cancelled ? " (cancelled: partial)" : "")\n"
    out += DisplayWidth.pad("category", to: nameWidth) + " "
      + DisplayWidth.pad("n", to: 5, alignRight: true) + DisplayWidth.pad("fail", to: 6, alignRight: true)
      + DisplayWidth.pad("mean", to: 7, alignRight: true) + DisplayWidth.pad("sd", to: 7, alignRight: true)
      + "  " + DisplayWidth.pad("95% CI", to: 16) + " score\n"
    for r in rows { out += line(r, name: r.category, bar: true) + "\n" }
    out += String(repeating: "-", count: nameWidth + 42 + barWidth) + "\n"
    out += line(micro, name: "overall (micro)", bar: true) + "\n"
    let pad = nameWidth + 1 + 11
    out += DisplayWidth.pad("macro", to: pad) + DisplayWidth.pad(f(macro), to: 7, alignRight: true) + "\n"
    out += DisplayWidth.pad("without others", to: pad) + DisplayWidth.pad(f(macroWithoutOthers), to: 7, alignRight: true)
      + "   (math, code excluded)\n"
    // Corpus BLEU keeps sacreBLEU's 0-100 scale, unlike the 0-1 means above it.
    if let c = corpusScore {
      out += DisplayWidth.pad("corpus BLEU", to: pad) + DisplayWidth.pad(String(format: "%.2f", c), to: 7, alignRight: true)
        + "   (0-100, as sacreBLEU)\n"
    }
    return out
  }
}
