using Npgsql;
using Workbench.Cluster;

namespace Workbench.Tests.Cluster;

/// <summary>The <c>--cluster</c> forms (no cluster needed): what each becomes, and the one-line refusals.</summary>
public sealed class ClusterConnectionTests
{
    [Theory]
    [InlineData("redis://127.0.0.1:6379", "127.0.0.1:6379")]
    [InlineData("redis://localhost", "localhost:6379")]
    [InlineData("redis://:s3cret@10.0.0.5:6380/2", "10.0.0.5:6380,password=s3cret,defaultDatabase=2")]
    [InlineData("rediss://user:s3cret@cache.example:6380", "cache.example:6380,user=user,password=s3cret,ssl=true")]
    [InlineData("127.0.0.1:6379,password=s3cret", "127.0.0.1:6379,password=s3cret")]
    public void Redis_AcceptsTheDocumentedForms(string text, string configuration)
    {
        var c = ClusterConnection.Parse(text);
        Assert.Equal(MembershipStore.Redis, c.Store);
        Assert.Equal(configuration, c.Configuration);
        Assert.DoesNotContain("s3cret", c.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres://workbench@127.0.0.1:55432/orleans", "127.0.0.1", 55432, "orleans", "workbench", null)]
    [InlineData("postgresql://db.example/grid", "db.example", 5432, "grid", null, null)]
    [InlineData("postgres://ops:s3cret@10.0.0.7:6432/grid?sslmode=require", "10.0.0.7", 6432, "grid", "ops", "s3cret")]
    [InlineData("postgres://ops%40corp:p%2Fw@[::1]:5433/my%20db", "::1", 5433, "my db", "ops@corp", "p/w")]
    [InlineData("Host=127.0.0.1;Port=55432;Database=orleans;Username=workbench", "127.0.0.1", 55432, "orleans", "workbench", null)]
    [InlineData("host=pg;database=grid;username=ops;password=s3cret", "pg", 5432, "grid", "ops", "s3cret")]
    public void Postgres_AcceptsTheDocumentedForms(string text, string host, int port, string database, string? user, string? password)
    {
        var c = ClusterConnection.Parse(text);
        Assert.Equal(MembershipStore.PostgreSql, c.Store);
        var b = new NpgsqlConnectionStringBuilder(c.Configuration);
        Assert.Equal(host, b.Host);
        Assert.Equal(port, b.Port);
        Assert.Equal(database, b.Database);
        Assert.Equal(user, b.Username);
        Assert.Equal(password, b.Password);
        Assert.Equal("UTC", b.Timezone);
        Assert.Equal(host, c.Host);
        Assert.DoesNotContain("s3cret", c.ToString(), StringComparison.Ordinal);
        if (text.Contains("sslmode", StringComparison.Ordinal))
        {
            Assert.Equal(SslMode.Require, b.SslMode);
        }
    }

    [Fact]
    public void Loopback_IsRecognised_ForBothStores()
    {
        Assert.True(ClusterConnection.Parse("postgres://u@127.0.0.1/db").IsLoopback);
        Assert.True(ClusterConnection.Parse("Host=localhost;Database=db").IsLoopback);
        Assert.True(ClusterConnection.Parse("redis://[::1]:6379").IsLoopback);
        Assert.False(ClusterConnection.Parse("postgres://u@10.1.2.3/db").IsLoopback);
    }

    [Theory]
    [InlineData("mysql://127.0.0.1/orleans", "is not a membership store Workbench can use (Redis or PostgreSQL)")]
    [InlineData("", "empty")]
    [InlineData("redis://127.0.0.1:6379/x", "database number")]
    [InlineData("127.0.0.1:abc", "port is not a number")]
    [InlineData("postgres://u@127.0.0.1:5432", "name one database")]
    [InlineData("postgres://u@127.0.0.1/a/b", "name one database")]
    [InlineData("postgres://u@127.0.0.1/db?sslmode", "is not keyword=value")]
    [InlineData("postgres://u@127.0.0.1/db?colour=blue", "'colour' is not an Npgsql connection keyword")]
    [InlineData("Host=127.0.0.1;Colour=blue;Database=db", "is not an Npgsql connection string")]
    [InlineData("Host=127.0.0.1;Username=u", "needs Database=")]
    [InlineData("Database=db;Username=u", "needs Host=")]
    [InlineData("Host=a,b;Database=db", "give one PostgreSQL host")]
    public void OtherForms_AreRefused_SayingWhichAreAccepted(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => ClusterConnection.Parse(text));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains("redis://host:port", e.Message, StringComparison.Ordinal);
        Assert.Contains("postgres://user@host:port/database", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void APasswordInARefusedValue_IsNotRepeated()
    {
        var e = Assert.Throws<FormatException>(() => ClusterConnection.Parse("postgres://ops:s3cret@127.0.0.1:5432"));
        Assert.DoesNotContain("s3cret", e.Message, StringComparison.Ordinal);
        var k = Assert.Throws<FormatException>(() => ClusterConnection.Parse("Host=127.0.0.1;Password=s3cret"));
        Assert.DoesNotContain("s3cret", k.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PostgresQueries_CoverEveryKeyTheAdoNetProviderRequires()
    {
        // The keys Microsoft.Orleans.Clustering.AdoNet 10.4.2 checks for at start-up ("Not all required queries found").
        string[] required =
        [
            "GatewaysQueryKey", "MembershipReadRowKey", "MembershipReadAllKey", "InsertMembershipVersionKey", "UpdateIAmAlivetimeKey",
            "InsertMembershipKey", "UpdateMembershipKey", "DeleteMembershipTableEntriesKey", "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey",
        ];
        Assert.Equal(required.Order(StringComparer.Ordinal), PostgresMembership.Queries.Keys);
        Assert.All(PostgresMembership.Queries.Values, q => Assert.Contains("@DeploymentId", q, StringComparison.Ordinal));
    }
}
