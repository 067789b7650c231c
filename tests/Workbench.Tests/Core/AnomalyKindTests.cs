using Workbench.Core;

namespace Workbench.Tests.Core;

public class AnomalyKindTests
{
    [Theory]
    [InlineData("spike")]
    [InlineData("level_shift")]
    [InlineData("drift")]
    [InlineData("missing")]
    [InlineData("seasonal")]
    [InlineData("labelled_window")]
    public void FromName_WellKnown_ReturnsSharedInstance(string name)
    {
        Assert.Same(AnomalyKind.FromName(name), AnomalyKind.FromName(name));
        Assert.Equal(name, AnomalyKind.FromName(name).Name);
    }

    [Fact]
    public void FromName_Unknown_KeepsName_AndEqualsByName()
    {
        var a = AnomalyKind.FromName("contextual");
        Assert.Equal("contextual", a.Name);
        Assert.Equal(a, AnomalyKind.FromName("contextual"));
        Assert.False(AnomalyKind.IsWellKnown("contextual"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void FromName_Blank_Throws(string name) =>
        Assert.Throws<ArgumentException>(() => AnomalyKind.FromName(name));

    [Fact]
    public void Injected_HasTheFiveKindsInCanonicalOrder() =>
        Assert.Equal(["spike", "level_shift", "drift", "missing", "seasonal"], AnomalyKind.Injected.Select(k => k.Name));
}
