using Workbench.Charts;
using Workbench.Core;

namespace Workbench.Tests.Charts;

public class ColorSchemeTests
{
    [Fact]
    public void ForKind_WellKnownKinds_FixedAndDistinct()
    {
        var kinds = new AnomalyKind?[] { AnomalyKind.Spike, AnomalyKind.LevelShift, AnomalyKind.Drift, AnomalyKind.Missing, AnomalyKind.Seasonal, AnomalyKind.LabelledWindow, null };

        var colours = kinds.Select(ColorScheme.ForKind).ToArray();

        Assert.Equal([ColorScheme.Spike, ColorScheme.LevelShift, ColorScheme.Drift, ColorScheme.Missing, ColorScheme.Seasonal, ColorScheme.LabelledWindow, ColorScheme.UnknownKind], colours);
        Assert.Equal(colours.Length, colours.Distinct().Count());
        Assert.Equal(ColorScheme.Spike, ColorScheme.ForKind(AnomalyKind.FromName("spike")));
    }

    [Fact]
    public void ForKind_OtherKinds_StablePaletteColourNotAWellKnownOne()
    {
        // The colour only has to be stable across runs and machines: an FNV-1a hash of the name, never string.GetHashCode.
        var a = ColorScheme.ForKind(AnomalyKind.FromName("outage"));
        var b = ColorScheme.ForKind(AnomalyKind.FromName("outage"));

        Assert.Equal(a, b);
        Assert.Contains(a, ColorScheme.ExtraKindPalette);
        Assert.Equal(ExpectedFnvPaletteColour("outage"), a);
        var differentNames = new[] { "outage", "flatline", "noise", "jitter", "x", "y", "z" }.Select(n => ColorScheme.ForKind(AnomalyKind.FromName(n))).Distinct().Count();
        Assert.True(differentNames > 1, "names spread over the palette");
    }

    [Fact]
    public void WithOpacity_FormatsRgba_RejectsBadInput()
    {
        Assert.Equal("rgba(214,39,40,0.2)", ColorScheme.WithOpacity("#d62728", 0.2));
        Assert.Equal("rgba(0,0,0,1)", ColorScheme.WithOpacity("#000000", 1));
        Assert.Throws<ArgumentException>(() => ColorScheme.WithOpacity("red", 0.5));
        Assert.Throws<ArgumentException>(() => ColorScheme.WithOpacity("#000000", 1.5));
        Assert.Throws<ArgumentException>(() => ColorScheme.WithOpacity("#000000", double.NaN));
    }

    [Fact]
    public void ForIndex_Wraps()
    {
        Assert.Equal(ColorScheme.LinePalette[0], ColorScheme.ForIndex(ColorScheme.LinePalette.Count));
        Assert.Throws<ArgumentOutOfRangeException>(() => ColorScheme.ForIndex(-1));
    }

    private static string ExpectedFnvPaletteColour(string name)
    {
        uint h = 2166136261;
        foreach (var c in name) { h = unchecked((h ^ c) * 16777619); }
        return ColorScheme.ExtraKindPalette[(int)(h % (uint)ColorScheme.ExtraKindPalette.Count)];
    }
}
