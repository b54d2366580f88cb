using System.Security.Cryptography;
using System.Text;
using Vats.Wasm.Errors;
using Vats.Wasm.Model;
using Vats.Wasm.Runtime;
using Vats.Wasm.Snapshots;

namespace Vats.Wasm.Tests.Compiler;

/// <summary>
/// Runs a module under one engine and describes everything observable: instantiation, each exported function called
/// with deterministic arguments (result bits, or the trap's kind, function and offset, or the exception type), the
/// fuel each call consumed, the host calls made, and the final instance snapshot. Two engines agree when the
/// descriptions are equal.
/// </summary>
internal static class EngineDifferential
{
    public static string Describe(byte[] bytes, ExecutionEngineKind engine, long? fuelPerCall = null, int seed = 1, int maxCallDepth = 50_000)
    {
        var text = new StringBuilder();
        CompiledModule compiled;
        try
        {
            compiled = CompiledModule.Compile(bytes);
        }
        catch (WasmException e)
        {
            return $"rejected {e.GetType().Name}";
        }
        var options = new RuntimeOptions { Engine = engine, FuelPerCall = fuelPerCall, MaxCallDepth = maxCallDepth, MaxMemoryPages = 1024 };
        var store = new Store(options);
        var imports = RecordingImports(compiled.Module, options, text);
        Instance instance;
        try
        {
            instance = Instance.Instantiate(store, compiled, imports);
            text.AppendLine($"instantiated fuel={store.FuelConsumed}");
        }
        catch (Exception e)
        {
            text.AppendLine($"instantiation: {Outcome(e)} fuel={store.FuelConsumed}");
            return text.ToString();
        }
        var random = new Random(seed);
        foreach (var export in compiled.Module.Exports)
        {
            if (export.Kind != ExternalKind.Function) continue;
            var function = (Function)instance.Exports[export.Name];
            var args = function.Type.Parameters.Select(p => Argument(p, random)).ToArray();
            var results = new ulong[function.Type.Results.Length];
            try
            {
                function.Invoke(args, results);
                text.AppendLine($"{export.Name}({string.Join(",", args)}) = {string.Join(",", results)} fuel={store.FuelConsumed}");
            }
            catch (Exception e)
            {
                text.AppendLine($"{export.Name}({string.Join(",", args)}): {Outcome(e)} fuel={store.FuelConsumed}");
            }
        }
        text.AppendLine("snapshot " + Convert.ToHexString(SHA256.HashData(InstanceSnapshot.Capture(instance))));
        return text.ToString();
    }

    private static string Outcome(Exception e) => e switch
    {
        TrapException t => $"trap {t.Kind} in {t.FunctionIndex} at {t.InstructionOffset}",
        _ => e.GetType().Name,
    };

    private static ulong Argument(ValType type, Random random) => type switch
    {
        ValType.I32 => (uint)Pick(random),
        ValType.I64 => (ulong)Pick(random) << 32 ^ (ulong)Pick(random),
        ValType.F32 => BitConverter.SingleToUInt32Bits((float)(Pick(random) / 7.0)),
        ValType.F64 => BitConverter.DoubleToUInt64Bits(Pick(random) / 3.0),
        _ => 0,
    };

    private static int Pick(Random random) => random.Next(8) switch
    {
        0 => 0,
        1 => 1,
        2 => -1,
        3 => int.MinValue,
        4 => int.MaxValue,
        5 => random.Next(-100, 100),
        _ => random.Next(),
    };

    /// <summary>Stubs for every import; host functions log their arguments and return a value derived from them.</summary>
    internal static Imports RecordingImports(Module module, RuntimeOptions options, StringBuilder log)
    {
        var imports = new Imports();
        foreach (var import in module.Imports)
        {
            Extern? value = import.Kind switch
            {
                ExternalKind.Function => Host(module.Types[(int)import.FunctionTypeIndex], import.Name, log),
                ExternalKind.Table => import.Table.Limits.Min <= options.MaxTableElements ? new Table(import.Table, 0, options.MaxTableElements) : null,
                ExternalKind.Memory => import.Memory.Limits.Min <= options.MaxMemoryPages ? new Memory(import.Memory, options.MaxMemoryPages) : null,
                ExternalKind.Global => new Global(import.Global, new WasmValue(import.Global.ValType, 0)),
                _ => null,
            };
            if (value is not null) imports.Define(import.Module, import.Name, value);
        }
        return imports;
    }

    private static HostFunction Host(FuncType type, string name, StringBuilder log) => new(type, (context, values) =>
    {
        var args = values[..type.Parameters.Length].ToArray();
        log.AppendLine($"  host {name}({string.Join(",", args)}) fuel={context.Store.CurrentCallFuelConsumed}");
        ulong mix = 0x9E3779B97F4A7C15;
        foreach (var a in args) mix = (mix ^ a) * 0x100000001B3;
        for (var i = 0; i < type.Results.Length; i++)
            values[i] = type.Results[i] is ValType.I32 or ValType.F32 ? (uint)(mix >> i) : type.Results[i].IsReference() ? 0 : mix >> i;
    });
}
