using System.Numerics;
using System.Runtime.CompilerServices;

namespace Workbench.Generation;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014): a 64-bit counter with a bijective finaliser. Used to expand a seed into
/// the xoshiro state and to derive independent stream keys; specified here so every stream is stable across
/// .NET versions.
/// </summary>
internal static class SplitMix64
{
    /// <summary>The golden-ratio increment (2^64 / φ, odd).</summary>
    public const ulong Gamma = 0x9E3779B97F4A7C15UL;

    /// <summary>Advances <paramref name="state"/> by <see cref="Gamma"/> and returns the mixed value.</summary>
    public static ulong Next(ref ulong state)
    {
        state += Gamma;
        return Mix(state);
    }

    /// <summary>The SplitMix64 finaliser: a bijection of 64-bit words with good avalanche.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>
    /// The key of stream <paramref name="stream"/> in domain <paramref name="domain"/> under <paramref name="seed"/>:
    /// <c>Mix(Mix(seed ^ domain) + (stream + 1) · Gamma)</c>.
    /// </summary>
    public static ulong StreamKey(ulong seed, ulong domain, ulong stream) =>
        Mix(Mix(seed ^ domain) + unchecked((stream + 1) * Gamma));
}

/// <summary>
/// The generator's pseudo-random source: xoshiro256** 1.0 (Blackman and Vigna 2018) seeded by SplitMix64, with
/// doubles from the top 53 bits, unbiased bounded integers by Lemire's multiply-shift rejection, and standard
/// normals by Marsaglia's polar method (the second value of each pair is kept for the next call).
/// The integer stream is fully specified and identical on every platform and .NET version; the normals use only
/// <see cref="Math.Sqrt"/> (correctly rounded) and <see cref="Math.Log(double)"/>.
/// A mutable struct: keep it in a field or array element and pass it by <c>ref</c>; a copy forks the stream.
/// </summary>
internal struct Xoshiro256StarStar
{
    /// <summary>Domain tag of the dataset planner's stream.</summary>
    public const ulong PlanDomain = 0x706C616E_00000001UL;

    /// <summary>Domain tag of the per-series signal streams.</summary>
    public const ulong SeriesDomain = 0x73657269_00000002UL;

    /// <summary>Domain tag of the per-series, per-injection streams of the Rx and array injectors.</summary>
    public const ulong InjectionDomain = 0x696E6A65_00000003UL;

    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    /// <summary>Seeds the four state words with four consecutive SplitMix64 outputs from <paramref name="key"/>.</summary>
    public Xoshiro256StarStar(ulong key)
    {
        var sm = key;
        _s0 = SplitMix64.Next(ref sm);
        _s1 = SplitMix64.Next(ref sm);
        _s2 = SplitMix64.Next(ref sm);
        _s3 = SplitMix64.Next(ref sm);
        if ((_s0 | _s1 | _s2 | _s3) == 0)
        {
            _s0 = SplitMix64.Gamma; // the all-zero state is the one fixed point of xoshiro
        }

        // Initialise the ziggurat tables before NextGaussian is first compiled (fully optimised from its first call),
        // so the JIT can embed the tables' addresses instead of checking class initialisation on every call.
        _ = ZigguratTables.X.Length;
    }

    /// <summary>The generator of stream <paramref name="stream"/> in <paramref name="domain"/> under <paramref name="seed"/>.</summary>
    public static Xoshiro256StarStar ForStream(ulong seed, ulong domain, ulong stream) =>
        new(SplitMix64.StreamKey(seed, domain, stream));

    /// <summary>The next 64 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        // Work on locals so the state stays in registers (in-place xors would chain store-to-load forwarding).
        var s0 = _s0;
        var s1 = _s1;
        var s2 = _s2;
        var s3 = _s3;
        var result = BitOperations.RotateLeft(s1 * 5, 7) * 9;
        var t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = BitOperations.RotateLeft(s3, 45);
        _s0 = s0;
        _s1 = s1;
        _s2 = s2;
        _s3 = s3;
        return result;
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform double in [min, max); exactly <paramref name="min"/> when the bounds are equal (no draw).</summary>
    public double NextDouble(double min, double max) => min == max ? min : min + ((max - min) * NextDouble());

    /// <summary>A uniform integer in [min, max] (Lemire's unbiased method); no draw when the bounds are equal.</summary>
    public long NextInt64(long minInclusive, long maxInclusive)
    {
        if (minInclusive == maxInclusive)
        {
            return minInclusive;
        }

        var range = unchecked((ulong)(maxInclusive - minInclusive) + 1);
        if (range == 0)
        {
            return unchecked((long)NextUInt64()); // the full 64-bit range
        }

        var high = Math.BigMul(NextUInt64(), range, out var low);
        if (low < range)
        {
            var threshold = unchecked(0 - range) % range;
            while (low < threshold)
            {
                high = Math.BigMul(NextUInt64(), range, out low);
            }
        }

        return unchecked(minInclusive + (long)high);
    }

    /// <summary>A uniform integer in [min, max].</summary>
    public int NextInt32(int minInclusive, int maxInclusive) => (int)NextInt64(minInclusive, maxInclusive);

    /// <summary>A fair coin: true with probability ½ (the top bit of one draw).</summary>
    public bool NextBool() => (NextUInt64() >> 63) != 0;

    /// <summary>A uniform double in (0, 1] with 53 random bits (never 0, so its logarithm is finite).</summary>
    public double NextDoubleNonZero() => ((NextUInt64() >> 11) + 1) * (1.0 / (1UL << 53));

    /// <summary>A standard normal N(0, 1) by the ziggurat method (rare cases in <see cref="NextGaussianSlow"/>).</summary>
    /// <remarks>Compiled fully optimised from the first call: it is the generator's hottest method, and a short
    /// command-line run would otherwise spend much of its time in unoptimised tier-0 code.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double NextGaussian()
    {
        var bits = NextUInt64();
        var i = (int)(bits & 0xFF);
        var u = (2.0 * ((bits >> 11) * (1.0 / (1UL << 53)))) - 1.0;
        var candidate = u * ZigguratTables.X[i];
        return Math.Abs(candidate) < ZigguratTables.X[i + 1] ? candidate : NextGaussianSlow(i, u, candidate);
    }

    /// <summary>
    /// The ziggurat's rare path for a candidate outside its layer's inner rectangle: the tail (layer 0) or the wedge
    /// test, then fresh draws until one is accepted.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private double NextGaussianSlow(int i, double u, double candidate)
    {
        var x = ZigguratTables.X;
        var f = ZigguratTables.F;
        while (true)
        {
            if (i == 0)
            {
                return Tail(u < 0);
            }

            if (f[i + 1] + ((f[i] - f[i + 1]) * NextDouble()) < Math.Exp(-0.5 * candidate * candidate))
            {
                return candidate;
            }

            var bits = NextUInt64();
            i = (int)(bits & 0xFF);
            u = (2.0 * ((bits >> 11) * (1.0 / (1UL << 53)))) - 1.0;
            candidate = u * x[i];
            if (Math.Abs(candidate) < x[i + 1])
            {
                return candidate;
            }
        }
    }

    /// <summary>A draw from the normal tail beyond ±R (Marsaglia's exponential rejection).</summary>
    private double Tail(bool negative)
    {
        double x, y;
        do
        {
            x = Math.Log(NextDoubleNonZero()) / ZigguratTables.R;
            y = Math.Log(NextDoubleNonZero());
        }
        while (-2.0 * y < x * x);

        return negative ? x - ZigguratTables.R : ZigguratTables.R - x;
    }
}
