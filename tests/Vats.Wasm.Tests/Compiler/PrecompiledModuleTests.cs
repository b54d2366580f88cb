using System.Reflection;
using Vats.Wasm.Runtime;

namespace Vats.Wasm.Tests.Compiler;

/// <summary>Code saved by <see cref="PrecompiledModules.Save"/>, loaded and registered, runs exactly like code compiled in process.</summary>
public sealed class PrecompiledModuleTests
{
    [Test]
    public void SavedCodeLoadsAndBehavesLikeTheInterpreter()
    {
        // A random module with memory, tables, globals, calls and traps; a fresh seed so no other test compiled it.
        var bytes = RandomModuleTests.Generate(9_001);
        var dir = Directory.CreateTempSubdirectory("vats-precompiled-");
        try
        {
            var module = CompiledModule.Compile(bytes);
            var path = Path.Combine(dir.FullName, $"Vats.Wasm.Compiled.{Convert.ToHexStringLower(module.Module.Sha256)}.dll");
            PrecompiledModules.Save(module, path);
            var assembly = Assembly.LoadFile(path);
            PrecompiledModules.Register(assembly);
            var interpreted = EngineDifferential.Describe(bytes, ExecutionEngineKind.Interpreter, 100_000, seed: 3);
            var compiled = EngineDifferential.Describe(bytes, ExecutionEngineKind.Compiler, 100_000, seed: 3);
            Assert.That(compiled, Is.EqualTo(interpreted));
            // The store used the loaded assembly, not code it compiled itself.
            var options = new RuntimeOptions { Engine = ExecutionEngineKind.Compiler, MaxMemoryPages = 1024 };
            var store = new Store(options);
            var again = CompiledModule.Compile(bytes);
            var instance = Instance.Instantiate(store, again, EngineDifferential.RecordingImports(again.Module, options, new System.Text.StringBuilder()));
            Assert.That(UsedAssembly(store, instance), Is.SameAs(assembly));
            Assert.That(PrecompiledModules.RegisteredFor(again), Is.SameAs(assembly));
        }
        finally
        {
            try { dir.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    [Test]
    public void RegisterRefusesAssembliesNotWrittenBySaveOfThisBuild()
    {
        // Right name, but no record of the Vats.Wasm build it was compiled against: its code could not be trusted to
        // fit this build's internals.
        var name = new AssemblyName("Vats.Wasm.Compiled." + new string('0', 64));
        var builder = new System.Reflection.Emit.PersistedAssemblyBuilder(name, typeof(object).Assembly);
        builder.DefineDynamicModule(name.Name + ".dll").DefineType("WasmModule", TypeAttributes.Public).CreateType();
        var dir = Directory.CreateTempSubdirectory("vats-precompiled-");
        try
        {
            var path = Path.Combine(dir.FullName, name.Name + ".dll");
            builder.Save(path);
            var loaded = Assembly.LoadFile(path);
            var e = Assert.Throws<ArgumentException>(() => PrecompiledModules.Register(loaded));
            Assert.That(e!.Message, Does.Contain("another Vats.Wasm build"));
            Assert.Throws<ArgumentException>(() => PrecompiledModules.Register(typeof(PrecompiledModuleTests).Assembly));
        }
        finally
        {
            try { dir.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static Assembly UsedAssembly(Store store, Instance instance) =>
        ((Vats.Wasm.Compiler.CompilerEngine)store.Engine).Context(instance).Code.Generated.Assembly;
}
