namespace Workbench.Operators.Forecasting;

/// <summary>
/// Least squares through the normal equations <c>(XᵀWX)θ = XᵀWy</c>, solved by a Cholesky factorisation that drops
/// (gives coefficient 0 to) a column whose part not explained by the earlier columns has squared norm below
/// 1e-12 of its own — e.g. the lag columns of a flat series, which are collinear with the intercept. The caller
/// centres the data so the normal equations stay well conditioned. Buffers are allocated once per instance.
/// </summary>
internal sealed class LeastSquares
{
    private const double DropTolerance = 1e-12;
    private readonly int _k;
    private readonly double[] _l;
    private readonly double[] _z;

    /// <summary>A solver for <paramref name="k"/> unknowns.</summary>
    public LeastSquares(int k)
    {
        _k = k;
        _l = new double[k * k];
        _z = new double[k];
        Gram = new double[k * k];
        Moment = new double[k];
        Kept = new bool[k];
    }

    /// <summary>XᵀWX, row-major k×k (only the lower triangle is read).</summary>
    public double[] Gram { get; }

    /// <summary>XᵀWy.</summary>
    public double[] Moment { get; }

    /// <summary>Which columns the last <see cref="Solve"/> kept.</summary>
    public bool[] Kept { get; }

    /// <summary>Number of columns the last <see cref="Solve"/> kept.</summary>
    public int Rank { get; private set; }

    /// <summary>Clears the accumulated sums.</summary>
    public void Clear()
    {
        Array.Clear(Gram);
        Array.Clear(Moment);
    }

    /// <summary>Multiplies the accumulated sums by <paramref name="factor"/> (exponential forgetting).</summary>
    public void Scale(double factor)
    {
        for (var i = 0; i < Gram.Length; i++)
        {
            Gram[i] *= factor;
        }

        for (var i = 0; i < _k; i++)
        {
            Moment[i] *= factor;
        }
    }

    /// <summary>Adds the row <paramref name="x"/> with target <paramref name="y"/> (weight 1).</summary>
    public void Add(ReadOnlySpan<double> x, double y)
    {
        for (var i = 0; i < _k; i++)
        {
            var xi = x[i];
            var row = i * _k;
            for (var j = 0; j <= i; j++)
            {
                Gram[row + j] += xi * x[j];
            }

            Moment[i] += xi * y;
        }
    }

    /// <summary>Solves for <paramref name="theta"/> (length k); returns false when every column is dropped.</summary>
    public bool Solve(Span<double> theta)
    {
        var k = _k;
        var l = _l;
        Array.Clear(l);
        Rank = 0;
        for (var j = 0; j < k; j++)
        {
            var ajj = Gram[(j * k) + j];
            var d = ajj;
            for (var m = 0; m < j; m++)
            {
                d -= l[(j * k) + m] * l[(j * k) + m];
            }

            if (!(ajj > 0) || !(d > DropTolerance * ajj))
            {
                Kept[j] = false;
                continue;
            }

            Kept[j] = true;
            Rank++;
            var ljj = Math.Sqrt(d);
            l[(j * k) + j] = ljj;
            for (var i = j + 1; i < k; i++)
            {
                var s = Gram[(i * k) + j];
                for (var m = 0; m < j; m++)
                {
                    s -= l[(i * k) + m] * l[(j * k) + m];
                }

                l[(i * k) + j] = s / ljj;
            }
        }

        if (Rank == 0)
        {
            return false;
        }

        for (var j = 0; j < k; j++)
        {
            if (!Kept[j])
            {
                _z[j] = 0;
                continue;
            }

            var s = Moment[j];
            for (var m = 0; m < j; m++)
            {
                s -= l[(j * k) + m] * _z[m];
            }

            _z[j] = s / l[(j * k) + j];
        }

        for (var j = k - 1; j >= 0; j--)
        {
            if (!Kept[j])
            {
                theta[j] = 0;
                continue;
            }

            var s = _z[j];
            for (var i = j + 1; i < k; i++)
            {
                s -= l[(i * k) + j] * theta[i];
            }

            theta[j] = s / l[(j * k) + j];
        }

        return true;
    }
}
