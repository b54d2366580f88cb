namespace Vats.Wasm.Errors;

/// <summary>Base of every error the runtime raises on purpose.</summary>
public abstract class WasmException : Exception
{
    /// <summary>Creates the exception.</summary>
    protected WasmException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>The binary is not a well-formed module (spec: "malformed"). Raised by the decoder.</summary>
public sealed class MalformedModuleException : WasmException
{
    /// <summary>Creates the exception.</summary>
    public MalformedModuleException(long offset, string reason)
        : base($"malformed module at byte 0x{offset:x}: {reason}")
    {
        Offset = offset;
        Reason = reason;
    }

    /// <summary>Byte offset in the binary where decoding failed.</summary>
    public long Offset { get; }

    /// <summary>What is wrong, in the spec's words where it has some (e.g. "unexpected end").</summary>
    public string Reason { get; }
}

/// <summary>The module is well-formed but breaks a validation rule (spec: "invalid"). Raised by the validator.</summary>
public sealed class InvalidModuleException : WasmException
{
    /// <summary>Creates the exception.</summary>
    public InvalidModuleException(long offset, string reason, int? functionIndex = null)
        : base(functionIndex is null
            ? $"invalid module at byte 0x{offset:x}: {reason}"
            : $"invalid module at byte 0x{offset:x} (function {functionIndex}): {reason}")
    {
        Offset = offset;
        Reason = reason;
        FunctionIndex = functionIndex;
    }

    /// <summary>Byte offset in the binary of the offending construct.</summary>
    public long Offset { get; }

    /// <summary>What is wrong, in the spec's words where it has some (e.g. "type mismatch").</summary>
    public string Reason { get; }

    /// <summary>Function index (in the function index space) when the error is inside a function body.</summary>
    public int? FunctionIndex { get; }
}

/// <summary>Instantiation failed because an import is missing or has the wrong type (spec: "unlinkable").</summary>
public sealed class LinkException : WasmException
{
    /// <summary>Creates the exception.</summary>
    public LinkException(string module, string name, string reason)
        : base($"cannot link import \"{module}\".\"{name}\": {reason}")
    {
        ImportModule = module;
        ImportName = name;
        Reason = reason;
    }

    /// <summary>Module name of the import.</summary>
    public string ImportModule { get; }

    /// <summary>Field name of the import.</summary>
    public string ImportName { get; }

    /// <summary>What is wrong ("unknown import", "incompatible import type").</summary>
    public string Reason { get; }
}
