using System.Text;

namespace Vats.Wasm.Tests.Binary;

// Builds module binaries byte by byte for decoder tests.
internal static class ModuleBytes
{
    public static readonly byte[] Header = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00];

    // The header followed by the given sections (or any other raw bytes).
    public static byte[] Module(params byte[][] sections) => Concat([Header, .. sections]);

    // A section: id, size, content.
    public static byte[] Section(byte id, params byte[][] content)
    {
        var body = Concat(content);
        return Concat([id], U32((uint)body.Length), body);
    }

    // A vector: count, then the items.
    public static byte[] Vec(params byte[][] items) => Concat([U32((uint)items.Length), .. items]);

    // A function body with its size prefix: local groups then the code (which must end with 0x0B).
    public static byte[] Body(byte[] locals, params byte[] code) => Sized(Concat(locals, code));

    // Bytes prefixed by their length.
    public static byte[] Sized(byte[] bytes) => Concat(U32((uint)bytes.Length), bytes);

    public static byte[] Name(string name) => Sized(Encoding.UTF8.GetBytes(name));

    public static byte[] U32(uint value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            if (value != 0) b |= 0x80;
            bytes.Add(b);
        } while (value != 0);
        return [.. bytes];
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    // Type section with one type, () -> ().
    public static byte[] VoidType => Section(1, Vec([0x60, 0x00, 0x00]));

    // Function section declaring count functions of type 0.
    public static byte[] Functions(int count) => Section(3, Vec(Enumerable.Repeat(new byte[] { 0x00 }, count).ToArray()));
}
