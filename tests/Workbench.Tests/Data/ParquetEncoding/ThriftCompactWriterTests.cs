using Workbench.Data.ParquetEncoding;

namespace Workbench.Tests.Data.ParquetEncoding;

public class ThriftCompactWriterTests
{
    [Fact]
    public void Fields_ShortDeltasInTheHeader_LongOnesAsZigZagIds_NestedStructsKeepTheirOwnIds()
    {
        var buffer = new ByteBuffer();
        var w = new ThriftCompactWriter(buffer);
        w.BeginStruct();
        w.I32Field(1, 2);          // 0x15, zigzag(2) = 4
        w.I64Field(20, -1);        // delta 19 > 15: type 0x06, zigzag(20) = 40, then zigzag(-1) = 1
        w.BeginStructField(21);    // delta 1: 0x1C
        w.BoolField(1, true);      // 0x11
        w.EndStruct();             // STOP
        w.BoolField(22, false);    // delta 1 from 21 (the outer struct's last id): 0x12
        w.ListField(23, CompactType.I32, 2); // 0x19, (2 << 4) | 5
        w.I32(300);                // zigzag 600 = 0xD8 0x04
        w.I32(-3);                 // 5
        w.StringField(24, "ab");   // 0x18, 2, 'a', 'b'
        w.ListField(25, CompactType.Binary, 16); // 0x19, 0xF8, 16
        w.EndStruct();
        Assert.Equal(
            new byte[] { 0x15, 0x04, 0x06, 0x28, 0x01, 0x1C, 0x11, 0x00, 0x12, 0x19, 0x25, 0xD8, 0x04, 0x05, 0x18, 0x02, 0x61, 0x62, 0x19, 0xF8, 0x10, 0x00 },
            buffer.Written.ToArray());
    }

    [Fact]
    public void ByteAndI16Fields_AreOneRawByte_AndAZigZagVarint()
    {
        var buffer = new ByteBuffer();
        var w = new ThriftCompactWriter(buffer);
        w.BeginStruct();
        w.ByteField(1, 32);
        w.I16Field(2, -200);
        w.EndStruct();
        Assert.Equal(new byte[] { 0x13, 0x20, 0x14, 0x8F, 0x03, 0x00 }, buffer.Written.ToArray());
    }
}
