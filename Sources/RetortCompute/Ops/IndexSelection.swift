// Resolving a subscript `t[i, a:b, [0, 2], mask]` against a tensor, as
// NumPy does: integers and slices ("basic" parts) give a strided view;
// index lists and bool masks ("advanced" parts; a mask stands for the lists
// of its true positions) are paired, broadcast together, and give the
// storage offsets of a copy. Errors name the axis of the tensor indexed.
//
// Integers are applied as basic indexing first (as PyTorch). NumPy instead
// counts an integer as a broadcast index list when lists are present, which
// moves the list dimensions to the front when a slice separates them from
// the integer (`a[0, :, [1, 2]]` has shape [2, 3] in NumPy, [3, 2] in
// PyTorch). Where the two rules would place the dimensions differently the
// subscript is refused rather than silently following one of them.

/// One component of a subscript.
public enum TensorIndex {
  /// An integer: picks one position and drops the axis.
  case at(Int)
  /// A slice `start:end:step` (Python semantics): keeps the axis.
  case range(Int?, Int?, Int)
  /// Integer positions along one axis, with the shape of the index list.
  case list([Int], shape: [Int])
  /// A bool tensor over as many axes as it has: picks the positions where it is true.
  case mask(Tensor)

  /// Whether this part is an index list or a mask.
  var isAdvanced: Bool {
    switch self {
    case .at, .range: return false
    case .list, .mask: return true
    }
  }

  /// Axes of the tensor this part consumes.
  var axesCovered: Int {
    if case .mask(let m) = self { return m.rank }
    return 1
  }
}

/// Where the elements of an advanced selection live: the result's shape and,
/// in its row-major order, storage offsets `pre[i] + rows[b] + post[j]` (the
/// sliced dimensions before the list dimensions, the broadcast list
/// positions, the dimensions after them).
struct IndexSelection {
  let shape: [Int]
  let pre: [Int]
  let rows: [Int]
  let post: [Int]

  /// Calls `body` with each element's storage offset in row-major result order.
  func forEachOffset(_ body: (Int) -> Void) {
    for p in pre { for r in rows { for q in post { body(p + r + q) } } }
  }
}

/// An index list (or one axis of a mask) with the axis of the view it indexes.
private struct AdvancedPart {
  let axis: Int
  let indices: [Int]
  let shape: [Int]
}

extension Tensor {
  /// Applies the integers and slices as views and collects the advanced
  /// parts, their indices checked and made non-negative.
  private func resolveParts(_ parts: [TensorIndex]) throws -> (Tensor, [AdvancedPart]) {
    let used = parts.reduce(0) { $0 + $1.axesCovered }
    guard used <= rank else {
      throw ComputeError("index: too many indices for a tensor of shape \(shapeString(shape)): \(used) axes indexed, it has \(rank)")
    }
    var view = self
    var axis = 0, viewAxis = 0  // the axis of self, and of the view, that the next part indexes
    var advanced: [AdvancedPart] = []
    for part in parts {
      switch part {
      case .at(let i):
        view = try view.select(try checkedIndex(i, axis: axis, op: "index"), axis: viewAxis)
      case .range(let a, let b, let step):
        view = try view.slice(axis: viewAxis, start: a, end: b, step: step)
        viewAxis += 1
      case .list(let indices, let s):
        guard s.reduce(1, *) == indices.count else {
          throw ComputeError("index: \(indices.count) indices do not fill index shape \(shapeString(s))")
        }
        let checked = try indices.map { try checkedIndex($0, axis: axis, op: "index") }
        advanced.append(AdvancedPart(axis: viewAxis, indices: checked, shape: s))
        viewAxis += 1
      case .mask(let m):
        guard m.rank >= 1 else {
          throw ComputeError("index: a 0-d bool tensor is not a mask; a mask has the shape of the axes it selects")
        }
        let dims = Array(shape[axis..<(axis + m.rank)])
        guard m.shape == dims else {
          let axes = m.rank == 1 ? "axis \(axis)" : "axes \(axis) to \(axis + m.rank - 1)"
          throw ComputeError("index: a bool mask of shape \(shapeString(m.shape)) does not match \(axes) of a tensor of shape "
                             + "\(shapeString(shape)) (sizes \(shapeString(dims))); a mask has the shape of the axes it selects")
        }
        for (d, coords) in m.truePositions().enumerated() {
          advanced.append(AdvancedPart(axis: viewAxis + d, indices: coords, shape: [coords.count]))
        }
        viewAxis += m.rank
      }
      axis += part.axesCovered
    }
    return (view, advanced)
  }

