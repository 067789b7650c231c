using System.Runtime.InteropServices;
using DuckDB.NET.Native;

namespace Workbench.Tests.Import;

/// <summary>
/// An in-memory DuckDB engine (the native library ships in DuckDB.NET.Bindings.Full) for writing foreign Parquet files
/// from SQL, the way a researcher exports them: <c>COPY (SELECT …) TO 'f.parquet' (FORMAT parquet)</c>.
/// </summary>
internal static class DuckDb
{
    /// <summary>
    /// Runs <paramref name="sql"/> and returns its rows, each value as DuckDB gives it: null, <see cref="bool"/>,
    /// <see cref="int"/>, <see cref="long"/>, <see cref="double"/> or <see cref="string"/> (other types: cast in the SQL).
    /// </summary>
    public static List<object?[]> Query(string sql)
    {
        var state = NativeMethods.Startup.DuckDBOpen((string?)null, out var database);
        Assert.Equal(DuckDBState.Success, state);
        using (database)
        {
            Assert.Equal(DuckDBState.Success, NativeMethods.Startup.DuckDBConnect(database, out var connection));
            using (connection)
            {
                var result = new DuckDBResult();
                try
                {
                    if (NativeMethods.Query.DuckDBQuery(connection, sql, out result) != DuckDBState.Success)
                    {
                        var error = NativeMethods.Query.DuckDBResultError(ref result);
                        throw new InvalidOperationException($"DuckDB: {error} in {sql}");
                    }

                    var columns = (long)NativeMethods.Query.DuckDBColumnCount(ref result);
                    var count = NativeMethods.Query.DuckDBRowCount(ref result);
                    var rows = new List<object?[]>((int)count);
                    for (var r = 0L; r < count; r++)
                    {
                        rows.Add(new object?[columns]);
                    }

                    for (var c = 0L; c < columns; c++)
                    {
                        var type = NativeMethods.Query.DuckDBColumnType(ref result, c);
                        for (var r = 0L; r < count; r++)
                        {
                            // The C API's value functions give a default for NULL, except VARCHAR: a null pointer.
                            var text = Varchar(ref result, c, r);
                            rows[(int)r][c] = text is null ? null : type switch
                            {
                                DuckDBType.Boolean => NativeMethods.Types.DuckDBValueBoolean(ref result, c, r),
                                DuckDBType.Integer => NativeMethods.Types.DuckDBValueInt32(ref result, c, r),
                                DuckDBType.BigInt => NativeMethods.Types.DuckDBValueInt64(ref result, c, r),
                                DuckDBType.Double => NativeMethods.Types.DuckDBValueDouble(ref result, c, r),
                                DuckDBType.Varchar => text,
                                _ => throw new NotSupportedException($"DuckDB column {c} of type {type}: cast it in the SQL"),
                            };
                        }
                    }

                    return rows;
                }
                finally
                {
                    NativeMethods.Query.DuckDBDestroyResult(ref result);
                }
            }
        }
    }

    private static string? Varchar(ref DuckDBResult result, long column, long row)
    {
        var text = NativeMethods.Types.DuckDBValueVarchar(ref result, column, row);
        if (text == IntPtr.Zero)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(text);
        }
        finally
        {
            NativeMethods.Helpers.DuckDBFree(text);
        }
    }

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
