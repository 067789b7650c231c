using System.Globalization;
using System.Net;
using Npgsql;

namespace Workbench.Cluster;

/// <summary>Which kind of membership store a cluster uses.</summary>
public enum MembershipStore
{
    /// <summary>Redis (Orleans' Redis clustering).</summary>
    Redis,

    /// <summary>PostgreSQL (Orleans' ADO.NET clustering through Npgsql, on the schema of <see cref="PostgresMembership"/>).</summary>
    PostgreSql,
}

/// <summary>
/// Where the cluster's membership table lives, parsed from a <c>--cluster</c> value. Accepted forms (docs/CLUSTER.md):
/// <list type="bullet">
/// <item><c>redis://host[:port][/db]</c>, <c>redis://[user]:password@host[:port][/db]</c>, <c>rediss://…</c> (TLS); port 6379 by default;</item>
/// <item>a StackExchange.Redis configuration string as it is: <c>host:port[,password=…][,ssl=true]…</c>;</item>
/// <item><c>postgres://[user[:password]@]host[:port]/database[?keyword=value&amp;…]</c> (or <c>postgresql://</c>); port 5432 by default;
/// the query holds further Npgsql keywords, e.g. <c>?sslmode=require</c>;</item>
/// <item>an Npgsql connection string as it is: <c>Host=…;Port=…;Database=…;Username=…[;Password=…]</c> (it must name Host and Database).</item>
/// </list>
/// </summary>
/// <param name="Text">The value as given.</param>
/// <param name="Store">The kind of store.</param>
/// <param name="Configuration">What the provider takes: the StackExchange.Redis configuration string, or the Npgsql connection string.</param>
/// <param name="Host">The membership store's host.</param>
public sealed record ClusterConnection(string Text, MembershipStore Store, string Configuration, string Host)
{
    /// <summary>The Redis port used when none is given.</summary>
    public const int DefaultRedisPort = 6379;

    /// <summary>The PostgreSQL port used when none is given.</summary>
    public const int DefaultPostgresPort = 5432;

    private const string Forms = "use redis://host:port (or redis://:password@host:port/db, rediss:// for TLS, or a StackExchange.Redis string host:port,password=…), "
        + "or postgres://user@host:port/database (or an Npgsql string Host=…;Port=…;Database=…;Username=…)";

