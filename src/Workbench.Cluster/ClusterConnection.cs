using System.Globalization;
using System.Net;

namespace Workbench.Cluster;

/// <summary>
/// Where the cluster's membership table lives, parsed from a <c>--cluster</c> value. Accepted forms (docs/CLUSTER.md):
/// <list type="bullet">
/// <item><c>redis://host[:port][/db]</c>, <c>redis://[user]:password@host[:port][/db]</c>, <c>rediss://…</c> (TLS); port 6379 by default;</item>
/// <item>a StackExchange.Redis configuration string as it is: <c>host:port[,password=…][,ssl=true]…</c>.</item>
/// </list>
/// </summary>
/// <param name="Text">The value as given.</param>
/// <param name="RedisConfiguration">The StackExchange.Redis configuration string the silos and the client use.</param>
/// <param name="Host">The membership store's host.</param>
public sealed record ClusterConnection(string Text, string RedisConfiguration, string Host)
{
    /// <summary>The Redis port used when none is given.</summary>
    public const int DefaultRedisPort = 6379;

    /// <summary>Whether the membership store is on this machine (then silos advertise 127.0.0.1 by default).</summary>
    public bool IsLoopback => Host is "localhost" || (IPAddress.TryParse(Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>The connection without its password, for messages.</summary>
    public override string ToString() => Uri.TryCreate(Text, UriKind.Absolute, out var u) && u.UserInfo.Length > 0
        ? Text.Replace(u.UserInfo + "@", "***@", StringComparison.Ordinal)
        : Text.Contains("password=", StringComparison.OrdinalIgnoreCase) ? Host + " (password given)" : Text;

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="FormatException">Not one of the accepted forms; the message says which are.</exception>
    public static ClusterConnection Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        const string Forms = "use redis://host:port (or redis://:password@host:port/db, rediss:// for TLS, or a StackExchange.Redis string host:port,password=…)";
        if (t.Length == 0)
        {
            throw new FormatException($"an empty cluster connection: {Forms}");
        }

        if (t.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(t, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            {
                throw new FormatException($"'{t}' is not a URI with a host: {Forms}");
            }

            if (uri.Scheme is not ("redis" or "rediss"))
            {
                throw new FormatException($"'{uri.Scheme}://' is not a membership store Workbench can use (only Redis is built): {Forms}");
            }

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
                    throw new FormatException($"'{t}': the path must be a database number, e.g. redis://127.0.0.1:6379/0; {Forms}");
                }

                parts.Add("defaultDatabase=" + db.ToString(CultureInfo.InvariantCulture));
            }

            if (uri.Scheme == "rediss") { parts.Add("ssl=true"); }
            return new ClusterConnection(t, string.Join(',', parts), uri.Host);
        }

        var first = t.Split(',', 2)[0].Trim();
        if (first.Length == 0 || first.Contains('=', StringComparison.Ordinal))
        {
            throw new FormatException($"'{t}' names no Redis endpoint first: {Forms}");
        }

        var colon = first.LastIndexOf(':');
        var host = colon > 0 && !first.EndsWith(']') ? first[..colon] : first;
        if (colon > 0 && !int.TryParse(first[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            throw new FormatException($"'{first}': the port is not a number: {Forms}");
        }

        return new ClusterConnection(t, t, host);
    }
}
