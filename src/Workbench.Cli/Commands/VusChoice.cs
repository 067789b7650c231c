using System.CommandLine;
using Workbench.Cli.Infrastructure;
using Workbench.Evaluation.Metrics;

namespace Workbench.Cli.Commands;

/// <summary>
/// The <c>evaluate</c> options that choose how VUS-ROC/VUS-PR are computed (docs/METRICS.md, "VUS"):
/// <c>--vus vldb2022|tsb-ad-2024</c> and <c>--vus-buffer L</c>.
/// </summary>
internal sealed class VusChoice
{
    private const string Vldb = "vldb2022";
    private const string TsbAd = "tsb-ad-2024";

    private VusChoice()
    {
        Definition = new Option<string>("--vus")
        {
            Description = $"VUS definition: {Vldb} (default; TheDatumOrg/VUS, the PVLDB 2022 paper's code) or {TsbAd} (TheDatumOrg/TSB-AD, the authors' current code: threshold-dependent P', step-sum PR). See docs/METRICS.md.",
            DefaultValueFactory = _ => Vldb,
        };
        Definition.AcceptOnlyFromAmong(Vldb, TsbAd);
        MaxBuffer = new Option<int?>("--vus-buffer")
        {
            Description = "VUS largest buffer length L in points (default: the median labelled event length). TSB-AD uses 2 × its sliding window.",
        };
    }

    /// <summary>The <c>--vus</c> option.</summary>
    public Option<string> Definition { get; }

    /// <summary>The <c>--vus-buffer</c> option.</summary>
    public Option<int?> MaxBuffer { get; }

    /// <summary>Creates the two options (add them with <see cref="All"/>).</summary>
    public static VusChoice Create() => new();

    /// <summary>Both options, for <c>command.Options.Add</c>.</summary>
    public IEnumerable<Option> All => [Definition, MaxBuffer];

    /// <summary>The VUS options the command line asks for; throws <see cref="CommandFailedException"/> for a negative buffer.</summary>
    public VusOptions Parse(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var buffer = parse.GetValue(MaxBuffer);
        if (buffer is < 0)
        {
            throw new CommandFailedException($"--vus-buffer must be 0 or more (got {buffer})");
        }

        return new VusOptions
        {
            Definition = parse.GetValue(Definition) == TsbAd ? VusDefinition.TsbAd2024 : VusDefinition.Vldb2022,
            MaxBuffer = buffer,
        };
    }

    /// <summary>Whether <paramref name="options"/> are the defaults (what a cluster silo computes).</summary>
    public static bool IsDefault(VusOptions options) => options == new VusOptions();
}
