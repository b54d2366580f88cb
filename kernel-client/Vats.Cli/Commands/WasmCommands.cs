using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Vats.Wasm;
using Vats.Wasm.Errors;
using Vats.Wasm.Model;
using Vats.Wasm.Runtime;

namespace Vats.Cli.Commands;

/// <summary>`vats wasm …`: run and check WebAssembly modules on the Vats runtime.</summary>
internal static class WasmCommands
{
    public static Command Create()
    {
        var wasm = new Command("wasm", "Run and check WebAssembly modules on the Vats runtime");
        wasm.Subcommands.Add(CreateRun());
        wasm.Subcommands.Add(CreateValidate());
        return wasm;
    }

    private static Command CreateRun()
    {
        var file = new Argument<FileInfo>("module") { Description = "The .wasm file" };
        var export = new Argument<string>("export") { Description = "Name of the exported function to call" };
        var args = new Argument<string[]>("args") { Description = "Arguments, parsed by the function's parameter types (i32/i64 decimal or 0x hex; f32/f64 decimal, nan, inf)", Arity = ArgumentArity.ZeroOrMore };
        var fuel = new Option<long?>("--fuel") { Description = "Fuel limit for the call (1 per wasm instruction); running out is a trap" };
        var maxPages = new Option<uint>("--max-memory-pages") { Description = "Largest memory size in 64 KiB pages", DefaultValueFactory = _ => new RuntimeOptions().MaxMemoryPages };
        var stats = new Option<bool>("--stats") { Description = "Print compile and run times and fuel consumed to stderr" };
        var command = new Command("run", "Call an exported function and print its results, one per line")
        {
            file, export, args, fuel, maxPages, stats,
        };
        command.SetAction(parse => Guard(() =>
        {
            var clock = Stopwatch.StartNew();
            var module = CompiledModule.Compile(File.ReadAllBytes(parse.GetValue(file)!.FullName));
            var compileTime = clock.Elapsed;
            var store = new Store(new RuntimeOptions { MaxMemoryPages = parse.GetValue(maxPages), FuelPerCall = parse.GetValue(fuel) });
            var instance = Instance.Instantiate(store, module);
            var name = parse.GetValue(export)!;
            if (!instance.Exports.TryGetValue(name, out var value) || value is not Function function)
            {
                Console.Error.WriteLine($"error: the module exports no function named \"{name}\"; it exports: {string.Join(", ", instance.Exports.Where(e => e.Value is Function).Select(e => e.Key))}");
                return 1;
            }
            var text = parse.GetValue(args) ?? [];
            if (text.Length != function.Type.Parameters.Length)
            {
                Console.Error.WriteLine($"error: \"{name}\" takes {function.Type.Parameters.Length} arguments {function.Type}, got {text.Length}");
                return 1;
            }
            var values = new WasmValue[text.Length];
            for (var i = 0; i < text.Length; i++) values[i] = ParseValue(function.Type.Parameters[i], text[i], i);
            clock.Restart();
            var results = function.Invoke(values);
            var runTime = clock.Elapsed;
            foreach (var result in results) Console.WriteLine(FormatValue(result));
            if (parse.GetValue(stats))
                Console.Error.WriteLine($"compile {compileTime.TotalMilliseconds:F1} ms, run {runTime.TotalMilliseconds:F1} ms, fuel {store.FuelConsumed}");
            return 0;
        }));
        return command;
    }

    private static Command CreateValidate()
    {
        var file = new Argument<FileInfo>("module") { Description = "The .wasm file" };
        var command = new Command("validate", "Decode and validate a module; print a summary of its sections") { file };
        command.SetAction(parse => Guard(() =>
        {
            var m = CompiledModule.Compile(File.ReadAllBytes(parse.GetValue(file)!.FullName)).Module;
            Console.WriteLine($"valid: {m.Types.Count} types, {m.ImportedFunctionCount} imported + {m.FunctionTypeIndices.Count} defined functions, " +
                $"{m.TableCount} tables, {m.MemoryCount} memories, {m.GlobalCount} globals, {m.Exports.Count} exports, " +
                $"{m.Elements.Count} element and {m.Datas.Count} data segments, {m.CustomSections.Count} custom sections");
            Console.WriteLine($"sha256: {Convert.ToHexStringLower(m.Sha256)}");
            return 0;
        }));
        return command;
    }

    /// <summary>Turns the runtime's typed errors into one line on stderr and an exit code: 1 bad input, 2 trap.</summary>
    private static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (TrapException e)
        {
            Console.Error.WriteLine($"trap: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is WasmException or IOException or UnauthorizedAccessException or FormatException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    private static WasmValue ParseValue(ValType type, string text, int index)
    {
        try
        {
            return type switch
            {
                ValType.I32 => WasmValue.I32(text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                    ? (int)uint.Parse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
                    : text.StartsWith('-') ? int.Parse(text, CultureInfo.InvariantCulture) : (int)uint.Parse(text, CultureInfo.InvariantCulture)),
                ValType.I64 => WasmValue.I64(text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                    ? (long)ulong.Parse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
                    : text.StartsWith('-') ? long.Parse(text, CultureInfo.InvariantCulture) : (long)ulong.Parse(text, CultureInfo.InvariantCulture)),
                ValType.F32 => WasmValue.F32(float.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)),
                ValType.F64 => WasmValue.F64(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)),
                _ => throw new FormatException($"reference parameters cannot be given on the command line"),
            };
        }
        catch (OverflowException)
        {
            throw new FormatException($"argument {index} \"{text}\" does not fit {type.Name()}");
        }
        catch (FormatException e) when (!e.Message.StartsWith("argument", StringComparison.Ordinal))
        {
            throw new FormatException($"argument {index} \"{text}\" is not a valid {type.Name()}");
        }
    }

    private static string FormatValue(WasmValue value) => value.Type switch
    {
        ValType.I32 => value.AsI32().ToString(CultureInfo.InvariantCulture),
        ValType.I64 => value.AsI64().ToString(CultureInfo.InvariantCulture),
        ValType.F32 => value.AsF32().ToString("R", CultureInfo.InvariantCulture),
        ValType.F64 => value.AsF64().ToString("R", CultureInfo.InvariantCulture),
        _ => value.IsNull ? "null" : $"{value.Type.Name()}:{value.Bits}",
    };
}
