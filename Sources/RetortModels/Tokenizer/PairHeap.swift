// A binary min-heap of BPE merge candidates, ordered by merge rank and then
// by position (leftmost first), as the reference tokenizers merge.

struct PairCandidate {
  var rank: Int32
  var left: Int32
  var leftID: Int32
  var rightID: Int32
  var result: Int32

  @inline(__always) func precedes(_ o: PairCandidate) -> Bool {
    rank != o.rank ? rank < o.rank : left < o.left
  }
}

struct PairHeap {
  private var items: [PairCandidate] = []

  mutating func push(_ c: PairCandidate) {
    items.append(c)
    var i = items.count - 1
    while i > 0 {
      let p = (i - 1) / 2
      guard items[i].precedes(items[p]) else { break }
      items.swapAt(i, p)
      i = p
    }
  }

  mutating func pop() -> PairCandidate? {
    guard let top = items.first else { return nil }
    let last = items.removeLast()
    if !items.isEmpty {
      items[0] = last
      var i = 0
      while true {
        let l = 2 * i + 1, r = l + 1
        var m = i
        if l < items.count, items[l].precedes(items[m]) { m = l }
        if r < items.count, items[r].precedes(items[m]) { m = r }
        if m == i { break }
        items.swapAt(i, m)
        i = m
      }
    }
    return top
  }
}
