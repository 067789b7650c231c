using System.CommandLine;
using System.Diagnostics;
using Workbench.Cli.Infrastructure;
using Workbench.Data;
using Workbench.Operators.Forecasting;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench forecast</c>: rolling forecasts for every row of a dataset.</summary>
public static class ForecastCommand
{
    /// <summary>What <c>forecast --json</c> prints.</summary>
    public sealed record Result(string File, string Output, string Forecaster, int Horizon, long Rows, long Forecasts, double MeanAbsoluteError, double Seconds);

    public static Command Build(CliContext context)
    {
        var data = new Argument<FileInfo>("data") { Description = "A labelled Parquet file." };
        var forecaster = new Option<string>("--forecaster") { Description = "A forecaster spec, e.g. holt-winters(alpha=0.5,beta=0.1,gamma=0.1,period=1440,seasonality=additive).", Required = true };
        var horizon = new Option<int>("--horizon") { Description = "Steps ahead: the forecast at row t is made from the rows before row t-H+1 (default 1: from all rows before t).", DefaultValueFactory = _ => 1 };
        var output = new Option<FileInfo>("--out") { Description = "The Parquet file to write (the input's columns plus forecast, lower, upper).", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object." };
        var command = new Command("forecast", "Rolling forecasts with prediction intervals (state per series).")
        {
            data, forecaster, horizon, output, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(horizon) < 1)
            {
                throw new CommandFailedException("--horizon must be at least 1");
            }

            var f = OperatorCatalogs.Cli.ParseForecaster(parse.GetValue(forecaster)!);
            var result = await RunAsync(context, parse.GetValue(data)!.FullName, f, parse.GetValue(horizon), parse.GetValue(output)!.FullName, ct).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(context.Out, result);
            }
            else
            {
                await context.Out.WriteLineAsync(
                    $"forecast {result.Forecasts:N0} of {result.Rows:N0} rows with {result.Forecaster} (horizon {result.Horizon}) in {result.Seconds:F2} s, " +
                    $"MAE {result.MeanAbsoluteError:G6} → {result.Output}").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Forecasts <paramref name="path"/> into <paramref name="outPath"/>.</summary>
    public static async Task<Result> RunAsync(CliContext context, string path, IForecaster forecaster, int horizon, string outPath, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        OutputGuard.Check([path], ("--out", outPath));
        ArgumentNullException.ThrowIfNull(forecaster);
        OutputGuard.RequireFile(path);

        var clock = Stopwatch.StartNew();
        await using var reader = await LabeledDatasetReader.OpenAsync(path, null, ct).ConfigureAwait(false);
        var states = new RollingForecast?[reader.SeriesNames.Count];
        var columns = new[] { new ResultColumn("forecast", false), new ResultColumn("lower", false), new ResultColumn("upper", false) };
        var provenance = new Dictionary<string, string>
        {
            ["forecast"] = $"{forecaster.Spec}, horizon {horizon}",
            ["lower"] = $"{forecaster.Spec}, horizon {horizon}, lower bound",
            ["upper"] = $"{forecaster.Spec}, horizon {horizon}, upper bound",
        };
        var writer = await ResultsFileWriter.CreateAsync(outPath, reader.SeriesNames, reader.Recipe, columns, provenance, ct).ConfigureAwait(false);
        long rows = 0, forecasts = 0;
        double absError = 0;
        long errors = 0;
        try
        {
            await context.WithProgressAsync($"forecast {Path.GetFileName(path)}", reader.RowCount, async progress =>
            {
                await foreach (var batch in reader.ReadBatchesAsync(ct).ConfigureAwait(false))
                {
                    var n = batch.Count;
                    var value = new double?[n];
                    var lower = new double?[n];
                    var upper = new double?[n];
                    for (var i = 0; i < n; i++)
                    {
                        var state = states[batch.SeriesIds[i]] ??= new RollingForecast(forecaster.CreateKernel(), horizon);
                        var f = state.Next(batch.Timestamps[i], batch.Values[i]);
                        (value[i], lower[i], upper[i]) = (f.Value, f.Lower, f.Upper);
                        if (f.Value is { } v)
                        {
                            forecasts++;
                            if (batch.Values[i] is { } actual)
                            {
                                absError += Math.Abs(actual - v);
                                errors++;
                            }
                        }
                    }

                    await writer.WriteAsync(batch, [value, lower, upper], ct).ConfigureAwait(false);
                    rows += n;
                    progress(rows);
                }

                return rows;
            }).ConfigureAwait(false);
        }
        catch
        {
            writer.Abort();
            throw;
        }

        await writer.DisposeAsync().ConfigureAwait(false);
        clock.Stop();
        return new Result(path, outPath, forecaster.Spec, horizon, rows, forecasts, errors > 0 ? absError / errors : double.NaN, clock.Elapsed.TotalSeconds);
    }
}
