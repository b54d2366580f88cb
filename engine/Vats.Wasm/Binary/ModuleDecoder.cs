using Vats.Wasm.Model;

namespace Vats.Wasm.Binary;

/// <summary>Decodes the binary format into a <see cref="Module"/> (placeholder until the decoder lands).</summary>
public static class ModuleDecoder
{
    /// <summary>Decodes a module. The returned module's memory slices point into <paramref name="bytes"/>, which must not change.</summary>
    public static Module Decode(byte[] bytes) => throw new NotImplementedException($"decoder not yet available ({bytes.Length} bytes)");
}
