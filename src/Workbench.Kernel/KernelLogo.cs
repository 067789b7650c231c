using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;

namespace Workbench.Kernel;

/// <summary>
/// The kernel's logo, drawn in code (no image files to keep in sync): a violet rounded square with a white time-series
/// line that has one spike, the anomaly. PNG (RGBA, written with a minimal encoder) and SVG.
/// </summary>
public static class KernelLogo
{
    private static readonly (double X, double Y)[] Line = [(0.14, 0.62), (0.30, 0.56), (0.42, 0.64), (0.52, 0.20), (0.62, 0.66), (0.74, 0.58), (0.86, 0.62)];

    /// <summary>A <paramref name="size"/>×<paramref name="size"/> PNG.</summary>
    public static byte[] Png(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 8);
        var raw = new byte[size * (1 + size * 4)];
        for (var y = 0; y < size; y++)
        {
            var row = y * (1 + size * 4);
            raw[row] = 0; // filter: none
            for (var x = 0; x < size; x++)
            {
                var (r, g, b, a) = Pixel((x + 0.5) / size, (y + 0.5) / size, 1.0 / size);
                var at = row + 1 + x * 4;
                raw[at] = r;
                raw[at + 1] = g;
                raw[at + 2] = b;
                raw[at + 3] = a;
            }
        }

        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, size);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), size);
        header[8] = 8; // bit depth
        header[9] = 6; // RGBA
        Chunk(png, "IHDR", header);
        using (var compressed = new MemoryStream())
        {
            using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                z.Write(raw);
            }

            Chunk(png, "IDAT", compressed.ToArray());
        }

        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>The same logo as SVG.</summary>
    public static string Svg()
    {
        var points = string.Join(' ', Line.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.X * 64:0.##},{p.Y * 64:0.##}")));
        return $"""
            <svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">
              <rect x="2" y="2" width="60" height="60" rx="12" fill="#5b3cc4"/>
              <polyline points="{points}" fill="none" stroke="#ffffff" stroke-width="5" stroke-linejoin="round" stroke-linecap="round"/>
            </svg>
            """;
    }

    private static (byte R, byte G, byte B, byte A) Pixel(double x, double y, double pixel)
    {
        // Rounded square with a one-pixel soft edge.
        const double inset = 0.03, radius = 0.19;
        var dx = Math.Max(Math.Abs(x - 0.5) - (0.5 - inset - radius), 0);
        var dy = Math.Max(Math.Abs(y - 0.5) - (0.5 - inset - radius), 0);
        var outside = Math.Sqrt(dx * dx + dy * dy) - radius;
        var alpha = Math.Clamp(0.5 - outside / pixel, 0, 1);
        if (alpha <= 0)
        {
            return (0, 0, 0, 0);
        }

        var distance = double.MaxValue;
        for (var i = 1; i < Line.Length; i++)
        {
            distance = Math.Min(distance, SegmentDistance(x, y, Line[i - 1], Line[i]));
        }

        var white = Math.Clamp(0.5 - (distance - 0.04) / pixel, 0, 1);
        byte Mix(double bg) => (byte)Math.Round(bg + (255 - bg) * white);
        return (Mix(0x5b), Mix(0x3c), Mix(0xc4), (byte)Math.Round(alpha * 255));
    }

    private static double SegmentDistance(double x, double y, (double X, double Y) a, (double X, double Y) b)
    {
        var (vx, vy) = (b.X - a.X, b.Y - a.Y);
        var t = Math.Clamp(((x - a.X) * vx + (y - a.Y) * vy) / (vx * vx + vy * vy), 0, 1);
        var (px, py) = (a.X + t * vx - x, a.Y + t * vy - y);
        return Math.Sqrt(px * px + py * py);
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        var crc = Crc32(typeBytes, data);
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        png.Write(word);
    }

    private static uint Crc32(byte[] type, byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var span in new[] { type, data })
        {
            foreach (var b in span)
            {
                crc ^= b;
                for (var k = 0; k < 8; k++)
                {
                    crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
                }
            }
        }

        return crc ^ 0xFFFFFFFFu;
    }
}
