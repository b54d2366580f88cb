using Vats.Wasm.Model;

namespace Vats.Wasm.Runtime;

/// <summary>A callable function: defined by a module (<see cref="WasmFunction"/>) or by the host (<see cref="HostFunction"/>).</summary>
public abstract class Function : Extern
{
    private protected Function(FuncType type) => Type = type;

    /// <summary>The signature.</summary>
    public FuncType Type { get; }

    /// <summary>Address in its store; funcref values are this + 1. -1 until registered.</summary>
    public int Address { get; internal set; } = -1;

    /// <summary>The store the function belongs to (set when registered).</summary>
    public Store? Store { get; internal set; }

    /// <summary>
    /// Calls the function with raw argument bits and writes raw result bits (both in signature order).
    /// No allocation. Traps surface as <see cref="Errors.TrapException"/>.
    /// </summary>
    public abstract void Invoke(ReadOnlySpan<ulong> args, Span<ulong> results);

    /// <summary>Calls the function with typed arguments, checking their count and types.</summary>
    public WasmValue[] Invoke(params WasmValue[] args)
    {
        var parameters = Type.Parameters;
        if (args.Length != parameters.Length)
            throw new ArgumentException($"function {Type} takes {parameters.Length} arguments, got {args.Length}", nameof(args));
        Span<ulong> raw = args.Length <= 16 ? stackalloc ulong[args.Length] : new ulong[args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].Type != parameters[i])
                throw new ArgumentException($"argument {i} is {args[i].Type.Name()}, expected {parameters[i].Name()}", nameof(args));
            raw[i] = args[i].Bits;
        }
        var resultTypes = Type.Results;
        var rawResults = new ulong[resultTypes.Length];
        Invoke(raw, rawResults);
        var results = new WasmValue[resultTypes.Length];
        for (var i = 0; i < results.Length; i++) results[i] = new WasmValue(resultTypes[i], rawResults[i]);
        return results;
    }
}

/// <summary>A function defined in a module instance.</summary>
public sealed class WasmFunction : Function
{
    internal WasmFunction(FuncType type, Instance instance, int index, FunctionBody body) : base(type)
    {
        Instance = instance;
        Index = index;
        Body = body;
    }

    /// <summary>The instance that defines it.</summary>
    public Instance Instance { get; }

    /// <summary>Index in the module's function index space.</summary>
    public int Index { get; }

    /// <summary>The body as decoded.</summary>
    public FunctionBody Body { get; }

    /// <summary>The execution engine's lowered form, made on first call.</summary>
    internal object? Compiled;

    /// <inheritdoc/>
    public override void Invoke(ReadOnlySpan<ulong> args, Span<ulong> results) =>
        Instance.Store.Engine.Invoke(this, args, results);
}
