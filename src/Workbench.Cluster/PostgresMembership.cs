using System.Data.Common;
using Npgsql;

namespace Workbench.Cluster;

/// <summary>A PostgreSQL membership store that cannot be reached or prepared.</summary>
public sealed class MembershipStoreException : Exception
{
    public MembershipStoreException() { }

    public MembershipStoreException(string message) : base(message) { }

    public MembershipStoreException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// The PostgreSQL side of Orleans' ADO.NET clustering. The provider (Microsoft.Orleans.Clustering.AdoNet) reads its SQL
/// from the table <c>OrleansQuery</c> (<c>QueryKey</c> → <c>QueryText</c>) and expects ten keys there; the package ships no
/// scripts, so Workbench writes its own: two tables (the version row per cluster and one row per silo) and one statement
/// per key, each a single atomic statement. <see cref="PrepareAsync"/> creates them when missing and brings the query
/// texts up to date, under an advisory lock so silos and clients starting together do not race; silos and
/// <c>evaluate --cluster</c> call it before they start, so a fresh database needs nothing done by hand.
/// </summary>
/// <remarks>
/// The write protocol: every change to the silo rows (insert, status update) bumps the cluster's version row in the same
/// statement, conditional on the version the caller read (Orleans' optimistic concurrency: the etag is the version read);
/// the version row is locked by the update, so concurrent writers serialise and all but one see a stale version and
/// return false. Heartbeats (<c>UpdateIAmAlivetimeKey</c>) touch only the silo's own row and leave the version alone.
/// </remarks>
public static class PostgresMembership
{
    /// <summary>The Orleans invariant (ADO.NET provider name) for Npgsql.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>The advisory lock key held while the schema is prepared (any constant shared by all Workbench processes).</summary>
    private const long SchemaLock = 0x576F726B62656E63; // "Workbenc"

    private const string Tables = """
        CREATE TABLE IF NOT EXISTS OrleansQuery (
            QueryKey varchar(64) NOT NULL PRIMARY KEY,
            QueryText varchar(8000) NOT NULL);
        CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable (
            DeploymentId varchar(150) NOT NULL PRIMARY KEY,
            Timestamp timestamptz NOT NULL DEFAULT now(),
            Version integer NOT NULL DEFAULT 0);
        CREATE TABLE IF NOT EXISTS OrleansMembershipTable (
            DeploymentId varchar(150) NOT NULL,
            Address varchar(45) NOT NULL,
            Port integer NOT NULL,
            Generation integer NOT NULL,
            SiloName varchar(150) NOT NULL,
            HostName varchar(150) NOT NULL,
            Status integer NOT NULL,
            ProxyPort integer NULL,
            SuspectTimes varchar(8000) NULL,
            StartTime timestamptz NOT NULL,
            IAmAliveTime timestamptz NOT NULL,
            PRIMARY KEY (DeploymentId, Address, Port, Generation));
        """;

    private const string SiloKey = "DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation";

    private const string MemberColumns = "v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version";

    /// <summary>The statements, by the key the provider asks for (its parameters are named after the columns).</summary>
    public static IReadOnlyDictionary<string, string> Queries { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        // Active silos' gateways, for clients: Address, ProxyPort, Generation.
        ["GatewaysQueryKey"] = "SELECT Address, ProxyPort, Generation FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0",
        // The version row joined with the silo rows (no silo row: one row with the version and nulls).
        ["MembershipReadAllKey"] = $"SELECT {MemberColumns} FROM OrleansMembershipVersionTable v LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId WHERE v.DeploymentId = @DeploymentId",
        ["MembershipReadRowKey"] = $"SELECT {MemberColumns} FROM OrleansMembershipVersionTable v LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation WHERE v.DeploymentId = @DeploymentId",
        // True when the version row was created by this call.
        ["InsertMembershipVersionKey"] = "WITH created AS (INSERT INTO OrleansMembershipVersionTable (DeploymentId) VALUES (@DeploymentId) ON CONFLICT DO NOTHING RETURNING 1) SELECT EXISTS (SELECT 1 FROM created)",
        ["UpdateIAmAlivetimeKey"] = $"UPDATE OrleansMembershipTable SET IAmAliveTime = GREATEST(IAmAliveTime, @IAmAliveTime) WHERE {SiloKey}",
        // The version moves on only if it is the one read and the silo row is new; the row goes in only if the version moved.
        ["InsertMembershipKey"] = $"""
            WITH v AS (
                UPDATE OrleansMembershipVersionTable SET Version = Version + 1, Timestamp = now()
                WHERE DeploymentId = @DeploymentId AND Version = @Version
                  AND NOT EXISTS (SELECT 1 FROM OrleansMembershipTable WHERE {SiloKey})
                RETURNING DeploymentId),
            m AS (
                INSERT INTO OrleansMembershipTable (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
                SELECT DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime FROM v
                ON CONFLICT DO NOTHING
                RETURNING 1)
            SELECT EXISTS (SELECT 1 FROM m)
            """,
        // The same for a status/suspicion change of an existing row.
        ["UpdateMembershipKey"] = $"""
            WITH v AS (
                UPDATE OrleansMembershipVersionTable SET Version = Version + 1, Timestamp = now()
                WHERE DeploymentId = @DeploymentId AND Version = @Version
                  AND EXISTS (SELECT 1 FROM OrleansMembershipTable WHERE {SiloKey})
                RETURNING DeploymentId),
            m AS (
                UPDATE OrleansMembershipTable t
                SET Status = @Status, SuspectTimes = @SuspectTimes, IAmAliveTime = GREATEST(t.IAmAliveTime, @IAmAliveTime)
                FROM v
                WHERE t.DeploymentId = v.DeploymentId AND t.Address = @Address AND t.Port = @Port AND t.Generation = @Generation
                RETURNING 1)
            SELECT EXISTS (SELECT 1 FROM m)
            """,
        ["DeleteMembershipTableEntriesKey"] = "WITH m AS (DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId) DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId",
        // Dead silos (status 6) not heard from since the given time.
        ["CleanupDefunctSiloEntriesKey"] = "DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId AND Status = 6 AND IAmAliveTime < @IAmAliveTime",
        // One dead silo's row, only if it is still as the caller read it.
        ["CleanupDefunctSiloEntryKey"] = $"DELETE FROM OrleansMembershipTable WHERE {SiloKey} AND Status = 6 AND IAmAliveTime = @IAmAliveTime AND StartTime = @StartTime AND COALESCE(SuspectTimes, '') = COALESCE(@SuspectTimes, '')",
    };

    /// <summary>
    /// Creates the tables when missing and writes the query texts (idempotent; safe to run from many processes at once).
    /// </summary>
    /// <exception cref="MembershipStoreException">The database cannot be reached, or refuses the statements (the message says why, in one line).</exception>
    public static async Task PrepareAsync(string connectionString, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({SchemaLock})", ct).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, Tables, ct).ConfigureAwait(false);
            foreach (var (key, text) in Queries)
            {
                await using var upsert = new NpgsqlCommand(
                    "INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ($1, $2) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText WHERE OrleansQuery.QueryText <> EXCLUDED.QueryText",
                    connection, transaction);
                upsert.Parameters.Add(new NpgsqlParameter { Value = key });
                upsert.Parameters.Add(new NpgsqlParameter { Value = text });
                await upsert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            await transaction.CommitAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DbException or TimeoutException or System.Net.Sockets.SocketException or InvalidOperationException && !ct.IsCancellationRequested)
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            throw new MembershipStoreException($"PostgreSQL at {builder.Host}:{builder.Port}, database '{builder.Database}': {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
