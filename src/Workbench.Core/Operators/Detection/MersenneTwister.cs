namespace Workbench.Operators.Detection;

/// <summary>
/// MT19937 (Matsumoto and Nishimura 1998) seeded the way CPython's <c>random.seed(n)</c> seeds it for a
/// non-negative integer n (the key is n's 32-bit words, least significant first, fed to <c>init_by_array</c>), with
/// <see cref="NextDouble"/> = CPython's <c>random.random()</c> (53 bits from two 32-bit draws: (a·2²⁶ + b)/2⁵³ with
/// a = first >> 5, b = second >> 6). Same seed ⇒ the same stream as Python.
/// </summary>
internal sealed class MersenneTwister
{
    private const int N = 624;
    private const int M = 397;
    private const uint MatrixA = 0x9908b0df;
    private const uint UpperMask = 0x80000000;
    private const uint LowerMask = 0x7fffffff;

    private readonly uint[] _mt = new uint[N];
    private int _index;

    /// <summary>Seeded as <c>random.seed(seed)</c> in CPython (seed ≥ 0).</summary>
    public MersenneTwister(long seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seed);
        var low = (uint)(seed & 0xffffffff);
        var high = (uint)(seed >> 32);
        InitByArray(high == 0 ? [low] : [low, high]);
    }

    /// <summary>The next 32-bit output (<c>genrand_uint32</c>).</summary>
    public uint NextUInt32()
    {
        if (_index >= N)
        {
            Twist();
        }

        var y = _mt[_index++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >> 18;
        return y;
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits, as CPython's <c>random.random()</c>.</summary>
    public double NextDouble()
    {
        var a = NextUInt32() >> 5;
        var b = NextUInt32() >> 6;
        return ((a * 67108864.0) + b) * (1.0 / 9007199254740992.0);
    }

    private void InitGenrand(uint s)
    {
        _mt[0] = s;
        for (var i = 1; i < N; i++)
        {
            _mt[i] = (1812433253u * (_mt[i - 1] ^ (_mt[i - 1] >> 30))) + (uint)i;
        }

        _index = N;
    }

    private void InitByArray(uint[] key)
    {
        InitGenrand(19650218u);
        var i = 1;
        var j = 0;
        for (var k = Math.Max(N, key.Length); k > 0; k--)
        {
            _mt[i] = (_mt[i] ^ ((_mt[i - 1] ^ (_mt[i - 1] >> 30)) * 1664525u)) + key[j] + (uint)j;
            i++;
            j++;
            if (i >= N)
            {
                _mt[0] = _mt[N - 1];
                i = 1;
            }

            if (j >= key.Length)
            {
                j = 0;
            }
        }

        for (var k = N - 1; k > 0; k--)
        {
            _mt[i] = (_mt[i] ^ ((_mt[i - 1] ^ (_mt[i - 1] >> 30)) * 1566083941u)) - (uint)i;
            i++;
            if (i >= N)
            {
                _mt[0] = _mt[N - 1];
                i = 1;
            }
        }

        _mt[0] = 0x80000000u;
    }

    private void Twist()
    {
        for (var k = 0; k < N; k++)
        {
            var y = (_mt[k] & UpperMask) | (_mt[(k + 1) % N] & LowerMask);
            _mt[k] = _mt[(k + M) % N] ^ (y >> 1) ^ ((y & 1) != 0 ? MatrixA : 0u);
        }

        _index = 0;
    }
}
