using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Workbench.Cli.Infrastructure;
using Workbench.Cluster;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench silo --cluster &lt;connection&gt;</c>: a worker silo of an evaluation cluster (docs/CLUSTER.md). Joins the
/// cluster through the membership store, prints one line when ready, evaluates grid chunks sent by
/// <c>evaluate --cluster</c>, and leaves the cluster on SIGINT or SIGTERM.
/// </summary>
public static class SiloCommand
{
    /// <summary>What <c>silo --json</c> prints (one line) once the silo has joined.</summary>
    /// <param name="Event">Always <c>ready</c>.</param>
    /// <param name="Silo">The silo's address as Orleans writes it (address:port@generation).</param>
    /// <param name="Address">The advertised address.</param>
    /// <param name="Port">The silo-to-silo port.</param>
    /// <param name="GatewayPort">The port clients connect to.</param>
    /// <param name="ClusterId">The cluster's name.</param>
    /// <param name="Cluster">The membership store (password hidden).</param>
    /// <param name="Workers">Chunks evaluated at once.</param>
    /// <param name="Pid">The process id.</param>
    public sealed record Ready(string Event, string Silo, string Address, int Port, int GatewayPort, string ClusterId, string Cluster, int Workers, int Pid);

    public static Command Build(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var cluster = new Option<string>("--cluster")
        {
            Description = "The membership store: redis://host:port[/db], redis://:password@host:port, rediss://… (TLS), a StackExchange.Redis string host:port,password=…, postgres://user[:password]@host[:port]/database[?sslmode=…], or an Npgsql string Host=…;Port=…;Database=…;Username=… (PostgreSQL tables are created when missing).",
            Required = true,
        };
        var port = new Option<int>("--port") { Description = "The silo-to-silo port (default 11111).", DefaultValueFactory = _ => 11111 };
        var gatewayPort = new Option<int>("--gateway-port") { Description = "The port clients connect to (default 30000).", DefaultValueFactory = _ => 30000 };
        var address = new Option<string>("--address") { Description = "The address other silos and clients reach this one at (default: 127.0.0.1 when the store is local, else this host's address)." };
        var clusterId = new Option<string>("--cluster-id") { Description = $"The cluster's name; silos and clients with the same one form a cluster (default {ClusterNames.DefaultClusterId}).", DefaultValueFactory = _ => ClusterNames.DefaultClusterId };
        var workers = new Option<int?>("--workers") { Description = "Chunks evaluated at once on this silo (default: one per core)." };
        var json = new Option<bool>("--json") { Description = "Print the ready line as one JSON object {event, silo, address, port, gatewayPort, clusterId, cluster, workers, pid}." };
        var command = new Command("silo", "Run a worker silo of an evaluation cluster (for evaluate --grid ... --cluster): joins through the membership store, prints one line when ready, runs until SIGINT/SIGTERM.")
        {
            cluster, port, gatewayPort, address, clusterId, workers, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var connection = ParseConnection(parse.GetValue(cluster)!);
            foreach (var (name, value) in new[] { ("--port", parse.GetValue(port)), ("--gateway-port", parse.GetValue(gatewayPort)) })
            {
                if (value is < 1 or > 65535)
                {
                    throw new CommandFailedException($"{name} {value}: a port is 1-65535");
                }
            }

            if (parse.GetValue(port) == parse.GetValue(gatewayPort))
            {
                throw new CommandFailedException("--port and --gateway-port must differ");
            }

            if (parse.GetValue(workers) is < 1)
            {
                throw new CommandFailedException("--workers must be at least 1");
            }

            IPAddress? advertised = null;
            if (parse.GetValue(address) is { } a && !IPAddress.TryParse(a, out advertised))
            {
                throw new CommandFailedException($"--address '{a}' is not an IP address");
            }

            var settings = new SiloSettings
            {
                Connection = connection,
                SiloPort = parse.GetValue(port),
                GatewayPort = parse.GetValue(gatewayPort),
                AdvertisedAddress = advertised,
                ClusterId = parse.GetValue(clusterId)!,
                Workers = parse.GetValue(workers),
            };
            // SIGINT/SIGTERM end the wait below and the silo leaves the cluster cleanly (StopAsync) before the process exits.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            void Stop(PosixSignalContext signal)
            {
                signal.Cancel = true;
                stop.Cancel();
            }

            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            await PrepareStoreAsync(connection, stop.Token).ConfigureAwait(false);
            using var host = ClusterHosting.BuildSilo(settings, OperatorCatalogs.Cli, StderrLogging);
            try
            {
                await host.StartAsync(stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new CommandFailedException($"the silo could not join the cluster at {connection}: {e.Message}");
            }

            var details = (Orleans.Runtime.ILocalSiloDetails)host.Services.GetService(typeof(Orleans.Runtime.ILocalSiloDetails))!;
            var silo = details.SiloAddress;
            var ready = new Ready("ready", silo.ToParsableString(), silo.Endpoint.Address.ToString(), silo.Endpoint.Port, details.GatewayAddress?.Endpoint.Port ?? settings.GatewayPort,
                settings.ClusterId, connection.ToString(), settings.Workers ?? Environment.ProcessorCount, Environment.ProcessId);
            await context.Out.WriteLineAsync(parse.GetValue(json)
                ? JsonSerializer.Serialize(ready, JsonOutput.LineOptions)
                : string.Create(CultureInfo.InvariantCulture,
                    $"silo ready: {ready.Address}:{ready.Port} (gateway {ready.GatewayPort}), cluster '{ready.ClusterId}' at {ready.Cluster}, {ready.Workers} worker(s), pid {ready.Pid}; stop with Ctrl-C or SIGTERM")).ConfigureAwait(false);
            await context.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // SIGINT/SIGTERM: leave the cluster cleanly below
            }

            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await host.StopAsync(stopping.Token).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Parses a <c>--cluster</c> value into a connection, or fails with the accepted forms.</summary>
    /// <exception cref="CommandFailedException">Not an accepted form.</exception>
    public static ClusterConnection ParseConnection(string text)
    {
        try
        {
            return ClusterConnection.Parse(text);
        }
        catch (FormatException e)
        {
            throw new CommandFailedException($"--cluster: {e.Message}");
        }
    }

    /// <summary>Prepares the membership store (PostgreSQL: Workbench's clustering tables and queries), or fails with one line.</summary>
    /// <exception cref="CommandFailedException">The store cannot be reached or prepared.</exception>
    public static async Task PrepareStoreAsync(ClusterConnection connection, CancellationToken ct)
    {
        try
        {
            await ClusterHosting.PrepareStoreAsync(connection, ct).ConfigureAwait(false);
        }
        catch (MembershipStoreException e)
        {
            throw new CommandFailedException($"--cluster {connection}: {e.Message}");
        }
    }

    /// <summary>Orleans' warnings and errors, one line each, on stderr.</summary>
    internal static void StderrLogging(ILoggingBuilder logging)
    {
        logging.AddSimpleConsole(o => o.SingleLine = true);
        logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        logging.AddFilter("Orleans.Runtime.SiloOptionsLogger", LogLevel.None);
    }
}
