namespace Vats.Wasm.Errors;

/// <summary>Why execution trapped.</summary>
public enum TrapKind
{
    /// <summary>The `unreachable` instruction.</summary>
    Unreachable,
    /// <summary>A load, store or bulk memory operation outside the memory.</summary>
    MemoryOutOfBounds,
    /// <summary>A table access or bulk table operation outside the table.</summary>
    TableOutOfBounds,
    /// <summary>call_indirect with an index beyond the table.</summary>
    UndefinedElement,
    /// <summary>call_indirect to a null entry.</summary>
    UninitializedElement,
    /// <summary>call_indirect whose callee signature differs.</summary>
    IndirectCallTypeMismatch,
    /// <summary>Integer division or remainder by zero.</summary>
    IntegerDivideByZero,
    /// <summary>Signed division overflow, or a float-to-int truncation out of range.</summary>
    IntegerOverflow,
    /// <summary>Float-to-int truncation of NaN.</summary>
    InvalidConversionToInteger,
    /// <summary>The call-depth or value-stack limit was reached.</summary>
    CallStackExhausted,
    /// <summary>The fuel budget of the current call ran out.</summary>
    OutOfFuel,
    /// <summary>A host function asked to stop execution (see <see cref="TrapException"/> thrown from host code).</summary>
    HostAbort,
}

/// <summary>Helpers on <see cref="TrapKind"/>.</summary>
public static class TrapKinds
{
    /// <summary>The message the spec test suite uses for this trap.</summary>
    public static string SpecMessage(this TrapKind kind) => kind switch
    {
        TrapKind.Unreachable => "unreachable",
        TrapKind.MemoryOutOfBounds => "out of bounds memory access",
        TrapKind.TableOutOfBounds => "out of bounds table access",
        TrapKind.UndefinedElement => "undefined element",
        TrapKind.UninitializedElement => "uninitialized element",
        TrapKind.IndirectCallTypeMismatch => "indirect call type mismatch",
        TrapKind.IntegerDivideByZero => "integer divide by zero",
        TrapKind.IntegerOverflow => "integer overflow",
        TrapKind.InvalidConversionToInteger => "invalid conversion to integer",
        TrapKind.CallStackExhausted => "call stack exhausted",
        TrapKind.OutOfFuel => "out of fuel",
        TrapKind.HostAbort => "host abort",
        _ => kind.ToString(),
    };
}
