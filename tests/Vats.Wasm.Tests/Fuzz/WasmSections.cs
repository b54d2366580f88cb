namespace Vats.Wasm.Tests.Fuzz;

/// <summary>
/// Splits a module binary into its top-level sections without decoding them, so that the fuzzer can move
/// whole sections around. Independent of the decoder under test on purpose.
/// </summary>
internal static class WasmSections
{
    /// <summary>Magic number and version.</summary>
    public const int HeaderLength = 8;

    /// <summary>A section's bytes: id, size and contents as [Start, End); the contents start at ContentStart.</summary>
    public readonly record struct Section(byte Id, int Start, int ContentStart, int End);

    /// <summary>The sections, or null when the layout is already broken (bad size, past the end).</summary>
    public static List<Section>? Split(byte[] bytes)
    {
        if (bytes.Length < HeaderLength) return null;
        var sections = new List<Section>();
        var at = HeaderLength;
        while (at < bytes.Length)
        {
            var start = at;
            var id = bytes[at++];
            if (!TryReadU32(bytes, ref at, out var size) || size > bytes.Length - at) return null;
            sections.Add(new Section(id, start, at, at + (int)size));
            at += (int)size;
        }
        return sections;
    }

    /// <summary>The unsigned LEB128 encoding of <paramref name="value"/>.</summary>
    public static byte[] EncodeU32(uint value)
    {
        var bytes = new List<byte>(5);
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
        return [.. bytes];
    }

    private static bool TryReadU32(byte[] bytes, ref int at, out uint value)
    {
        value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            if (at >= bytes.Length) return false;
            var b = bytes[at++];
            value |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return true;
        }
        return false;
    }
}
