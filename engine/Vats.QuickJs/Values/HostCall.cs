namespace Vats.QuickJs;

/// <summary>
/// The arguments of one call of a host function, readable only while the callback runs (they are borrowed
/// from QuickJS's stack). Reading an argument that was not passed gives <c>undefined</c>'s conversion.
/// </summary>
public sealed class HostCall
{
    private readonly QuickJsEngine _engine;
    private readonly int _argv;
    private bool _valid = true;

    internal HostCall(QuickJsEngine engine, string name, int argc, int argv)
    {
        _engine = engine;
        Name = name;
        Count = argc;
        _argv = argv;
    }

    /// <summary>The name the host function was defined under.</summary>
    public string Name { get; }

    /// <summary>Number of arguments passed.</summary>
    public int Count { get; }

    /// <summary>The engine making the call (host functions may evaluate more JavaScript: calls nest).</summary>
    public QuickJsEngine Engine => _engine;

    /// <summary><c>typeof</c> argument <paramref name="index"/> ("undefined" when not passed).</summary>
    public string TypeOf(int index) => Argument(index) is { } p ? _engine.TypeOfBox(p) : "undefined";

    /// <summary>Argument <paramref name="index"/> converted with <c>String()</c>; a symbol or a throwing toString becomes a JS TypeError.</summary>
    public string GetString(int index) => Argument(index) is { } p ? _engine.ReadString(p) : "undefined";

    /// <summary>Argument <paramref name="index"/> converted with <c>Number()</c>.</summary>
    public double GetNumber(int index) => Argument(index) is { } p ? _engine.ReadNumber(p) : double.NaN;

    /// <summary>The bytes of an ArrayBuffer, a typed array or a DataView argument (a copy).</summary>
    public byte[] GetBytes(int index) =>
        Argument(index) is { } p ? _engine.ReadBytes(p) : throw new JsException("TypeError", $"{Name}: argument {index} is missing");

    /// <summary><c>JSON.stringify</c> of argument <paramref name="index"/>, or null when it has no JSON form.</summary>
    public string? GetJson(int index) => Argument(index) is { } p ? _engine.ReadJson(p) : null;

    internal void Invalidate() => _valid = false;

    /// <summary>The borrowed JSValue* of argument <paramref name="index"/>, or the static undefined when not passed.</summary>
    internal int ArgumentBox(int index) => Argument(index) ?? _engine.UndefinedBox;

    private int? Argument(int index)
    {
        if (!_valid) throw new InvalidOperationException("host function arguments are only readable during the call");
        return index >= 0 && index < Count ? _argv + 8 * index : null;
    }
}

/// <summary>A JavaScript function implemented in C#. Exceptions it throws become JavaScript errors.</summary>
public delegate HostValue HostFunctionCallback(HostCall call);
