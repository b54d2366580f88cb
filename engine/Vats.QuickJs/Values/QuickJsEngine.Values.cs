using System.Text.Json;

namespace Vats.QuickJs;

/// <summary>Moving values across the boundary: boxes (JSValue* in the wasm heap), JSON text, strings, bytes, errors.</summary>
public sealed partial class QuickJsEngine
{
    /// <summary>Turns an Eval/Call result box into an outcome and frees it.</summary>
    private JsOutcome Settle(int result)
    {
        var error = _native.ResolveException(_ctx, result);
        if (error != 0)
        {
            _native.FreeValue(_ctx, result);
            return JsOutcome.Thrown(Describe(error));
        }
        return JsOutcome.Value(ToJsonAndFree(result));
    }

    /// <summary>Calls <paramref name="function"/> with <c>this</c> undefined; returns an owned result box or an owned error box.</summary>
    private (int Value, int Error) Invoke(int function, ReadOnlySpan<int> arguments)
    {
        var argv = 0;
        if (arguments.Length > 0)
        {
            argv = _native.Malloc(4 * arguments.Length);
            for (var i = 0; i < arguments.Length; i++) _native.WriteInt32(argv + 4 * i, arguments[i]);
        }
        var result = _native.CallFunction(_ctx, function, _undefined, arguments.Length, argv);
        if (argv != 0) _native.Free(argv);
        var error = _native.ResolveException(_ctx, result);
        if (error == 0) return (result, 0);
        _native.FreeValue(_ctx, result);
        return (0, error);
    }

    /// <summary>JSON text of a value box (null when it has none); frees the box.</summary>
    private string? ToJsonAndFree(int box)
    {
        try
        {
            return ReadJson(box);
        }
        finally
        {
            _native.FreeValue(_ctx, box);
        }
    }

    internal string? ReadJson(int box)
    {
        var (json, error) = Invoke(_helpers.ToJson, [box]);
        if (error != 0)
        {
            _native.FreeValue(_ctx, error);
            return null;
        }
        var text = TypeOfBox(json) == "string" ? ReadString(json) : null;
        _native.FreeValue(_ctx, json);
        return text;
    }

    /// <summary>Describes an error box as (name, message, stack) and frees it.</summary>
    private JsError Describe(int error)
    {
        var json = DescribeRaw(error);
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            return new JsError(root.GetProperty("name").GetString() ?? "", root.GetProperty("message").GetString() ?? "",
                root.GetProperty("stack").GetString() ?? "");
        }
        catch (JsonException)
        {
            return new JsError("", json, "");
        }
    }

    private string DescribeRaw(int error)
    {
        var (description, failure) = Invoke(_helpers.DescribeError, [error]);
        _native.FreeValue(_ctx, error);
        if (failure != 0)
        {
            _native.FreeValue(_ctx, failure);
            return """{"name":"","message":"(the thrown value could not be described)","stack":""}""";
        }
        var text = ReadString(description);
        _native.FreeValue(_ctx, description);
        return text;
    }

    internal string TypeOfBox(int box)
    {
        var pointer = _native.TypeofRaw(_ctx, box);
        var text = _native.ReadCString(pointer);
        _native.Free(pointer);
        return text;
    }

    internal string ReadString(int box)
    {
        var pointer = _native.GetStringRaw(_ctx, box);
        if (pointer == 0) throw new JsException(Describe(TakePendingException()));
        var text = _native.ReadCString(pointer);
        _native.FreeCString(_ctx, pointer);
        return text;
    }

    internal double ReadNumber(int box) => _native.GetFloat64(_ctx, box);

    internal byte[] ReadBytes(int box)
    {
        var (buffer, error) = Invoke(_helpers.BytesOf, [box]);
        if (error != 0) throw new JsException(Describe(error));
        try
        {
            var length = _native.GetArrayBufferLength(_ctx, buffer);
            if (length == 0) return [];
            var copy = _native.GetArrayBuffer(_ctx, buffer);
            if (copy == 0) throw new OutOfMemoryException("QuickJS heap is full");
            var bytes = _native.Memory.ReadBytes(copy, length);
            _native.Free(copy);
            return bytes;
        }
        finally
        {
            _native.FreeValue(_ctx, buffer);
        }
    }

    /// <summary>Takes the exception QuickJS left pending (after an API call that returned 0) as an owned box.</summary>
    private int TakePendingException()
    {
        // QTS_ResolveException only looks at whether *box is JS_EXCEPTION (tag 6, payload 0).
        var box = _native.Malloc(8);
        _native.Memory.WriteInt64(box, 6L << 32);
        var error = _native.ResolveException(_ctx, box);
        _native.Free(box);
        return error != 0 ? error : NewString("unknown error");
    }

    private int NewString(string text)
    {
        if (text.Contains('\0'))
        {
            // C strings stop at NUL: build the exact string from its JSON form instead.
            var json = NewString(JsonSerializer.Serialize(text).Replace("\0", "\\u0000", StringComparison.Ordinal));
            var (value, error) = Invoke(_helpers.FromJson, [json]);
            _native.FreeValue(_ctx, json);
            if (error != 0) throw new JsException(Describe(error));
            return value;
        }
        var pointer = _native.MallocCString(text);
        var box = _native.NewStringRaw(_ctx, pointer);
        _native.Free(pointer);
        return box;
    }

    private int GetProperty(int obj, string name)
    {
        var key = NewString(name);
        var value = _native.GetProp(_ctx, obj, key);
        _native.FreeValue(_ctx, key);
        return value;
    }

    private void SetProperty(int obj, string name, int value)
    {
        var key = NewString(name);
        _native.SetProp(_ctx, obj, key, value);
        _native.FreeValue(_ctx, key);
    }
}
