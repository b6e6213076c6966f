// Quantized row . int8-activation dot products with AVX2's u8 x i8
// multiply-add (vpmaddubsw), as llama.cpp does, plus the plain scalar
// reference they are tested against. Used for single-token decoding.

#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

enum QuantDotAVX2 {
  /// Whether the fast kernels are compiled in (x86-64 builds target Haswell).
  static var available: Bool {
    #if arch(x86_64)
    return true
    #else
    return false
    #endif
  }

  @inline(__always) static func f16(_ p: UnsafeRawPointer) -> Float {
    Float(Float16(bitPattern: p.loadUnaligned(as: UInt16.self)))
  }

  #if arch(x86_64)
  @inline(__always) static func hsum(_ v: __m256) -> Float {
    unsafeBitCast(v, to: SIMD8<Float>.self).sum()
  }

  /// Q4_0 / Q4_1 row (nb blocks at `row`) . activations.
  @inline(__always)
  static func q4(_ row: UnsafeRawPointer, _ nb: Int, _ a: Q8Vector, hasMin: Bool) -> Float {
    let bytes = hasMin ? 20 : 18, qOff = hasMin ? 4 : 2
    let mask = _mm256_set1_epi8(0x0F), ones = _mm256_set1_epi16(1)
    var acc = _mm256_setzero_ps()
    var extra: Float = 0
    let av = a.values, sc = a.scales, su = a.sums, ss = a.scaledSums
    for b in 0..<nb {
      let p = row + b * bytes
      let q = _mm_loadu_si128((p + qOff).assumingMemoryBound(to: __m128i_u.self))
      let w = _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(q, 4), q), mask)
      let x = _mm256_loadu_si256(UnsafeRawPointer(av + b * 32).assumingMemoryBound(to: __m256i_u.self))
      let s32 = _mm256_madd_epi16(_mm256_maddubs_epi16(w, x), ones)
      let d = f16(p) * sc[b]
      acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(s32), _mm256_set1_ps(d), acc)
      extra += hasMin ? f16(p + 2) * ss[b] : -8 * d * su[b]
    }
    return hsum(acc) + extra
  }

  /// Q8_0 row . activations (sign trick: |w| as u8 times sign(w) * a).
  @inline(__always)
  static func q8_0(_ row: UnsafeRawPointer, _ nb: Int, _ a: Q8Vector) -> Float {
    let ones = _mm256_set1_epi16(1)
    var acc = _mm256_setzero_ps()
    let av = a.values, sc = a.scales
    for b in 0..<nb {
      let p = row + b * 34
      let w = _mm256_loadu_si256((p + 2).assumingMemoryBound(to: __m256i_u.self))
      let x = _mm256_loadu_si256(UnsafeRawPointer(av + b * 32).assumingMemoryBound(to: __m256i_u.self))
      let s32 = _mm256_madd_epi16(_mm256_maddubs_epi16(_mm256_sign_epi8(w, w), _mm256_sign_epi8(x, w)), ones)
      acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(s32), _mm256_set1_ps(f16(p) * sc[b]), acc)
    }
    return hsum(acc)
  }
  #endif

  /// The dot product of row `row` (GGUF layout of ggml type `kind`: 2 = Q4_0,
  /// 3 = Q4_1, 8 = Q8_0) with quantized activations; AVX2 where available.
  @inline(__always)
  static func dot(_ kind: UInt32, _ row: UnsafeRawPointer, _ nb: Int, _ a: Q8Vector) -> Float {
    #if arch(x86_64)
    switch kind {
    case 3: return q4(row, nb, a, hasMin: true)
    case 2: return q4(row, nb, a, hasMin: false)
    default: return q8_0(row, nb, a)
    }
    #else
    return Float(reference(GGMLType(rawValue: kind) ?? .q8_0, row, nb, a))
    #endif
  }

  /// Plain scalar reference: exact integer block sums, combined in double.
  static func reference(_ type: GGMLType, _ row: UnsafeRawPointer, _ nb: Int, _ a: Q8Vector) -> Double {
    var total = 0.0
    for b in 0..<nb {
      let p = row + b * type.blockBytes
      let d = Double(f16(p)), da = Double(a.scales[b])
      var isum = 0
      for i in 0..<32 {
        let x = Int(a.values[b * 32 + i])
        let w: Int
        switch type {
        case .q8_0: w = Int(p.load(fromByteOffset: 2 + i, as: Int8.self))
        default:
          let byte = p.load(fromByteOffset: (type == .q4_1 ? 4 : 2) + i % 16, as: UInt8.self)
          w = Int(i < 16 ? byte & 0x0F : byte >> 4) - (type == .q4_0 ? 8 : 0)
        }
        isum += w * x
      }
      total += d * da * Double(isum)
      if type == .q4_1 { total += Double(f16(p + 2)) * Double(a.scaledSums[b]) }
    }
    return total
  }
}
