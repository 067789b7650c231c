using System.Buffers.Binary;
using System.Text;
using Parquet;
using Workbench.Core;
using Workbench.Data;
using Workbench.Generation;
using Workbench.Tests.Support;

namespace Workbench.Tests.Data;

/// <summary>
/// Corruption is evident (issue 11, part 5): a flipped byte anywhere in a file Workbench wrote fails the read with one
/// line naming the file and the row group and column (or the footer); files without digests still read, unverified.
/// Chunk ranges come from Parquet.Net's own footer metadata, not from our digest record.
/// </summary>
public class IntegrityTests
{
    private const int RowGroupSize = 2048;

    /// <summary>A dataset written by the Workbench writer before digests existed (see Fixtures/integrity/README.md).</summary>
    internal static string PreDigestFixture => Path.Combine(TestPaths.RepoRoot, "tests", "Workbench.Tests", "Fixtures", "integrity", "pre-digest.parquet");

    [Fact]
    public async Task IntactFile_VerifiesEveryColumnChunkAndTheFooter()
    {
        using var dir = new TempDir();
        var path = dir.File("intact.parquet");
        await WriteGeneratedAsync(path);

        await using var reader = await LabeledDatasetReader.OpenAsync(path);
        Assert.True(reader.HasIntegrityDigests);
        Assert.True(reader.RowGroupCount >= 4, $"{reader.RowGroupCount} row groups");
        Assert.Equal(reader.RowGroupCount * 7, reader.RecordedChunks);
        Assert.Equal(0, reader.VerifiedChunks);
        long rows = 0;
        await foreach (var batch in reader.ReadBatchesAsync())
        {
            rows += batch.Count;
        }

        Assert.Equal(reader.RowCount, rows);
        Assert.Equal(reader.RecordedChunks, reader.VerifiedChunks);
    }

    [Fact]
    public async Task VerifyIntegrityOff_SkipsTheChunkDigests()
    {
        using var dir = new TempDir();
        var path = dir.File("intact.parquet");
        await WriteGeneratedAsync(path);

        Assert.NotEmpty(Samples.ReadAll(path, new DatasetReaderOptions { VerifyIntegrity = false }));
        await using var reader = await LabeledDatasetReader.OpenAsync(path, new DatasetReaderOptions { VerifyIntegrity = false });
        await foreach (var _ in reader.ReadBatchesAsync())
        {
        }

        Assert.True(reader.HasIntegrityDigests);
        Assert.Equal(0, reader.VerifiedChunks);
    }

