using Workbench.Core;

namespace Workbench.Operators.Rolling;

/// <summary>
/// A configured rolling statistic or indicator: an immutable, validated options record that creates per-series
/// kernels. The Rx operator <see cref="RollingObservable.Rolling{TStat}"/> and the batch twin
/// <see cref="RollingBatch"/> both run it.
/// </summary>
/// <typeparam name="TStat">The statistic produced for one observation (a small value type).</typeparam>
public interface IRollingStatistic<TStat>
    where TStat : struct
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when an option is out of range.</summary>
    void Validate();

    /// <summary>Fresh state for one series (validates first).</summary>
    IRollingKernel<TStat> CreateKernel();
}

/// <summary>
/// The Rx-free state of a rolling statistic for one series, fed one value at a time in series order. Kernels do
/// not allocate per value.
/// </summary>
/// <typeparam name="TStat">The statistic type.</typeparam>
public interface IRollingKernel<TStat>
    where TStat : struct
{
    /// <summary>
    /// Takes the next value and returns the statistic after it, or null during warm-up. A missing value (null)
    /// always returns null and leaves the state unchanged (it neither enters nor evicts anything).
    /// </summary>
    TStat? Update(double? value);

    /// <summary>
    /// The batch twin of <see cref="Update"/>: must give exactly the results of calling it for each element in
    /// order (kernels override it only to go faster).
    /// </summary>
    void UpdateBatch(ReadOnlySpan<double?> values, Span<TStat?> results)
    {
        if (results.Length < values.Length)
        {
            throw new ArgumentException("results must be at least as long as values", nameof(results));
        }

        for (var i = 0; i < values.Length; i++)
        {
            results[i] = Update(values[i]);
        }
    }
}

/// <summary>What a rolling operator emits for an observation whose value is missing.</summary>
public enum MissingOutput
{
    /// <summary>Emit null for the missing observation (default). The state is unchanged either way.</summary>
    Null,

    /// <summary>Emit the last statistic emitted for the series (null if there is none yet).</summary>
    CarryLast,
}

/// <summary>One rolling-statistic output per input observation: the observation (label untouched) and the statistic.</summary>
/// <typeparam name="TStat">The statistic type.</typeparam>
/// <param name="Observation">The input, carried through unchanged.</param>
/// <param name="Stat">The statistic after this observation; null during warm-up and for a missing value (unless
/// <see cref="MissingOutput.CarryLast"/> is chosen).</param>
public readonly record struct RolledObservation<TStat>(LabeledObservation Observation, TStat? Stat)
    where TStat : struct;
