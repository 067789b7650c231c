using Workbench.Operators.Rolling;

namespace Workbench.Operators.Detection;

/// <summary>
/// Two adjacent windows of <c>w</c> present values each: the right one holds the newest w values (the current one
/// included), the left one the w values before them. Moments of both by sliding Welford (<see cref="RollingMoments"/>).
/// </summary>
internal sealed class AdjacentWindows(int window)
{
    private readonly double[] _right = new double[window];
    private int _next;
    private int _count;

    public RollingMoments Left { get; } = new(window);

    public RollingMoments Right { get; } = new(window);

    /// <summary>Whether both windows are full (2w values seen).</summary>
    public bool IsFull => Left.IsFull;

    public void Add(double x)
    {
        if (_count == _right.Length)
        {
            Left.Add(_right[_next]);
        }
        else
        {
            _count++;
        }

        Right.Add(x);
        _right[_next] = x;
        _next = _next + 1 == _right.Length ? 0 : _next + 1;
    }
}
