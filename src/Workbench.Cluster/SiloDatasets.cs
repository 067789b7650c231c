using System.Collections.Concurrent;
using System.Security.Cryptography;
using Workbench.Data;

namespace Workbench.Cluster;

/// <summary>A dataset a silo has loaded, with the fingerprint of the file it came from.</summary>
/// <param name="Path">The file.</param>
/// <param name="Fingerprint">SHA-256 of its bytes (lower-case hex).</param>
/// <param name="Set">The labelled series.</param>
internal sealed record LoadedDataset(string Path, string Fingerprint, LabeledSeriesSet Set);

/// <summary>The dataset named by a chunk cannot be used on this silo: missing, unreadable, or not the client's file.</summary>
public sealed class DatasetUnavailableException : Exception
{
    public DatasetUnavailableException() { }

    public DatasetUnavailableException(string message) : base(message) { }

    public DatasetUnavailableException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// The datasets of one silo, each loaded once (by path and fingerprint) and shared read-only by every worker
/// activation; the most recent few are kept.
/// </summary>
internal sealed class SiloDatasets
{
    /// <summary>Datasets kept in memory at once; older ones are dropped when a new one is loaded.</summary>
    public const int Capacity = 4;

    private readonly ConcurrentDictionary<(string Path, string Fingerprint), Lazy<Task<LoadedDataset>>> _loaded = new();
    private readonly ConcurrentQueue<(string Path, string Fingerprint)> _order = new();

    /// <summary>The dataset at <paramref name="path"/>, checked against <paramref name="fingerprint"/>.</summary>
    /// <exception cref="DatasetUnavailableException">Missing, unreadable, or its bytes differ from the client's.</exception>
    public async Task<LoadedDataset> GetAsync(string path, string fingerprint, CancellationToken ct)
    {
        var key = (path, fingerprint);
        var lazy = _loaded.GetOrAdd(key, k =>
        {
            _order.Enqueue(k);
            return new Lazy<Task<LoadedDataset>>(() => LoadAsync(k.Path, k.Fingerprint, ct));
        });
        while (_loaded.Count > Capacity && _order.TryDequeue(out var old) && old != key)
        {
            _loaded.TryRemove(old, out _);
        }

        try
        {
            return await lazy.Value.ConfigureAwait(false);
        }
        catch
        {
            _loaded.TryRemove(key, out _); // a later chunk tries again (the file may appear)
            throw;
        }
    }

    /// <summary>SHA-256 of the file's bytes, lower-case hex: how client and silos agree they read the same file.</summary>
    public static async Task<string> FingerprintAsync(string path, CancellationToken ct)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        var hash = await SHA256.HashDataAsync(stream, ct).ConfigureAwait(false);
        return Convert.ToHexStringLower(hash);
    }

    private static async Task<LoadedDataset> LoadAsync(string path, string fingerprint, CancellationToken ct)
    {
        if (!File.Exists(path))
        {
            throw new DatasetUnavailableException($"the dataset {path} does not exist here (the silos read datasets by path: put it in a folder every silo sees at the same path)");
        }

        string actual;
        LabeledSeriesSet set;
        try
        {
            actual = await FingerprintAsync(path, ct).ConfigureAwait(false);
            set = await LabeledSeriesSet.LoadAsync(path, null, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DatasetFormatException)
        {
            throw new DatasetUnavailableException($"the dataset {path} cannot be read here: {e.Message}", e);
        }

        if (!string.Equals(actual, fingerprint, StringComparison.Ordinal))
        {
            throw new DatasetUnavailableException($"the dataset {path} here is not the client's file (sha256 {actual[..12]}… here, {fingerprint[..Math.Min(12, fingerprint.Length)]}… at the client)");
        }

        return new LoadedDataset(path, fingerprint, set);
    }
}
