namespace Vats.QuickJs;

/// <summary>What a host function returns to JavaScript.</summary>
public readonly struct HostValue
{
    internal enum Kinds : byte
    {
        Undefined,
        String,
        Bytes,
        Number,
        Json,
        Boolean,
    }

    private HostValue(Kinds kind, string? text, byte[]? bytes, double number)
    {
        Kind = kind;
        Text = text;
        ByteArray = bytes;
        NumberValue = number;
    }

    internal Kinds Kind { get; }

    internal string? Text { get; }

    internal byte[]? ByteArray { get; }

    internal double NumberValue { get; }

    /// <summary><c>undefined</c>.</summary>
    public static HostValue Undefined => default;

    /// <summary>A JavaScript string.</summary>
    public static HostValue String(string value) => new(Kinds.String, value, null, 0);

    /// <summary>A new ArrayBuffer holding a copy of <paramref name="value"/>.</summary>
    public static HostValue Bytes(ReadOnlySpan<byte> value) => new(Kinds.Bytes, null, value.ToArray(), 0);

    /// <summary>A number.</summary>
    public static HostValue Number(double value) => new(Kinds.Number, null, null, value);

    /// <summary><c>true</c> or <c>false</c>.</summary>
    public static HostValue Boolean(bool value) => new(Kinds.Boolean, null, null, value ? 1 : 0);

    /// <summary>The value <c>JSON.parse(<paramref name="json"/>)</c> gives (a SyntaxError in JavaScript if it is not JSON).</summary>
    public static HostValue Json(string json) => new(Kinds.Json, json, null, 0);
}
