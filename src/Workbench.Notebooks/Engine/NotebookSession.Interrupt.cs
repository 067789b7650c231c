using Microsoft.CodeAnalysis.Scripting;

namespace Workbench.Notebooks;

/// <summary>Why a running cell was asked to stop.</summary>
internal enum StopReason
{
    Interrupt,
    Cancel,
    Timeout,
}

public sealed partial class NotebookSession
{
    /// <summary>How long a stopped cell may take to stop before its thread is interrupted (a blocking wait or sleep).</summary>
    internal static readonly TimeSpan FirstGrace = TimeSpan.FromSeconds(1);

    /// <summary>How much longer it may take after that before the session gives it up and is broken.</summary>
    internal static readonly TimeSpan SecondGrace = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Stops the running cell, like Ctrl+C in a terminal or "Interrupt kernel" in Jupyter; thread-safe, callable from any
    /// thread; a no-op when no cell runs. The cell's interrupt checks throw <see cref="CellInterruptedException"/> (at the
    /// next loop iteration or function entry, so even <c>while (true) {}</c> stops at once), and
    /// <see cref="NotebookGlobals.CancellationToken"/> and the token given to <see cref="CellExecutionOptions.ReadInput"/>
    /// are cancelled. If the cell has not stopped 1 s later (measured on <see cref="NotebookSessionOptions.Clock"/>) and is
    /// still in its first synchronous stretch (e.g. in <c>Thread.Sleep</c> or a blocking wait), its thread is interrupted
    /// (<see cref="Thread.Interrupt"/>). The cell then ends with <see cref="CellStatus.Interrupted"/> and variables assigned
    /// before keep their values; if it has still not stopped 2 s after the request, the session is broken.
    /// </summary>
    public void Interrupt() => Volatile.Read(ref _running)?.Request(StopReason.Interrupt);

    private static bool IsStopException(Exception e) => Unwrap(e) switch
    {
        OperationCanceledException or ThreadInterruptedException => true,
        AggregateException a => a.Flatten().InnerExceptions.All(i => i is OperationCanceledException or ThreadInterruptedException),
        _ => false,
    };

    /// <summary>Waits for the cell; once it is asked to stop, for at most the two grace periods. Returns why it was asked to stop.</summary>
    private async Task<StopReason?> WaitForStopAsync(Task run, RunningCell running)
    {
        await Task.WhenAny(run, running.Stopping).ConfigureAwait(false);
        if (run.IsCompleted)
        {
            return running.Reason;
        }

        var reason = running.Reason;
        if (!await FinishesWithinAsync(run, FirstGrace).ConfigureAwait(false))
        {
            running.InterruptThread();
            await FinishesWithinAsync(run, SecondGrace).ConfigureAwait(false);
        }

        return reason;
    }

    private async Task<bool> FinishesWithinAsync(Task run, TimeSpan grace)
    {
        using var cancelDelay = new CancellationTokenSource();
        var delay = Task.Delay(grace, _options.Clock, cancelDelay.Token);
        await Task.WhenAny(run, delay).ConfigureAwait(false);
        await cancelDelay.CancelAsync().ConfigureAwait(false);
        return run.IsCompleted;
    }

    private (CellStatus, ErrorOutput) StopResult(StopReason reason, CellPosition? position, bool stopped)
    {
        var (status, ename, evalue) = reason switch
        {
            StopReason.Timeout => (CellStatus.TimedOut, "TimeoutError", $"the cell did not finish within the timeout of {_options.CellTimeout!.Value.TotalSeconds:0.###} s"),
            StopReason.Cancel => (CellStatus.Cancelled, "OperationCanceledException", "the cell was cancelled"),
            _ => (CellStatus.Interrupted, nameof(CellInterruptedException), "the cell was interrupted"),
        };
        if (!stopped)
        {
            evalue += $" and did not stop within {(FirstGrace + SecondGrace).TotalSeconds:0.###} s (blocked in code without interrupt checks?); the session is broken";
        }

        List<string> traceback = [evalue];
        if (position is { } p)
        {
            traceback.Add($"({p}): where the cell stopped");
        }

        return (status, new ErrorOutput(ename, evalue, traceback) { Position = position });
    }

    /// <summary>
    /// A running cell: its stop request, and the dedicated thread that compiles it and runs its code up to the first
    /// <c>await</c> that does not complete at once (the "synchronous stretch", the only part whose thread is known and may
    /// be interrupted: later continuations run on pool threads, which must never be interrupted).
    /// </summary>
    private sealed class RunningCell(InterruptFlag flag, CancellationTokenSource cts)
    {
        private const int InUserCode = 1;
        private const int AfterUserCode = 2;
        private readonly TaskCompletionSource<StopReason> _stop = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private Thread? _thread;
        private int _phase;

        public Task Stopping => _stop.Task;

        public StopReason? Reason => _stop.Task.IsCompleted ? _stop.Task.Result : null;

        /// <summary>Asks the cell to stop; the first reason wins. Never runs cell code on the caller's thread.</summary>
        public void Request(StopReason reason)
        {
            if (!_stop.TrySetResult(reason))
            {
                return;
            }

            flag.Set();
            try
            {
                _ = cts.CancelAsync();
            }
            catch (ObjectDisposedException)
            {
                // The cell has just ended.
            }
        }

        /// <summary>Interrupts the cell's thread if it is still in the cell's synchronous stretch.</summary>
        /// <remarks>
        /// Lock-free on purpose: a pending interrupt left on the thread as it leaves the stretch is harmless, since after
        /// it the thread only completes a task source (which never blocks) and ends.
        /// </remarks>
        public void InterruptThread()
        {
            if (Volatile.Read(ref _phase) == InUserCode)
            {
                _thread!.Interrupt();
            }
        }

        /// <summary>Compiles (<paramref name="compile"/>) and starts (<paramref name="start"/>) the cell on a new thread.</summary>
        public Task<ScriptState<object>> Start(Func<Script<object>> compile, Func<Script<object>, Task<ScriptState<object>>> start, int count)
        {
            var started = new TaskCompletionSource<Task<ScriptState<object>>>(TaskCreationOptions.RunContinuationsAsynchronously);
            var thread = new Thread(() =>
            {
                Task<ScriptState<object>> task;
                try
                {
                    var script = compile();
                    _thread = Thread.CurrentThread;
                    Volatile.Write(ref _phase, InUserCode);
                    try
                    {
                        task = start(script);
                    }
                    finally
                    {
                        Volatile.Write(ref _phase, AfterUserCode);
                    }
                }
                catch (Exception e)
                {
                    task = Task.FromException<ScriptState<object>>(e);
                }

                started.TrySetResult(task);
            })
            {
                IsBackground = true,
                Name = $"notebook cell {count}",
            };
            thread.Start();
            return started.Task.Unwrap();
        }
    }
}
