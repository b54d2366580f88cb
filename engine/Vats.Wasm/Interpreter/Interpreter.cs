using Vats.Wasm.Runtime;

namespace Vats.Wasm.Interpreter;

/// <summary>Placeholder until the interpreter lands.</summary>
internal sealed class Interpreter : IExecutionEngine
{
    private readonly Store _store;

    public Interpreter(Store store) => _store = store;

    public void Invoke(WasmFunction function, ReadOnlySpan<ulong> args, Span<ulong> results) =>
        throw new NotImplementedException($"interpreter not yet available (store has {_store.FunctionCount} functions)");
}
