using System.Text;

namespace Vats.QuickJs;

/// <summary>
/// UTF-8 and Base64 for the prelude's TextEncoder, TextDecoder and Base64 globals, done by the host: in JavaScript on
/// QuickJS they cost thousands of wasm instructions per byte, and the supervisor encodes and decodes every message.
/// The results are those of the WHATWG Encoding Standard (and xsnap's Base64), so nothing JavaScript can observe
/// changes except the fuel.
/// </summary>
public sealed partial class QuickJsEngine
{
    private static readonly UTF8Encoding Lenient = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private void RegisterCodecBuiltIns()
    {
        // The prelude passes only strings without U+0000 here (QuickJS hands strings to the host NUL-terminated).
        _callbacks[BuiltInPrefix + "utf8Encode"] = call => HostValue.Bytes(TextCodecs.Utf8FromWtf8(ReadWtf8(call.ArgumentBox(0))));
        _callbacks[BuiltInPrefix + "utf8Decode"] = call =>
        {
            var bytes = call.GetBytes(0);
            try
            {
                return HostValue.String((call.GetNumber(1) != 0 ? Strict : Lenient).GetString(bytes));
            }
            catch (DecoderFallbackException)
            {
                return HostValue.Undefined; // fatal and invalid: the prelude throws its TypeError
            }
        };
        _callbacks[BuiltInPrefix + "base64Encode"] = call => HostValue.String(Convert.ToBase64String(call.GetBytes(0)));
        _callbacks[BuiltInPrefix + "base64Decode"] = call => HostValue.Bytes(TextCodecs.Base64Decode(ReadWtf8(call.ArgumentBox(0))));
    }

    /// <summary>The bytes QuickJS gives for a string: UTF-8, with lone surrogates as their 3-byte WTF-8 forms.</summary>
    private byte[] ReadWtf8(int box)
    {
        var pointer = _native.GetStringRaw(_ctx, box);
        if (pointer == 0) throw new JsException(Describe(TakePendingException()));
        var bytes = _native.Memory.Slice(pointer, _native.Memory.StringLength(pointer)).ToArray();
        _native.FreeCString(_ctx, pointer);
        return bytes;
    }
}

/// <summary>The byte-level work behind the codec host functions.</summary>
internal static class TextCodecs
{
    /// <summary>
    /// UTF-8 from WTF-8: a lone surrogate (ED A0..BF 80..BF) becomes U+FFFD (EF BF BD), as TextEncoder encodes it;
    /// everything else is already UTF-8.
    /// </summary>
    internal static byte[] Utf8FromWtf8(byte[] wtf8)
    {
        var at = wtf8.AsSpan().IndexOf((byte)0xED);
        if (at < 0) return wtf8;
        var output = (byte[])wtf8.Clone();
        for (var i = at; i + 2 < output.Length; i++)
        {
            if (output[i] == 0xED && output[i + 1] >= 0xA0 && output[i + 1] <= 0xBF)
            {
                output[i] = 0xEF;
                output[i + 1] = 0xBF;
                output[i + 2] = 0xBD;
                i += 2;
            }
        }
        return output;
    }

    /// <summary>
    /// xsnap's Base64.decode over a string's bytes: standard alphabet, stops at the first <c>=</c>, skips every other
    /// character (non-ASCII characters are bytes ≥ 0x80 here, all skipped); leftover bits form the last bytes.
    /// </summary>
    internal static byte[] Base64Decode(byte[] text)
    {
        var output = new byte[(text.Length + 3) / 4 * 3];
        var n = 0;
        var bits = 0;
        var count = 0;
        foreach (var c in text)
        {
            if (c == '=') break;
            var value = c switch
            {
                >= (byte)'A' and <= (byte)'Z' => c - 'A',
                >= (byte)'a' and <= (byte)'z' => c - 'a' + 26,
                >= (byte)'0' and <= (byte)'9' => c - '0' + 52,
                (byte)'+' => 62,
                (byte)'/' => 63,
                _ => -1,
            };
            if (value < 0) continue;
            bits = (bits << 6) | value;
            if (++count == 4)
            {
                output[n++] = (byte)(bits >> 16);
                output[n++] = (byte)(bits >> 8);
                output[n++] = (byte)bits;
                bits = 0;
                count = 0;
            }
        }
        if (count == 2)
        {
            output[n++] = (byte)(bits >> 4);
        }
        else if (count == 3)
        {
            output[n++] = (byte)(bits >> 10);
            output[n++] = (byte)(bits >> 2);
        }
        return output.AsSpan(0, n).ToArray();
    }
}
