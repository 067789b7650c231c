using Workbench.Core;

namespace Workbench.Replay;

/// <summary>
/// Lazy k-way merge of timestamp-ordered sources with a binary min-heap keyed by (timestamp, source index):
/// O(log k) per observation, one observation read ahead per source. Ties go to the lower source index; within
/// a source, its own order is kept (it has only one observation in the heap at a time).
/// </summary>
internal static class ObservationMerge
{
    public static IEnumerable<LabeledObservation> Merge(IReadOnlyList<Func<ObservationCursor>> sources)
    {
        var k = sources.Count;
        var cursors = new ObservationCursor?[k];
        var heads = new LabeledObservation[k];
        var heap = new int[k];
        var size = 0;
        try
        {
            for (var s = 0; s < k; s++)
            {
                var cursor = cursors[s] = sources[s]();
                if (Read(cursor, s, out heads[s]))
                {
                    heap[size] = s;
                    SiftUp(heap, size, heads);
                    size++;
                }
            }

            while (size > 0)
            {
                var s = heap[0];
                yield return heads[s];
                if (Read(cursors[s]!, s, out heads[s]))
                {
                    SiftDown(heap, 0, size, heads);
                }
                else
                {
                    size--;
                    heap[0] = heap[size];
                    SiftDown(heap, 0, size, heads);
                }
            }
        }
        finally
        {
            foreach (var cursor in cursors)
            {
                cursor?.Dispose();
            }
        }
    }

    /// <summary>Reads the next observation of source <paramref name="s"/>, re-labelling contract errors with the source index.</summary>
    private static bool Read(ObservationCursor cursor, int s, out LabeledObservation head)
    {
        try
        {
            if (cursor.MoveNext())
            {
                head = cursor.CurrentValue;
                return true;
            }
        }
        catch (ObservationOrderException e) when (e.SourceIndex is null)
        {
            throw new ObservationOrderException(e.Series!, e.Index, e.Timestamp, e.PreviousSeries, e.PreviousTimestamp, s);
        }
        catch (ReplaySourceException e) when (e.SourceIndex is null)
        {
            throw new ReplaySourceException($"Source {s} of the merge: {e.Message}", e.Series, e.Index, s);
        }

        head = default;
        return false;
    }

    /// <summary>Whether source <paramref name="a"/>'s head comes before source <paramref name="b"/>'s.</summary>
    private static bool Before(int a, int b, LabeledObservation[] heads)
    {
        var ta = heads[a].Timestamp.Ticks;
        var tb = heads[b].Timestamp.Ticks;
        return ta < tb || (ta == tb && a < b);
    }

    private static void SiftUp(int[] heap, int i, LabeledObservation[] heads)
    {
        var item = heap[i];
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (!Before(item, heap[parent], heads))
            {
                break;
            }

            heap[i] = heap[parent];
            i = parent;
        }

        heap[i] = item;
    }

    private static void SiftDown(int[] heap, int i, int size, LabeledObservation[] heads)
    {
        if (size == 0)
        {
            return;
        }

        var item = heap[i];
        while (true)
        {
            var child = (2 * i) + 1;
            if (child >= size)
            {
                break;
            }

            if (child + 1 < size && Before(heap[child + 1], heap[child], heads))
            {
                child++;
            }

            if (!Before(heap[child], item, heads))
            {
                break;
            }

            heap[i] = heap[child];
            i = child;
        }

        heap[i] = item;
    }
}
