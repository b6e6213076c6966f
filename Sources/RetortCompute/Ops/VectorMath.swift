// SIMD transcendental functions for kernels (16 lanes), each next to the
// scalar function tests compare it with (Foundation's).
//
// exp: x = n ln2 + r with |r| <= ln2/2 (Cody-Waite split of ln2), e^r by a
// degree-7 Taylor polynomial (truncation error < 1e-8 relative on the
// reduced range, so results are within ~2 ulp of expf), scaled by 2^n
// built in the exponent bits. Inputs below -87.3 give 0, above 88.7 give inf.

import Foundation

typealias V16 = SIMD16<Float>

// Transparent: @inline(__always) left it out of line in the row kernels,
// where passing 16 lanes through memory cost more than the polynomial.
@_transparent
func vexp(_ x: V16) -> V16 {
  // Only plain arithmetic, min/max and bit casts: generic SIMD conversions
  // and rounding are not inlined by the compiler and would dominate.
  let xc = vmin(vmax(x, V16(repeating: -87.3)), V16(repeating: 88.7))
  // Round x * log2(e) to the nearest integer by adding 1.5 * 2^23.
  let t = V16(repeating: 12_582_912).addingProduct(xc, V16(repeating: 1.442_695_04))
  let n = t - 12_582_912
  let ni = unsafeBitCast(t, to: SIMD16<Int32>.self) &- 0x4B40_0000
  var r = xc.addingProduct(n, V16(repeating: -0.693_145_751_953_125))
  r = r.addingProduct(n, V16(repeating: -1.428_606_765_330_187e-06))
  var p = V16(repeating: 1.0 / 5040)
  p = V16(repeating: 1.0 / 720).addingProduct(p, r)
  p = V16(repeating: 1.0 / 120).addingProduct(p, r)
  p = V16(repeating: 1.0 / 24).addingProduct(p, r)
  p = V16(repeating: 1.0 / 6).addingProduct(p, r)
  p = V16(repeating: 0.5).addingProduct(p, r)
  p = V16(repeating: 1).addingProduct(p, r)
  p = V16(repeating: 1).addingProduct(p, r)
  // 2^n for n in [-126, 128): split as 2^(n/2) * 2^(n - n/2) so n = 128 (x near 88.7) stays finite.
  let h = ni &>> 1
  let s1 = unsafeBitCast((h &+ 127) &<< 23, to: V16.self)
  let s2 = unsafeBitCast((ni &- h &+ 127) &<< 23, to: V16.self)
  var y = p * s1 * s2
  y.replace(with: 0, where: x .< -87.3)
  y.replace(with: .infinity, where: x .> 88.7)
  y.replace(with: .nan, where: x .!= x)
  return y
}

/// Scalar reference for `vexp`.
@inline(__always)
func sexp(_ x: Float) -> Float { Foundation.exp(x) }

/// SIMD sigmoid 1 / (1 + e^-x).
@inline(__always)
func vsigmoid(_ x: V16) -> V16 { 1 / (1 + vexp(-x)) }

/// SIMD tanh via 1 - 2 / (e^{2x} + 1) (absolute error ~1e-7).
@inline(__always)
func vtanh(_ x: V16) -> V16 { 1 - 2 / (vexp(x + x) + 1) }

/// sqrt(2/pi) for the tanh form of GELU.
let geluC: Float = 0.797_884_560_802_865_4

/// SIMD GELU, tanh form: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
@inline(__always)
func vgelu(_ x: V16) -> V16 {
  let u = geluC * (x + 0.044715 * x * x * x)
  return 0.5 * x * (1 + vtanh(u))
}

/// Scalar reference GELU (tanh form).
@inline(__always)
func sgelu(_ x: Float) -> Float {
  0.5 * x * (1 + Foundation.tanh(geluC * (x + 0.044715 * x * x * x)))
}

/// SIMD |x| (clears the sign bit).
@inline(__always)
func vabs(_ x: V16) -> V16 {
  unsafeBitCast(unsafeBitCast(x, to: SIMD16<UInt32>.self) & 0x7FFF_FFFF, to: V16.self)
}

/// Lane-wise maximum as compare + blend (the stdlib's `pointwiseMax` is a
/// per-lane loop with NaN handling that does not vectorize).
@inline(__always)
func vmax(_ a: V16, _ b: V16) -> V16 { a.replacing(with: b, where: b .> a) }

/// The largest lane, by halving (SIMD's own max() reduces lane by lane in
/// scalar code). With a NaN lane the result is some lane's value; between
/// +0 and -0 either may win (the row kernels only shift by it, where a
/// tie of zeros gives the same exponentials).
@inline(__always)
func maxLane(_ v: V16) -> Float {
  let a = v.lowHalf.replacing(with: v.highHalf, where: v.highHalf .> v.lowHalf)
  let b = a.lowHalf.replacing(with: a.highHalf, where: a.highHalf .> a.lowHalf)
  let c = b.lowHalf.replacing(with: b.highHalf, where: b.highHalf .> b.lowHalf)
  return c[1] > c[0] ? c[1] : c[0]
}

/// Lane-wise minimum as compare + blend.
@inline(__always)
func vmin(_ a: V16, _ b: V16) -> V16 { a.replacing(with: b, where: b .< a) }