    [Fact]
    public async Task DigestRecord_IsTheLastKey_AndTheFileIsByteIdenticalPerInput()
    {
        using var dir = new TempDir();
        await WriteGeneratedAsync(dir.File("a.parquet"));
        await WriteGeneratedAsync(dir.File("b.parquet"));
        Assert.Equal(await File.ReadAllBytesAsync(dir.File("a.parquet")), await File.ReadAllBytesAsync(dir.File("b.parquet")));

        await using var parquet = await ParquetReader.CreateAsync(dir.File("a.parquet"));
        var last = parquet.CustomMetadata.Last();
        Assert.Equal(LabeledDatasetFormat.DigestsKey, last.Key);
        Assert.StartsWith("{\"format\":\"workbench-digests/1\",\"algorithm\":\"xxh3-64\",\"footer\":\"", last.Value, StringComparison.Ordinal);
        Assert.DoesNotContain("\"footer\":\"0000000000000000\"", last.Value, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(LabeledDatasetFormat.ValueColumn)]
    [InlineData(LabeledDatasetFormat.TimestampColumn)]
    [InlineData(LabeledDatasetFormat.IsAnomalyColumn)]
    [InlineData(LabeledDatasetFormat.AnomalyKindColumn)]
    [InlineData(LabeledDatasetFormat.AnomalyIdColumn)]
    [InlineData(LabeledDatasetFormat.SeriesIdColumn)]
    [InlineData(LabeledDatasetFormat.SeriesColumn)]
    public async Task FlippedBytesInADataPage_FailTheRead_NamingFileRowGroupAndColumn(string column)
    {
        using var dir = new TempDir();
        var path = dir.File("flipped.parquet");
        await WriteGeneratedAsync(path);
        var (start, dataPage, end) = await ChunkRangeAsync(path, 2, column);
        // Up to 64 bytes at the end of the chunk: the last data page's payload, behind its header.
        var count = (int)Math.Min(64, (end - dataPage) / 2);
        Assert.True(count >= 1 && end - start > count, $"chunk {start}..{end}");
        FlipBytes(path, end - count, count);

        var e = await Assert.ThrowsAsync<DatasetFormatException>(() => ReadAllAsync(path));
        Assert.Equal(2, e.RowGroup);
        Assert.Equal(column, e.Field);
        Assert.False(e.InFooter);
        Assert.StartsWith($"{path}, row group 2 (rows {2 * RowGroupSize}–{(3 * RowGroupSize) - 1}), field '{column}': ", e.Message, StringComparison.Ordinal);
        Assert.Contains("does not match its recorded digest", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("regenerate or re-export it", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public async Task FlippedPageHeader_FailsBeforeParquetNetDecodesIt()
    {
        using var dir = new TempDir();
        var path = dir.File("header.parquet");
        await WriteGeneratedAsync(path);
        var (_, dataPage, _) = await ChunkRangeAsync(path, 1, LabeledDatasetFormat.ValueColumn);
        FlipBytes(path, dataPage, 8); // the page header's sizes: decoded as is they would ask for absurd buffers

        var e = await Assert.ThrowsAsync<DatasetFormatException>(() => ReadAllAsync(path));
        Assert.Equal(1, e.RowGroup);
        Assert.Equal(LabeledDatasetFormat.ValueColumn, e.Field);
    }

    [Fact]
    public async Task EveryRowGroupBeforeTheDamage_IsDelivered_ThenTheReadFails()
    {
        using var dir = new TempDir();
        var path = dir.File("late.parquet");
        await WriteGeneratedAsync(path);
        var (_, _, end) = await ChunkRangeAsync(path, 3, LabeledDatasetFormat.TimestampColumn);
        FlipBytes(path, end - 1, 1);

        await using var reader = await LabeledDatasetReader.OpenAsync(path, new DatasetReaderOptions { Prefetch = false });
        long rows = 0;
        var e = await Assert.ThrowsAsync<DatasetFormatException>(async () =>
        {
            await foreach (var batch in reader.ReadBatchesAsync())
            {
                rows += batch.Count;
            }
        });
        Assert.Equal(3, e.RowGroup);
        Assert.Equal(3 * RowGroupSize, rows);
    }

    /// <summary>Positions in the footer, as fractions of its length, plus named spots.</summary>
    public static TheoryData<string> FooterSpots() =>
    [
        "first", "quarter", "middle", "three-quarters", "last", "digest-hex", "digests-key", "format-key", "series-table", "length-field",
    ];

    [Theory]
    [MemberData(nameof(FooterSpots))]
    public async Task FlippedByteInTheFooter_FailsTheOpen_NamingFileAndFooter(string spot)
    {
        using var dir = new TempDir();
        var path = dir.File("footer.parquet");
        await WriteGeneratedAsync(path);
        var (footerStart, footerLength) = Footer(path);
        var footer = File.ReadAllBytes(path).AsSpan((int)footerStart, footerLength).ToArray();
        long At(string text) => footerStart + footer.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) is var i && i >= footerStart ? i : throw new InvalidOperationException(text);
        var offset = spot switch
        {
            "first" => footerStart,
            "quarter" => footerStart + (footerLength / 4),
            "middle" => footerStart + (footerLength / 2),
            "three-quarters" => footerStart + (footerLength * 3 / 4),
            "last" => footerStart + footerLength - 1,
            "digest-hex" => At("\"footer\":\"") + 12,
            "digests-key" => At(LabeledDatasetFormat.DigestsKey) + 10,
            "format-key" => At(LabeledDatasetFormat.FormatKey) + 3,
            "series-table" => At("[\"host-") + 4,
            "length-field" => footerStart + footerLength,
            _ => throw new ArgumentOutOfRangeException(nameof(spot)),
        };
        FlipBytes(path, offset, 1, mask: 0x01);

        var e = await Assert.ThrowsAsync<DatasetFormatException>(() => ReadAllAsync(path));
        Assert.True(e.InFooter, e.Message);
        Assert.Null(e.RowGroup);
        Assert.StartsWith($"{path}, footer: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("regenerate or re-export it", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task FooterLengthLargerThanTheFile_FailsWithOneLine(bool preDigest)
    {
        using var dir = new TempDir();
        var path = dir.File("length.parquet");
        if (preDigest)
        {
            File.Copy(PreDigestFixture, path);
        }
        else
        {
            await WriteGeneratedAsync(path);
        }

        var length = new FileInfo(path).Length;
        WriteFooterLength(path, uint.MaxValue - 7);

        var e = await Assert.ThrowsAsync<DatasetFormatException>(() => ReadAllAsync(path));
        Assert.True(e.InFooter);
        Assert.Equal($"{path}, footer: the footer length 4,294,967,288 bytes does not fit the file ({length:N0} bytes, at most {length - 12:N0} for the footer); " +
            "the footer length is damaged or the file is truncated: the file is corrupt (damaged on disk or in transfer): regenerate or re-export it", e.Message);
    }

    [Fact]
    public async Task FooterLengthOneShort_FailsWithOneLine()
    {
        using var dir = new TempDir();
        var path = dir.File("short.parquet");
        await WriteGeneratedAsync(path);
        var (_, footerLength) = Footer(path);
        WriteFooterLength(path, (uint)footerLength - 1);

        var e = await Assert.ThrowsAsync<DatasetFormatException>(() => ReadAllAsync(path));
        Assert.True(e.InFooter, e.Message);
        Assert.StartsWith($"{path}, footer: ", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(100)]
    [InlineData(-1)] // half the file
    public async Task TruncatedFile_FailsNamingTheFooter(int dropBytes)
    {
        using var dir = new TempDir();
        var path = dir.File("truncated.parquet");
        await WriteGeneratedAsync(path);
        var length = new FileInfo(path).Length;
        await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            stream.SetLength(dropBytes < 0 ? length / 2 : length - dropBytes);
        }

        var e = await Assert.ThrowsAsync<DatasetFormatException>(() => ReadAllAsync(path));
        Assert.True(e.InFooter);
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
        Assert.StartsWith($"{path}, footer: ", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public async Task TinyOrEmptyFile_FailsNamingTheFooter(int bytes)
    {
        using var dir = new TempDir();
        var path = dir.File("tiny.parquet");
        await File.WriteAllBytesAsync(path, new byte[bytes]);

        var e = await Assert.ThrowsAsync<DatasetFormatException>(() => ReadAllAsync(path));
        Assert.True(e.InFooter);
        Assert.Contains("too short for Parquet", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task FlippedMagic_FailsNamingTheFooter(bool leading)
    {
        using var dir = new TempDir();
        var path = dir.File("magic.parquet");
        await WriteGeneratedAsync(path);
        FlipBytes(path, leading ? 1 : new FileInfo(path).Length - 2, 1);

        var e = await Assert.ThrowsAsync<DatasetFormatException>(() => ReadAllAsync(path));
        Assert.True(e.InFooter);
        Assert.Contains(leading ? "does not start with the Parquet magic" : "does not end with the Parquet magic", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GarbageThriftFooter_OfAFileWithoutDigests_FailsWithOneTypedLine()
    {
        using var dir = new TempDir();
        var path = dir.File("garbage.parquet");
        File.Copy(PreDigestFixture, path);
        var (footerStart, footerLength) = Footer(path);
        await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            stream.Position = footerStart;
            stream.Write(Enumerable.Repeat((byte)0xFF, footerLength).ToArray());
        }

        var e = await Assert.ThrowsAsync<DatasetFormatException>(() => ReadAllAsync(path));
        Assert.True(e.InFooter);
        Assert.StartsWith($"{path}, footer: the footer (4,070 bytes) is not well-formed Parquet metadata (", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    /// <summary>Parquet.Net 6.1 spins forever on this footer (its closing STOP byte flipped); the structural check stops it first.</summary>
    [Fact]
    public async Task PreDigestFile_WithItsLastFooterByteFlipped_FailsInsteadOfHanging()
    {
        using var dir = new TempDir();
        var path = dir.File("stop.parquet");
        File.Copy(PreDigestFixture, path);
        var (footerStart, footerLength) = Footer(path);
        FlipBytes(path, footerStart + footerLength - 1, 1, mask: 0x01);

        var e = await Assert.ThrowsAsync<DatasetFormatException>(() => ReadAllAsync(path)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(e.InFooter);
        Assert.Contains("is not well-formed Parquet metadata", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PreDigestFile_WithADamagedTimestampPage_FailsWithOneLineNamingRowGroupAndColumn()
    {
        using var dir = new TempDir();
        var path = dir.File("old-damaged.parquet");
        File.Copy(PreDigestFixture, path);
        var (_, dataPage, end) = await ChunkRangeAsync(path, 0, LabeledDatasetFormat.TimestampColumn);
        FlipBytes(path, end - 64, 64);
        Assert.True(end - 64 > dataPage);

        var e = await Assert.ThrowsAsync<DatasetFormatException>(() => ReadAllAsync(path));
        Assert.Equal(0, e.RowGroup);
        Assert.Equal(LabeledDatasetFormat.TimestampColumn, e.Field);
        Assert.Contains("the file records no digests, so the damaged bytes cannot be named", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public async Task ThriftFooterCheck_AcceptsTheFootersParquetNetWrites()
    {
        using var dir = new TempDir();
        await WriteGeneratedAsync(dir.File("new.parquet"));
        await RawFile.Valid().WriteAsync(dir.File("raw.parquet"), rowGroupSize: 5);
        foreach (var path in new[] { dir.File("new.parquet"), dir.File("raw.parquet"), PreDigestFixture })
        {
            var (start, length) = Footer(path);
            Assert.Null(ThriftFooterCheck.Check(File.ReadAllBytes(path).AsSpan((int)start, length)));
        }

        Assert.NotNull(ThriftFooterCheck.Check([0x15, 0x02])); // an i32 field, then the end without STOP
        Assert.Null(ThriftFooterCheck.Check([0x15, 0x02, 0x00]));
        Assert.NotNull(ThriftFooterCheck.Check([0x19, 0xFC])); // a list claiming 15+ elements with no bytes left
    }

    [Fact]
    public async Task PreDigestFile_StillReads_Unverified()
    {
        await using var reader = await LabeledDatasetReader.OpenAsync(PreDigestFixture);
        Assert.False(reader.HasIntegrityDigests);
        Assert.Equal(0, reader.RecordedChunks);
        long rows = 0;
        await foreach (var batch in reader.ReadBatchesAsync())
        {
            rows += batch.Count;
        }

        Assert.Equal(8_640, rows);
        Assert.Equal(0, reader.VerifiedChunks);
        Assert.Equal("generate", reader.Recipe?.Source);
    }

    [Fact]
    public async Task PreDigestFile_RewrittenByTheWriter_GainsDigests_AndTheSameRows()
    {
        using var dir = new TempDir();
        var path = dir.File("rewritten.parquet");
        await using (var old = await LabeledDatasetReader.OpenAsync(PreDigestFixture))
        {
            await LabeledDatasetWriter.WriteAsync(path, old.SeriesNames, old.ReadBatches(), old.Recipe!);
        }

        await using var reader = await LabeledDatasetReader.OpenAsync(path);
        Assert.True(reader.HasIntegrityDigests);
        Assert.Equal(Samples.ReadAll(PreDigestFixture), Samples.ReadAll(path));
    }

    /// <summary>A small generated dataset: 6 series × 1,440 points, <see cref="RowGroupSize"/> rows per row group (5 row groups).</summary>
    internal static async Task WriteGeneratedAsync(string path, int rowGroupSize = RowGroupSize)
    {
        var spec = Presets.Get("default-small").WithOverrides(sources: 2, points: 1440, seed: 7);
        var generator = new DatasetGenerator(spec);
        await LabeledDatasetWriter.WriteAsync(path, generator.SeriesNames, generator.Generate(), DatasetRecipe.Create("generate", spec.ToJson(), spec.Seed),
            new DatasetWriterOptions { RowGroupSize = rowGroupSize });
    }

    /// <summary>A column chunk's start, its (first) data page's offset and its end, from Parquet.Net's footer metadata.</summary>
    internal static async Task<(long Start, long DataPage, long End)> ChunkRangeAsync(string path, int rowGroup, string column)
    {
        await using var parquet = await ParquetReader.CreateAsync(path);
        var index = parquet.Schema.DataFields.Select(f => f.Name).ToList().IndexOf(column);
        var meta = parquet.Metadata!.RowGroups[rowGroup].Columns[index].MetaData!;
        var start = meta.DictionaryPageOffset is > 0 and var d ? d : meta.DataPageOffset;
        return (start, meta.DataPageOffset, start + meta.TotalCompressedSize);
    }

    /// <summary>The footer's start and length, from the file's last 8 bytes.</summary>
    internal static (long Start, int Length) Footer(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(bytes.Length - 8));
        return (bytes.Length - 8 - length, length);
    }

    internal static void WriteFooterLength(string path, uint length)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = stream.Length - 8;
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, length);
        stream.Write(bytes);
    }

    /// <summary>XORs <paramref name="count"/> bytes at <paramref name="offset"/> with <paramref name="mask"/>.</summary>
    internal static void FlipBytes(string path, long offset, int count, byte mask = 0xFF)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        var buffer = new byte[count];
        stream.Position = offset;
        stream.ReadExactly(buffer);
        for (var i = 0; i < count; i++)
        {
            buffer[i] ^= mask;
        }

        stream.Position = offset;
        stream.Write(buffer);
    }

    private static async Task ReadAllAsync(string path)
    {
        await using var reader = await LabeledDatasetReader.OpenAsync(path);
        await foreach (var _ in reader.ReadBatchesAsync())
        {
        }
    }
}
