using System.CommandLine;
using Workbench.Cli.Infrastructure;
using Workbench.Kernel;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench kernel</c>: runs the Jupyter kernel for a connection file (what Jupyter starts), and installs or
/// removes its kernelspec.
/// </summary>
public static class KernelCommand
{
    /// <summary>What <c>kernel install --json</c> and <c>kernel uninstall --json</c> print.</summary>
    /// <param name="Name">The kernel name.</param>
    /// <param name="Directory">The kernelspec folder.</param>
    /// <param name="Installed">True after install, false after uninstall.</param>
    /// <param name="Argv">The command Jupyter runs (install only).</param>
    public sealed record SpecSummary(string Name, string Directory, bool Installed, IReadOnlyList<string>? Argv);

    /// <summary>Builds <c>kernel</c> with <c>install</c> and <c>uninstall</c>.</summary>
    public static Command Build(CliContext context)
    {
        var connectionFile = new Option<FileInfo>("--connection-file") { Description = "The connection file Jupyter wrote (ports, transport, HMAC key and scheme)." };
        var verbose = new Option<bool>("--verbose") { Description = "Log every message received and sent to stderr." };
        var command = new Command("kernel", "Run the Workbench C# Jupyter kernel (messaging protocol 5.3) for a connection file; 'kernel install' makes Jupyter and VS Code find it.")
        {
            connectionFile, verbose,
        };
        command.Subcommands.Add(BuildInstall(context));
        command.Subcommands.Add(BuildUninstall(context));
        command.SetAction(async (parse, ct) =>
        {
            var file = parse.GetValue(connectionFile) ?? throw new CommandFailedException("--connection-file is required (Jupyter passes it: see 'workbench kernel install')");
            ConnectionInfo info;
            try
            {
                info = ConnectionInfo.Load(file.FullName);
            }
            catch (KernelStartupException e)
            {
                throw new CommandFailedException(e.Message);
            }

            var options = new KernelOptions
            {
                Verbose = parse.GetValue(verbose),
                Log = context.Error,
                ParentProcessId = int.TryParse(Environment.GetEnvironmentVariable("JPY_PARENT_PID"), out var pid) ? pid : null,
            };
            try
            {
                using var kernel = new JupyterKernel(info, options);
                await kernel.RunAsync(ct).ConfigureAwait(false);
            }
            catch (KernelStartupException e)
            {
                throw new CommandFailedException(e.Message);
            }
            finally
            {
                // One kernel per process: end NetMQ's I/O threads so the process exits at once.
                NetMQ.NetMQConfig.Cleanup(block: false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static (Option<bool> User, Option<DirectoryInfo> Prefix, Option<string> Name, Option<bool> Json) SpecOptions() => (
        new Option<bool>("--user") { Description = "The user's Jupyter data folder ($JUPYTER_DATA_DIR, else $XDG_DATA_HOME/jupyter, else ~/.local/share/jupyter); the default." },
        new Option<DirectoryInfo>("--prefix") { Description = "Under <prefix>/share/jupyter/kernels instead (a virtual environment, or a folder on JUPYTER_PATH)." },
        new Option<string>("--name") { Description = $"Kernel name (default {KernelSpec.DefaultName}; the notebooks' metadata names the default).", DefaultValueFactory = _ => KernelSpec.DefaultName },
        new Option<bool>("--json") { Description = "Print what was done as JSON." });

    private static Command BuildInstall(CliContext context)
    {
        var (user, prefix, name, json) = SpecOptions();
        var command = new Command("install", "Write the kernelspec (kernel.json running this workbench with 'kernel --connection-file {connection_file}', display name \"C# (Workbench)\", logos).")
        {
            user, prefix, name, json,
        };
        AddExclusive(command, user, prefix);
        command.SetAction(parse =>
        {
            var spec = Run(() => KernelSpec.Install(Location(parse.GetValue(prefix)), parse.GetValue(name)!));
            Print(context, parse.GetValue(json), new SpecSummary(spec.Name, spec.Directory, true, spec.Argv),
                $"installed kernelspec '{spec.Name}' ({KernelSpec.DisplayName}) in {spec.Directory}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command BuildUninstall(CliContext context)
    {
        var (user, prefix, name, json) = SpecOptions();
        var command = new Command("uninstall", "Remove the kernelspec written by 'kernel install' (same --user/--prefix/--name).")
        {
            user, prefix, name, json,
        };
        AddExclusive(command, user, prefix);
        command.SetAction(parse =>
        {
            var location = Location(parse.GetValue(prefix));
            var kernelName = parse.GetValue(name)!;
            var directory = Path.Combine(location.KernelsDirectory, kernelName);
            if (!Run(() => KernelSpec.Uninstall(location, kernelName)))
            {
                throw new CommandFailedException($"no kernelspec '{kernelName}' in {location.KernelsDirectory}");
            }

            Print(context, parse.GetValue(json), new SpecSummary(kernelName, directory, false, null), $"removed kernelspec '{kernelName}' from {directory}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static void AddExclusive(Command command, Option<bool> user, Option<DirectoryInfo> prefix) =>
        command.Validators.Add(r =>
        {
            if (r.GetValue(user) && r.GetValue(prefix) is not null)
            {
                r.AddError("--user and --prefix cannot be used together");
            }
        });

    private static KernelSpecLocation Location(DirectoryInfo? prefix) =>
        prefix is null ? KernelSpecLocation.User() : KernelSpecLocation.Prefix(prefix.FullName);

    private static T Run<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (ArgumentException e)
        {
            throw new CommandFailedException(e.Message.Split(" (Parameter", 2)[0]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException(e.Message);
        }
    }

    private static void Print(CliContext context, bool json, SpecSummary summary, string text)
    {
        if (json)
        {
            JsonOutput.Write(context.Out, summary);
        }
        else
        {
            context.Out.WriteLine(text);
        }
    }
}
