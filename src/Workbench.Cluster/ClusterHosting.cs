using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Workbench.Operators.Specs;

namespace Workbench.Cluster;

/// <summary>How a worker silo is started (<c>workbench silo</c>).</summary>
public sealed record SiloSettings
{
    /// <summary>The membership store.</summary>
    public required ClusterConnection Connection { get; init; }

    /// <summary>The port silos talk to each other on.</summary>
    public int SiloPort { get; init; } = 11111;

    /// <summary>The port clients connect to.</summary>
    public int GatewayPort { get; init; } = 30000;

    /// <summary>The address other silos and clients reach this one at; null = 127.0.0.1 when the membership store is local, else this host's address.</summary>
    public IPAddress? AdvertisedAddress { get; init; }

    /// <summary>The cluster's name: silos and clients with the same id (and store) form one cluster.</summary>
    public string ClusterId { get; init; } = ClusterNames.DefaultClusterId;

    /// <summary>Chunks evaluated at once on this silo; null = one per core.</summary>
    public int? Workers { get; init; }
}

/// <summary>The names shared by silos and clients.</summary>
public static class ClusterNames
{
    /// <summary>The default <c>--cluster-id</c>.</summary>
    public const string DefaultClusterId = "workbench";

    /// <summary>The Orleans service id (fixed: one service, many clusters).</summary>
    public const string ServiceId = "workbench-grid";
}

/// <summary>Builds worker silos and cluster clients.</summary>
public static class ClusterHosting
{
    /// <summary>Adds the grid workers to a silo: the dataset cache and the catalog that parses specs (tests add these to a TestCluster).</summary>
    public static ISiloBuilder AddGridWorkers(this ISiloBuilder builder, OperatorCatalog catalog, int? workers = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(catalog);
        builder.Services.AddSingleton(catalog);
        builder.Services.AddSingleton<SiloDatasets>();
        if (workers is { } w)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(w, 1, nameof(workers));
        }

        builder.Services.AddSingleton(new SiloWorkSlots(workers ?? Environment.ProcessorCount));
        return builder;
    }

    /// <summary>
    /// Makes the membership store ready for silos and clients: for PostgreSQL, creates Workbench's clustering tables and
    /// queries when missing (<see cref="PostgresMembership.PrepareAsync"/>); nothing for Redis, which needs no schema.
    /// </summary>
    /// <exception cref="MembershipStoreException">The PostgreSQL database cannot be reached or prepared.</exception>
    public static Task PrepareStoreAsync(ClusterConnection connection, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.Store == MembershipStore.PostgreSql ? PostgresMembership.PrepareAsync(connection.Configuration, ct) : Task.CompletedTask;
    }

    /// <summary>A silo host: Redis or PostgreSQL membership, the given ports, the grid workers; logs at warning level and above through <paramref name="logging"/>.</summary>
    public static IHost BuildSilo(SiloSettings settings, OperatorCatalog catalog, Action<ILoggingBuilder>? logging = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(catalog);
        var advertised = settings.AdvertisedAddress ?? (settings.Connection.IsLoopback ? IPAddress.Loopback : null);
        return new HostBuilder()
            .ConfigureServices(services => services.AddSingleton<IHostLifetime, CallerLifetime>())
            .ConfigureLogging(l =>
            {
                l.ClearProviders();
                l.SetMinimumLevel(LogLevel.Warning);
                logging?.Invoke(l);
            })
            .UseOrleans(silo =>
            {
                if (settings.Connection.Store == MembershipStore.PostgreSql)
                {
                    silo.UseAdoNetClustering(o =>
                    {
                        o.Invariant = PostgresMembership.Invariant;
                        o.ConnectionString = settings.Connection.Configuration;
                    });
                }
                else
                {
                    silo.UseRedisClustering(settings.Connection.Configuration);
                }

                silo.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = settings.ClusterId;
                    o.ServiceId = ClusterNames.ServiceId;
                });
                if (advertised is not null)
                {
                    silo.ConfigureEndpoints(advertised, settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(advertised));
                }
                else
                {
                    silo.ConfigureEndpoints(settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: true);
                }

                silo.AddGridWorkers(catalog, settings.Workers);
            })
            .Build();
    }

    /// <summary>A client host for the cluster at <paramref name="connection"/> (started = connected).</summary>
    /// <param name="connection">The membership store.</param>
    /// <param name="clusterId">The cluster's name.</param>
    /// <param name="responseTimeout">How long a call may wait for its answer before it fails (and is retried).</param>
    /// <param name="logging">Logging (warnings and above); null = none.</param>
    public static IHost BuildClient(ClusterConnection connection, string clusterId, TimeSpan responseTimeout, Action<ILoggingBuilder>? logging = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new HostBuilder()
            .ConfigureServices(services => services.AddSingleton<IHostLifetime, CallerLifetime>())
            .ConfigureLogging(l =>
            {
                l.ClearProviders();
                l.SetMinimumLevel(LogLevel.Warning);
                logging?.Invoke(l);
            })
            .UseOrleansClient(client =>
            {
                if (connection.Store == MembershipStore.PostgreSql)
                {
                    client.UseAdoNetClustering(o =>
                    {
                        o.Invariant = PostgresMembership.Invariant;
                        o.ConnectionString = connection.Configuration;
                    });
                }
                else
                {
                    client.UseRedisClustering(connection.Configuration);
                }

                client.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = clusterId;
                    o.ServiceId = ClusterNames.ServiceId;
                });
                client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = responseTimeout);
                client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
                var lost = new SiloLossSignal();
                client.Services.AddSingleton(lost);
                client.AddClusterConnectionStatusObserver(lost);
            })
            .Build();
    }
}

/// <summary>
/// A host lifetime that leaves signals to the caller (the command line stops the host itself), instead of the default
/// console lifetime, which would take SIGINT/SIGTERM and stop the application without the caller knowing.
/// </summary>
internal sealed class CallerLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