  /// The view selected by a subscript of integers and slices only.
  func basicView(_ parts: [TensorIndex]) throws -> Tensor { try resolveParts(parts).0 }

  /// The advanced selection of a subscript with at least one index list or
  /// mask, as storage offsets into this tensor's storage; nil if there is none.
  func selection(_ parts: [TensorIndex]) throws -> IndexSelection? {
    let (view, advanced) = try Tensor.noGrad { try resolveParts(parts) }
    guard !advanced.isEmpty else { return nil }
    let place = try listPlacement(parts, advanced.map(\.axis))
    var batch: [Int] = []
    for a in advanced { batch = try Tensor.broadcastShape(batch, a.shape, op: "index lists") }
    let n = try Tensor.checkedCount(batch, what: "index")
    let listed = Set(advanced.map(\.axis))
    let rest = (0..<view.rank).filter { !listed.contains($0) }
    let before = Array(rest[..<place]), after = Array(rest[place...])
    let shape = before.map { view.shape[$0] } + batch + after.map { view.shape[$0] }
    _ = try Tensor.checkedCount(shape, what: "index")
    // The offset tables (rows and one broadcast list at a time) must fit in memory.
    try Memory.check(count: n, elementSize: 2 * MemoryLayout<Int>.size, what: "index")
    var rows = [Int](repeating: view.offset, count: n)
    for a in advanced {
      let stride = view.strides[a.axis]
      let spread = Tensor.offsets(batch, strides: Tensor.broadcastStrides(a.shape, to: batch))
      for k in 0..<n { rows[k] += a.indices[spread[k]] * stride }
    }
    return IndexSelection(shape: shape,
                          pre: Tensor.offsets(before.map { view.shape[$0] }, strides: before.map { view.strides[$0] }),
                          rows: rows,
                          post: Tensor.offsets(after.map { view.shape[$0] }, strides: after.map { view.strides[$0] }))
  }

  /// How many sliced dimensions come before the list dimensions: all of
  /// them when the lists index neighbouring axes, none otherwise (NumPy's and
  /// PyTorch's rule); an error where NumPy's counting of integers as lists
  /// would place them differently.
  private func listPlacement(_ parts: [TensorIndex], _ listAxes: [Int]) throws -> Int {
    let together = zip(listAxes, listAxes.dropFirst()).allSatisfy { $1 == $0 + 1 }
    let place = together ? listAxes[0] : 0
    let numpyLists = parts.indices.filter { if case .range = parts[$0] { return false } else { return true } }
    guard let lo = numpyLists.first, let hi = numpyLists.last else { return place }
    let numpyPlace = hi - lo + 1 == numpyLists.count ? parts[..<lo].count : 0
    guard numpyPlace == place else {
      throw ComputeError("index: an integer index and an index list separated by a slice are ambiguous: NumPy puts the list's "
                         + "dimensions first, PyTorch keeps them in place; index in two steps instead, such as t[0][:, [1, 2]]")
    }
    return place
  }

  /// For each axis of a bool tensor, the coordinates of its true elements in row-major order.
  func truePositions() -> [[Int]] {
    let values = toArray()
    var coords = [[Int]](repeating: [], count: rank)
    let strides = Tensor.rowMajorStrides(shape)
    for (flat, v) in values.enumerated() where v != 0 {
      var rem = flat
      for d in 0..<rank { coords[d].append(rem / strides[d]); rem %= strides[d] }
    }
    return coords
  }

  /// Strides that read a row-major array of `shape` broadcast to `target` (0 on broadcast axes).
  static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
    let own = rowMajorStrides(shape)
    var out = [Int](repeating: 0, count: target.count)
    for i in 0..<shape.count where shape[i] != 1 { out[i + target.count - shape.count] = own[i] }
    return out
  }

  /// Offsets `sum(index[d] * strides[d])` of every position of `shape`, in row-major order.
  static func offsets(_ shape: [Int], strides: [Int]) -> [Int] {
    var out = [0]
    for (size, stride) in zip(shape, strides) {
      var next: [Int] = []
      next.reserveCapacity(out.count * size)
      for o in out { for i in 0..<size { next.append(o + i * stride) } }
      out = next
    }
    return out
  }
}
