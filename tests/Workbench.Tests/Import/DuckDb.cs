using DuckDB.NET.Native;

namespace Workbench.Tests.Import;

/// <summary>
/// An in-memory DuckDB engine (the native library ships in DuckDB.NET.Bindings.Full) for writing foreign Parquet files
/// from SQL, the way a researcher exports them: <c>COPY (SELECT …) TO 'f.parquet' (FORMAT parquet)</c>.
/// </summary>
internal static class DuckDb
{
    /// <summary>Runs each statement; throws with DuckDB's message when one fails.</summary>
    public static void Execute(params string[] statements)
    {
        var state = NativeMethods.Startup.DuckDBOpen((string?)null, out var database);
        Assert.Equal(DuckDBState.Success, state);
        using (database)
        {
            Assert.Equal(DuckDBState.Success, NativeMethods.Startup.DuckDBConnect(database, out var connection));
            using (connection)
            {
                foreach (var sql in statements)
                {
                    var result = new DuckDBResult();
                    try
                    {
                        if (NativeMethods.Query.DuckDBQuery(connection, sql, out result) != DuckDBState.Success)
                        {
                            var error = NativeMethods.Query.DuckDBResultError(ref result);
                            throw new InvalidOperationException($"DuckDB: {error} in {sql}");
                        }
                    }
                    finally
                    {
                        NativeMethods.Query.DuckDBDestroyResult(ref result);
                    }
                }
            }
        }
    }
}
