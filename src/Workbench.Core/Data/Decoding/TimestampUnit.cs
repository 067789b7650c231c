namespace Workbench.Data.Decoding;

/// <summary>The unit of an INT64 TIMESTAMP column (adjusted to UTC) and its conversion to <see cref="DateTime"/> ticks.</summary>
internal readonly struct TimestampUnit
{
    private const long EpochTicks = 621_355_968_000_000_000; // DateTime.UnixEpoch.Ticks
    private const long MaxTicks = 3_155_378_975_999_999_999; // DateTime.MaxValue.Ticks

    private readonly long _ticksPerUnit; // > 0: multiply; 0: nanoseconds (divide by 100)

    private TimestampUnit(long ticksPerUnit) => _ticksPerUnit = ticksPerUnit;

    public static TimestampUnit Millis { get; } = new(TimeSpan.TicksPerMillisecond);

    public static TimestampUnit Micros { get; } = new(TimeSpan.TicksPerMicrosecond);

    public static TimestampUnit Nanos { get; } = new(0);

    /// <summary>Converts raw counts (already in machine byte order) to UTC times.</summary>
    /// <exception cref="ChunkDecodeException">A count outside the range of <see cref="DateTime"/>.</exception>
    public void Convert(ReadOnlySpan<long> raw, Span<DateTime> output)
    {
        if (_ticksPerUnit == 0)
        {
            for (var i = 0; i < raw.Length; i++)
            {
                output[i] = ToDateTime(raw[i]);
            }

            return;
        }

        var perUnit = _ticksPerUnit;
        var max = (MaxTicks - EpochTicks) / perUnit;
        var min = -EpochTicks / perUnit;
        for (var i = 0; i < raw.Length; i++)
        {
            var r = raw[i];
            if (r < min || r > max)
            {
                throw OutOfRange(r);
            }

            output[i] = new DateTime(EpochTicks + (r * perUnit), DateTimeKind.Utc);
        }
    }

    /// <summary>The UTC time <paramref name="raw"/> units after the Unix epoch.</summary>
    /// <exception cref="ChunkDecodeException">Outside the range of <see cref="DateTime"/>.</exception>
    public DateTime ToDateTime(long raw)
    {
        long ticks;
        if (_ticksPerUnit == 0)
        {
            ticks = EpochTicks + (raw / 100);
        }
        else
        {
            var max = (MaxTicks - EpochTicks) / _ticksPerUnit;
            var min = -EpochTicks / _ticksPerUnit;
            if (raw < min || raw > max)
            {
                throw OutOfRange(raw);
            }

            ticks = EpochTicks + (raw * _ticksPerUnit);
        }

        if ((ulong)ticks > MaxTicks)
        {
            throw OutOfRange(raw);
        }

        return new DateTime(ticks, DateTimeKind.Utc);
    }

    private static ChunkDecodeException OutOfRange(long raw) =>
        new($"timestamp {raw} is outside the range of DateTime (years 1–9999)");
}
