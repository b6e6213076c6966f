// 8x8 f32 block transpose for packing transposed GEMM operands (B = W^T in a
// linear layer's forward pass, K^T in attention scores). On x86-64 it is the
// classic unpack / 64-bit unpack / 128-bit lane swap sequence (24 shuffles for
// 64 elements); elsewhere a plain loop the compiler vectorises as it can.

#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// Writes the transpose of the 8x8 block at `src` (row stride `ld`) to `dst`
/// (row stride `ldd`): dst[i * ldd + j] = src[j * ld + i].
@inline(__always)
func transpose8x8(_ src: UnsafePointer<Float>, _ ld: Int, _ dst: UnsafeMutablePointer<Float>, _ ldd: Int) {
  #if arch(x86_64)
  let s = UnsafeRawPointer(src), o = UnsafeMutableRawPointer(dst)
  @inline(__always) func row(_ i: Int) -> __m256 { s.loadUnaligned(fromByteOffset: i * ld * 4, as: __m256.self) }
  @inline(__always) func pd(_ v: __m256) -> __m256d { unsafeBitCast(v, to: __m256d.self) }
  @inline(__always) func ps(_ v: __m256d) -> __m256 { unsafeBitCast(v, to: __m256.self) }
  let r0 = row(0), r1 = row(1), r2 = row(2), r3 = row(3), r4 = row(4), r5 = row(5), r6 = row(6), r7 = row(7)
  // Interleave pairs of rows, then pairs of pairs (as 64-bit lanes).
  let t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1)
  let t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3)
  let t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5)
  let t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7)
  let u0 = ps(_mm256_unpacklo_pd(pd(t0), pd(t2))), u1 = ps(_mm256_unpackhi_pd(pd(t0), pd(t2)))
  let u2 = ps(_mm256_unpacklo_pd(pd(t1), pd(t3))), u3 = ps(_mm256_unpackhi_pd(pd(t1), pd(t3)))
  let u4 = ps(_mm256_unpacklo_pd(pd(t4), pd(t6))), u5 = ps(_mm256_unpackhi_pd(pd(t4), pd(t6)))
  let u6 = ps(_mm256_unpacklo_pd(pd(t5), pd(t7))), u7 = ps(_mm256_unpackhi_pd(pd(t5), pd(t7)))
  // Low 128-bit halves give output rows 0-3, high halves rows 4-7.
  @inline(__always) func put(_ i: Int, _ v: SIMD8<Float>) { o.storeBytes(of: v, toByteOffset: i * ldd * 4, as: SIMD8<Float>.self) }
  put(0, SIMD8(lowHalf: u0.lowHalf, highHalf: u4.lowHalf)); put(4, SIMD8(lowHalf: u0.highHalf, highHalf: u4.highHalf))
  put(1, SIMD8(lowHalf: u1.lowHalf, highHalf: u5.lowHalf)); put(5, SIMD8(lowHalf: u1.highHalf, highHalf: u5.highHalf))
  put(2, SIMD8(lowHalf: u2.lowHalf, highHalf: u6.lowHalf)); put(6, SIMD8(lowHalf: u2.highHalf, highHalf: u6.highHalf))
  put(3, SIMD8(lowHalf: u3.lowHalf, highHalf: u7.lowHalf)); put(7, SIMD8(lowHalf: u3.highHalf, highHalf: u7.highHalf))
  #else
  for i in 0..<8 { for j in 0..<8 { dst[i * ldd + j] = src[j * ld + i] } }
  #endif
}
