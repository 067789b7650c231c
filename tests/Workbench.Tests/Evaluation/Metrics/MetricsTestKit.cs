namespace Workbench.Tests.Evaluation.Metrics;

/// <summary>Short notation for metric inputs: "0110" = four points, the middle two true.</summary>
internal static class MetricsTestKit
{
    public static bool[] B(string bits)
    {
        var result = new bool[bits.Length];
        for (var i = 0; i < bits.Length; i++)
        {
            result[i] = bits[i] switch
            {
                '1' => true,
                '0' => false,
                _ => throw new ArgumentException($"Bad bit '{bits[i]}' in \"{bits}\".", nameof(bits)),
            };
        }

        return result;
    }

    /// <summary>Timestamps one minute apart from 2024-01-01T00:00Z.</summary>
    public static DateTime[] Minutes(int count)
    {
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var result = new DateTime[count];
        for (var i = 0; i < count; i++) { result[i] = start.AddMinutes(i); }
        return result;
    }
}
