using Workbench.Core;

namespace Workbench.Operators.Hygiene;

/// <summary>The result of a hygiene batch twin.</summary>
/// <param name="Output">The observations passed on, in output order.</param>
/// <param name="Report">The final report (identical to the streaming operator's final report).</param>
/// <param name="Late">Late events (for <see cref="HygieneBatch.Reorder"/>; empty otherwise), in arrival order.</param>
public sealed record HygieneResult(IReadOnlyList<LabeledObservation> Output, HygieneReport Report, IReadOnlyList<LabeledObservation> Late);

/// <summary>
/// The array twins of <see cref="HygieneObservable"/>: the same kernels over a list, same output, same final report.
/// Bad input under a Throw policy or an ordering violation throws the same <see cref="ObservationException"/>.
/// </summary>
public static class HygieneBatch
{
    /// <summary>Batch twin of <see cref="HygieneObservable.Validate(IObservable{RawObservation}, ValidationOptions, IObserver{HygieneReport}?, long)"/>.</summary>
    public static HygieneResult Validate(IReadOnlyList<RawObservation> input, ValidationOptions options)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var (ledger, output) = Start("validate");
        var validator = new Validator(options, ledger, output.Add);
        for (var i = 0; i < input.Count; i++)
        {
            var r = input[i];
            validator.Process(r.Series, r.Timestamp, r.Value, r.Label);
        }

        return new HygieneResult(output, ledger.Snapshot(true), []);
    }

    /// <summary>Batch twin of <see cref="HygieneObservable.Validate(IObservable{LabeledObservation}, ValidationOptions, IObserver{HygieneReport}?, long)"/>.</summary>
    public static HygieneResult Validate(IReadOnlyList<LabeledObservation> input, ValidationOptions options)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var (ledger, output) = Start("validate");
        var validator = new Validator(options, ledger, output.Add);
        for (var i = 0; i < input.Count; i++)
        {
            var o = input[i];
            validator.Process(o.Series, o.Timestamp, o.Value, o.Label);
        }

        return new HygieneResult(output, ledger.Snapshot(true), []);
    }

    /// <summary>Batch twin of <see cref="HygieneObservable.Deduplicate"/>.</summary>
    public static HygieneResult Deduplicate(IReadOnlyList<LabeledObservation> input, DeduplicateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        options ??= new DeduplicateOptions();
        options.Validate();
        var (ledger, output) = Start("deduplicate");
        var dedup = new Deduplicator(options, ledger, output.Add);
        for (var i = 0; i < input.Count; i++)
        {
            dedup.Process(input[i]);
        }

        dedup.Release();
        return new HygieneResult(output, ledger.Snapshot(true), []);
    }

    /// <summary>Batch twin of <see cref="HygieneObservable.Reorder"/>; late events are returned in <see cref="HygieneResult.Late"/>.</summary>
    public static HygieneResult Reorder(IReadOnlyList<LabeledObservation> input, ReorderOptions options)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var (ledger, output) = Start("reorder");
        var late = new List<LabeledObservation>();
        var reorder = new Reorderer(options, ledger, output.Add, late.Add);
        for (var i = 0; i < input.Count; i++)
        {
            reorder.Process(input[i]);
        }

        reorder.Flush();
        return new HygieneResult(output, ledger.Snapshot(true), late);
    }

    /// <summary>Batch twin of <see cref="HygieneObservable.DetectGaps"/>.</summary>
    public static GapEvent[] DetectGaps(IReadOnlyList<LabeledObservation> input, GapOptions options)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var gaps = new List<GapEvent>();
        var tracker = new GapTracker(options, new HygieneLedger("detect-gaps"), gaps.Add, null, fill: false);
        for (var i = 0; i < input.Count; i++)
        {
            tracker.Process(input[i]);
        }

        return [.. gaps];
    }

    /// <summary>Batch twin of <see cref="HygieneObservable.FillGaps"/>.</summary>
    public static HygieneResult FillGaps(IReadOnlyList<LabeledObservation> input, GapOptions options)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var (ledger, output) = Start("fill-gaps");
        var tracker = new GapTracker(options, ledger, null, output.Add, fill: true);
        for (var i = 0; i < input.Count; i++)
        {
            tracker.Process(input[i]);
        }

        return new HygieneResult(output, ledger.Snapshot(true), []);
    }

    private static (HygieneLedger Ledger, List<LabeledObservation> Output) Start(string stage) => (new HygieneLedger(stage), []);
}
