namespace Workbench.Generation;

/// <summary>An inclusive integer range [<see cref="Min"/>, <see cref="Max"/>] a planner draws from uniformly; JSON <c>{"min": 1, "max": 3}</c>.</summary>
public readonly record struct IntRange(int Min, int Max)
{
    public override string ToString() => $"[{Min}, {Max}]";
}

/// <summary>A real range [<see cref="Min"/>, <see cref="Max"/>] a planner draws from uniformly (exactly <see cref="Min"/> when equal); JSON <c>{"min": 4, "max": 8}</c>.</summary>
public readonly record struct DoubleRange(double Min, double Max)
{
    public override string ToString() => $"[{Min}, {Max}]";
}
