using Vats.Wasm.Runtime;
using Vats.Wasm.Tests.TestSupport;

namespace Vats.Wasm.Tests.Interpreter;

/// <summary>Instantiates WAT text in a fresh store.</summary>
internal static class Wasm
{
    public static Instance Instantiate(string wat, Store? store = null, Imports? imports = null) =>
        Instance.Instantiate(store ?? new Store(), Wat.Compile(wat), imports);

    public static int CallI32(this Instance instance, string name, params int[] args) =>
        instance.GetFunction(name).Invoke(args.Select(WasmValue.I32).ToArray())[0].AsI32();
}
