using Vats.Wasm.Binary;
using Vats.Wasm.Errors;

namespace Vats.Wasm.Tests.Binary;

public sealed class WasmReaderTests
{
    [TestCase(new byte[] { 0x00 }, 0u)]
    [TestCase(new byte[] { 0xE5, 0x8E, 0x26 }, 624485u)]
    [TestCase(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x00 }, 0u)]
    [TestCase(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F }, uint.MaxValue)]
    public void ReadsU32(byte[] bytes, uint expected)
    {
        var reader = new WasmReader(bytes);
        var value = reader.ReadU32();
        var atEnd = reader.AtEnd;
        Assert.Multiple(() =>
        {
            Assert.That(value, Is.EqualTo(expected));
            Assert.That(atEnd, Is.True);
        });
    }

    [TestCase(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x1F }, "integer too large")]
    [TestCase(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 }, "integer representation too long")]
    [TestCase(new byte[] { 0x80, 0x80 }, "unexpected end")]
    public void RejectsBadU32(byte[] bytes, string reason)
    {
        var e = Assert.Throws<MalformedModuleException>(() => new WasmReader(bytes).ReadU32());
        Assert.That(e!.Reason, Is.EqualTo(reason));
    }

    [TestCase(new byte[] { 0x7F }, -1)]
    [TestCase(new byte[] { 0xC0, 0xBB, 0x78 }, -123456)]
    [TestCase(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x78 }, int.MinValue)]
    [TestCase(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x07 }, int.MaxValue)]
    public void ReadsS32(byte[] bytes, int expected) => Assert.That(new WasmReader(bytes).ReadS32(), Is.EqualTo(expected));

    [TestCase(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x4F })]
    [TestCase(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x70 })]
    public void RejectsS32WithBadUnusedBits(byte[] bytes) =>
        Assert.Throws<MalformedModuleException>(() => new WasmReader(bytes).ReadS32());

    [TestCase(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F }, long.MinValue)]
    [TestCase(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00 }, long.MaxValue)]
    public void ReadsS64(byte[] bytes, long expected) => Assert.That(new WasmReader(bytes).ReadS64(), Is.EqualTo(expected));

    [Test]
    public void RejectsInvalidUtf8Name()
    {
        var e = Assert.Throws<MalformedModuleException>(() => new WasmReader([0x02, 0xC0, 0x80]).ReadName());
        Assert.That(e!.Reason, Is.EqualTo("malformed UTF-8 encoding"));
    }
}
