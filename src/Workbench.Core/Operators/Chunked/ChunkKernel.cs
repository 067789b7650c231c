using System.Globalization;
using System.Reactive.Linq;
using Workbench.Core;
using Workbench.Replay;

namespace Workbench.Operators.Chunked;

/// <summary>
/// What a chunk-aware operator needs from an operator's kernel: fresh state for one series, and one step. The same
/// kernels the per-event operators and the array twins use sit behind it; the adapters are structs, so the generic
/// <see cref="ChunkOperator{TKernel, TState, TResult}"/> is specialised per kernel type and the step is a direct call.
/// </summary>
internal interface IChunkKernel<TState, TResult>
    where TState : class
{
    /// <summary>Fresh state for <paramref name="series"/>.</summary>
    TState Create(string series);

    /// <summary>The next row of the series of <paramref name="state"/>; returns what the per-event operator emits for it.</summary>
    TResult Next(TState state, DateTime timestamp, double? value);
}

/// <summary>The chunk-aware operator over any <see cref="IChunkKernel{TState, TResult}"/>: configuration only; state is per subscription.</summary>
internal static class ChunkOperator
{
    public static IObservable<ResultChunk<TResult>> Create<TKernel, TState, TResult>(IObservable<ObservationBatch> source, TKernel kernel)
        where TKernel : struct, IChunkKernel<TState, TResult>
        where TState : class =>
        Observable.Create<ResultChunk<TResult>>(observer => source.Subscribe(new ChunkOperator<TKernel, TState, TResult>(observer, kernel)));
}

/// <summary>
/// One subscription of a chunk-aware operator: runs the kernel over every row of a chunk (state per series, looked up
/// by the chunk's series id, keyed by series name so several series tables may follow each other) and emits one
/// <see cref="ResultChunk{TResult}"/> per non-empty input chunk. A kernel exception on row k emits rows 0..k−1 first,
/// then OnError — the prefix the per-event operator emits before the same error.
/// </summary>
internal sealed class ChunkOperator<TKernel, TState, TResult>(IObserver<ResultChunk<TResult>> downstream, TKernel kernel) : IObserver<ObservationBatch>
    where TKernel : struct, IChunkKernel<TState, TResult>
    where TState : class
{
    private readonly ResultChunk<TResult> _output = new();
    private readonly Dictionary<string, TState> _states = new(StringComparer.Ordinal);
    private TKernel _kernel = kernel;
    private IReadOnlyList<string>? _table;
    private TState?[] _byId = [];
    private bool _stopped;

    public void OnNext(ObservationBatch value)
    {
        if (_stopped)
        {
            return;
        }

        var n = value.Count;
        if (n == 0)
        {
            return;
        }

        if (!ReferenceEquals(value.SeriesNames, _table))
        {
            _table = value.SeriesNames;
            Array.Clear(_byId);
        }

        var results = _output.Buffer(n);
        var ids = value.SeriesIds;
        var timestamps = value.Timestamps;
        var values = value.Values;
        var byId = _byId;
        var i = 0;
        Exception? error = null;
        try
        {
            for (; i < n; i++)
            {
                var id = ids[i];
                var state = (uint)id < (uint)byId.Length ? byId[id] : null;
                if (state is null)
                {
                    state = Resolve(id);
                    byId = _byId;
                }

                results[i] = _kernel.Next(state, timestamps[i], values[i]);
            }
        }
#pragma warning disable CA1031 // A kernel failure ends the stream with OnError, as in the per-event operators.
        catch (Exception e)
#pragma warning restore CA1031
        {
            error = e;
        }

        if (i > 0)
        {
            _output.Set(value, i);
            downstream.OnNext(_output);
        }

        if (error is not null)
        {
            _stopped = true;
            downstream.OnError(error);
        }
    }

    public void OnError(Exception error)
    {
        if (!_stopped)
        {
            _stopped = true;
            downstream.OnError(error);
        }
    }

    public void OnCompleted()
    {
        if (!_stopped)
        {
            _stopped = true;
            downstream.OnCompleted();
        }
    }

    private TState Resolve(int id)
    {
        var names = _table!;
        if ((uint)id >= (uint)names.Count)
        {
            throw new ReplaySourceException(
                string.Create(CultureInfo.InvariantCulture, $"A chunk row has series id {id}, outside the chunk's series table of {names.Count} names."),
                null, -1, null);
        }

        if (id >= _byId.Length)
        {
            Array.Resize(ref _byId, Math.Max(id + 1, names.Count));
        }

        var name = names[id];
        if (!_states.TryGetValue(name, out var state))
        {
            state = _kernel.Create(name);
            _states.Add(name, state);
        }

        _byId[id] = state;
        return state;
    }
}