    /// <summary>Whether the membership store is on this machine (then silos advertise 127.0.0.1 by default).</summary>
    public bool IsLoopback => Host is "localhost" || (IPAddress.TryParse(Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>The connection without its password, for messages.</summary>
    public override string ToString() =>
        Store == MembershipStore.Redis && Uri.TryCreate(Text, UriKind.Absolute, out var u) && u.UserInfo.Length > 0
            ? Text.Replace(u.UserInfo + "@", "***@", StringComparison.Ordinal)
            : Redact(Text);

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="FormatException">Not one of the accepted forms; the message says which are.</exception>
    public static ClusterConnection Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        if (t.Length == 0)
        {
            throw new FormatException($"an empty cluster connection: {Forms}");
        }

        if (t.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(t, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            {
                throw new FormatException($"'{Redact(t)}' is not a URI with a host: {Forms}");
            }

            return uri.Scheme switch
            {
                "redis" or "rediss" => ParseRedisUri(t, uri),
                "postgres" or "postgresql" => ParsePostgresUri(t, uri),
                _ => throw new FormatException($"'{uri.Scheme}://' is not a membership store Workbench can use (Redis or PostgreSQL): {Forms}"),
            };
        }

        var head = t.Split([';', ','], 2)[0].Trim();
        if (t.Contains(';', StringComparison.Ordinal) || head.StartsWith("host=", StringComparison.OrdinalIgnoreCase) || head.StartsWith("server=", StringComparison.OrdinalIgnoreCase))
        {
            return ParseNpgsqlString(t);
        }

        return ParseRedisString(t);
    }

    private static ClusterConnection ParseRedisUri(string t, Uri uri)
    {
        var port = uri.IsDefaultPort || uri.Port < 0 ? DefaultRedisPort : uri.Port;
        var parts = new List<string> { $"{uri.Host}:{port.ToString(CultureInfo.InvariantCulture)}" };
        if (uri.UserInfo.Length > 0)
        {
            var info = uri.UserInfo.Split(':', 2);
            if (info.Length == 2)
            {
                if (info[0].Length > 0) { parts.Add("user=" + Uri.UnescapeDataString(info[0])); }
                parts.Add("password=" + Uri.UnescapeDataString(info[1]));
            }
            else
            {
                parts.Add("password=" + Uri.UnescapeDataString(info[0]));
            }
        }

        var path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0)
        {
            if (!int.TryParse(path, NumberStyles.None, CultureInfo.InvariantCulture, out var db))
            {
                throw new FormatException($"'{Redact(t)}': the path must be a database number, e.g. redis://127.0.0.1:6379/0; {Forms}");
            }

            parts.Add("defaultDatabase=" + db.ToString(CultureInfo.InvariantCulture));
        }

        if (uri.Scheme == "rediss") { parts.Add("ssl=true"); }
        return new ClusterConnection(t, MembershipStore.Redis, string.Join(',', parts), uri.Host);
    }

    private static ClusterConnection ParseRedisString(string t)
    {
        var first = t.Split(',', 2)[0].Trim();
        if (first.Length == 0 || first.Contains('=', StringComparison.Ordinal))
        {
            throw new FormatException($"'{Redact(t)}' names no Redis endpoint first: {Forms}");
        }

        var colon = first.LastIndexOf(':');
        var host = colon > 0 && !first.EndsWith(']') ? first[..colon] : first;
        if (colon > 0 && !int.TryParse(first[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            throw new FormatException($"'{first}': the port is not a number: {Forms}");
        }

        return new ClusterConnection(t, MembershipStore.Redis, t, host);
    }

    private static ClusterConnection ParsePostgresUri(string t, Uri uri)
    {
        var database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
        if (database.Length == 0 || database.Contains('/', StringComparison.Ordinal))
        {
            throw new FormatException($"'{Redact(t)}': name one database, e.g. postgres://workbench@127.0.0.1:5432/orleans; {Forms}");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host.Trim('[', ']'),
            Port = uri.IsDefaultPort || uri.Port < 0 ? DefaultPostgresPort : uri.Port,
            Database = database,
        };
        if (uri.UserInfo.Length > 0)
        {
            var info = uri.UserInfo.Split(':', 2);
            if (info[0].Length > 0) { builder.Username = Uri.UnescapeDataString(info[0]); }
            if (info.Length == 2) { builder.Password = Uri.UnescapeDataString(info[1]); }
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            if (kv.Length != 2 || kv[0].Length == 0)
            {
                throw new FormatException($"'{Redact(t)}': the query part '{pair}' is not keyword=value; {Forms}");
            }

            try
            {
                builder[Uri.UnescapeDataString(kv[0])] = Uri.UnescapeDataString(kv[1]);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
            {
                throw new FormatException($"'{Redact(t)}': '{Uri.UnescapeDataString(kv[0])}' is not an Npgsql connection keyword or its value is wrong ({FirstLine(e)}); {Forms}", e);
            }
        }

        return Postgres(t, builder);
    }

    private static ClusterConnection ParseNpgsqlString(string t)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(t);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
        {
            throw new FormatException($"'{Redact(t)}' is not an Npgsql connection string ({FirstLine(e)}): {Forms}", e);
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new FormatException($"'{Redact(t)}': an Npgsql connection string needs Host=…; {Forms}");
        }

        if (string.IsNullOrWhiteSpace(builder.Database))
        {
            throw new FormatException($"'{Redact(t)}': an Npgsql connection string needs Database=…; {Forms}");
        }

        return Postgres(t, builder);
    }

    private static ClusterConnection Postgres(string t, NpgsqlConnectionStringBuilder builder)
    {
        // Membership times are UTC; a fixed session zone keeps timestamptz conversions independent of the server's setting.
        builder.Timezone ??= "UTC";
        var host = builder.Host!;
        if (host.Contains(',', StringComparison.Ordinal))
        {
            throw new FormatException($"'{Redact(t)}': give one PostgreSQL host, not a list; {Forms}");
        }

        return new ClusterConnection(t, MembershipStore.PostgreSql, builder.ConnectionString, host);
    }

    private static string FirstLine(Exception e)
    {
        var m = e.Message.ReplaceLineEndings(" ");
        var p = m.IndexOf(" (Parameter", StringComparison.Ordinal);
        return p >= 0 ? m[..p] : m;
    }

    /// <summary>The text with any password replaced, for error messages.</summary>
    private static string Redact(string t)
    {
        var at = t.IndexOf('@', StringComparison.Ordinal);
        var scheme = t.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0 && at > scheme)
        {
            var info = t[(scheme + 3)..at];
            var colon = info.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0) { return t[..(scheme + 3)] + info[..colon] + ":***" + t[at..]; }
        }

        var parts = t.Split([';', ','])
            .Select(p => p.TrimStart().StartsWith("password=", StringComparison.OrdinalIgnoreCase) ? "password=***" : p);
        return t.Contains(';', StringComparison.Ordinal) ? string.Join(';', parts) : string.Join(',', parts);
    }
}
